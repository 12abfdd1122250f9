"""Hook events, the context hooks receive, and running one event's hooks in order.

Every event has its own entry-point namespace, ``<tool>.hooks.<event>``:

* ``initialize``: once, after configuration and logging, before any command;
* ``pre_command`` / ``post_command``: around every command;
* ``pre_<command>`` / ``post_<command>``: around one command (spaces and
  ``-`` in its name become ``_``: ``pre_plugin_list``, ``pre_shell_init``).

They nest: ``pre_command``, ``pre_<command>``, the command, ``post_<command>``,
``post_command``. Only the hooks of an event that fires are imported.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol, TypeVar

from ..errors import HookAbort, MyappError, PluginLoadError, Terminated
from ..errors import HookFailure as HookFailure  # re-exported: its home before myapp.errors
from ..index.records import EntryPointInfo, normalize_name
from ..plugins.loading import describe_exception, prints_to_stderr

if TYPE_CHECKING:
    from cliff.app import App

    from ..contracts import Contract
    from ..index.records import DistributionInfo
    from ..plugins.trace import PluginTrace

LOG = logging.getLogger(__name__)

INITIALIZE: Final = "initialize"
PRE_COMMAND: Final = "pre_command"
POST_COMMAND: Final = "post_command"
#: The suffix of the events whose hooks return shell code for the calling shell.
SOURCE_SUFFIX: Final = "_source"
#: The attribute :func:`hook` sets on a hook to declare its place.
ORDER_ATTRIBUTE: Final = "__hook_order__"

Phase = Literal["pre", "post"]


def command_event(phase: Phase, command: str) -> str:
    """The event fired before or after one command: ``pre_plugin_list``, ``pre_shell_init``.

    A ``-`` becomes ``_`` as well: pip on Python 3.10 reads entry points with
    ``pkg_resources``, which refuses to install a distribution whose group
    names have any other character than letters, digits, ``_`` and ``.``.
    """
    return f"{phase}_{command.replace(' ', '_').replace('-', '_')}"


def is_pre_event(event: str) -> bool:
    """Whether *event* runs before a command (its hooks may stop it)."""
    return event == INITIALIZE or event.startswith("pre_")


#: The attributes of a :class:`HookContext`, in the order its constructor takes them.
_CONTEXT_FIELDS: Final = ("event", "app", "command", "argv", "parsed_args", "exit_code", "exception")


class HookContext:
    """What a hook is told about the event, and what a pre-hook may change.

    A pre-hook may modify :attr:`parsed_args` (or replace it); the command
    sees the change. Post-hooks also see how the command ended.

    .. versionadded:: 0.1
    """

    # A plain class rather than a dataclass: this module is imported on every start, and a dataclass compiles
    # its methods then (a few million instructions of a run's 370).
    __slots__ = _CONTEXT_FIELDS

    def __init__(
        self,
        event: str,
        app: App,
        command: str | None = None,
        argv: tuple[str, ...] = (),
        parsed_args: argparse.Namespace | None = None,
        exit_code: int | None = None,
        exception: BaseException | None = None,
    ) -> None:
        #: the event being fired, e.g. ``pre_hello``
        self.event = event
        #: the running application (a cliff ``App``: :class:`myapp.app.App` or a subclass)
        self.app = app
        #: the command's name as typed (``plugin list``); ``None`` for ``initialize``
        self.command = command
        #: the raw command line, without the program name
        self.argv = argv
        #: the command's parsed arguments
        self.parsed_args = parsed_args
        #: post events: the command's exit status
        self.exit_code = exit_code
        #: post events: the exception that ended the command, if any
        self.exception = exception

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _CONTEXT_FIELDS)
        return f"HookContext({fields})"


class Hook(Protocol):
    """A hook: called with the context; may be a coroutine function."""

    def __call__(self, context: HookContext, /) -> object: ...


class HookOrder(NamedTuple):
    """Where a hook wants to run among the hooks of its event.

    :param priority: higher runs earlier; ties go by distribution, then name.
    :param before: plugins (``dist`` or ``dist:hook``) this hook must precede.
    :param after: plugins this hook must follow.
    """

    priority: int = 0
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


_F = TypeVar("_F", bound=Callable[..., Any])


def hook(*, priority: int = 0, before: Iterable[str] = (), after: Iterable[str] = ()) -> Callable[[_F], _F]:
    """Declare a hook's place among the other hooks of its event.

    ::

        @hook(priority=10, after=["myapp-audit"])
        def record_start(context: HookContext) -> None: ...

    .. versionadded:: 0.1
    """
    order = HookOrder(priority, tuple(before), tuple(after))

    def mark(function: _F) -> _F:
        setattr(function, ORDER_ATTRIBUTE, order)
        return function

    return mark


class LoadedHook(NamedTuple):
    """One Python hook of an event: imported and checked, or broken with the reason."""

    entry_point: EntryPointInfo
    function: Hook | None = None
    order: HookOrder = HookOrder()
    error: PluginLoadError | None = None

    @property
    def label(self) -> str:
        """``distribution:name``, as constraints and config refer to it."""
        return f"{normalize_name(self.entry_point.distribution)}:{self.entry_point.name}"

    @property
    def distribution(self) -> str:
        """The distribution that registered the hook."""
        return self.entry_point.distribution

    def matches(self, reference: str) -> bool:
        """Whether a constraint or config entry (``dist`` or ``dist:hook``) names this hook."""
        dist, _, name = reference.partition(":")
        return normalize_name(dist) == normalize_name(self.distribution) and name in ("", self.entry_point.name)


def load_hook(entry_point: EntryPointInfo, trace: PluginTrace | None = None) -> LoadedHook:
    """Import one hook and check it against the hook contract; never raises for plugin faults."""
    from ..contracts import load_verified
    from ..plugins.loading import disable_hint

    try:
        target = load_verified(entry_point, hook_contract(), hint=disable_hint(entry_point.distribution), trace=trace)
    except PluginLoadError as error:
        return LoadedHook(entry_point, error=error)
    return LoadedHook(entry_point, target, order_of(target))


def order_of(target: object) -> HookOrder:
    """The place *target* declared with :func:`hook`, or the default one."""
    order = getattr(target, ORDER_ATTRIBUTE, None)
    return order if isinstance(order, HookOrder) else HookOrder()


@functools.cache
def hook_contract() -> Contract:
    """What a hook must be: a callable that takes the context as its one argument (see :class:`Hook`)."""
    from ..contracts import Contract

    return Contract.from_class(Hook, name="hook")


def call_hook(function: Hook, context: HookContext) -> object:
    """Call a hook and return its result, awaiting it when the hook is a coroutine function.

    What the hook prints goes to stderr, so that a command's data on stdout stays parseable.
    """
    with prints_to_stderr():
        result = function(context)
        if inspect.isawaitable(result):
            import asyncio

            async def wait() -> object:
                return await result

            return asyncio.run(wait())
    return result


def blame(
    hook_: LoadedHook, error: BaseException, culprit: DistributionInfo | None = None, hint: str | None = None
) -> MyappError:
    """The error to report when *hook_* raised *error* (a veto stays a veto).

    :param culprit: the plugin whose code raised, when known (see :mod:`myapp.plugins.blame`);
        named in the message when it is not the hook's own plugin.
    :param hint: what to do, instead of the generic advice.
    """
    if isinstance(error, HookAbort):
        reason = error.message or "no reason given"
        abort = HookAbort(f"hook '{hook_.label}' stopped the command: {reason}", hint=error.hint)
        abort.__cause__ = error
        return abort
    owner = normalize_name(hook_.distribution)
    inside = f" in plugin '{culprit.name} {culprit.version}'" if culprit and culprit.key != owner else ""
    failure = HookFailure(
        f"hook '{hook_.label}' of plugin '{hook_.distribution} {hook_.entry_point.version}' failed{inside} "
        f"({describe_exception(error)})",
        distribution=culprit.name if culprit else hook_.distribution,
        entry_point=f"{hook_.entry_point.name} = {hook_.entry_point.value}",
        namespace=hook_.entry_point.group,
        hint=hint or f"report it to the plugin's authors, or skip it with '--disable-plugin {owner}'",
    )
    failure.__cause__ = error
    return failure


#: Turns what a hook raised into the error to report (:func:`blame`, or a runner's richer version).
Blame = Callable[[LoadedHook, BaseException], MyappError]


def run_python_hook(
    hook_: LoadedHook, context: HookContext, blame_with: Blame = blame
) -> tuple[MyappError | None, object]:
    """Run one loaded hook; return what went wrong (if anything) and what the hook returned."""
    if hook_.error is not None:
        return hook_.error, None
    assert hook_.function is not None
    try:
        return None, call_hook(hook_.function, context)
    except (KeyboardInterrupt, Terminated):
        raise
    except BaseException as error:  # noqa: BLE001 - a hook may raise anything, SystemExit too
        return blame_with(hook_, error), None
