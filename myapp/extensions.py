"""Extension points: namespaces a plugin declares for other plugins to fill.

A plugin declares a point once, with the contract its implementations must
fit, and registers it so that ``plugin check`` can verify them::

    GREETING_STYLES = ExtensionPoint("myapp_plugins_example.greeting_styles", GreetingStyle)

Implementations are entry points in ``<tool>.extensions.<point>``; the point
itself is registered in ``<tool>.contracts`` under its name. Used through
:meth:`ExtensionPoint.select`, the implementations come in stevedore's three
patterns: a *driver* (one, by name), an *iterator* (all, in order, with
:meth:`Extensions.map`) and a *dispatcher* (those a predicate picks). The
app's plugin selection (disabled, incompatible, ``only_plugins``, profiles),
the hook ordering rules and fault isolation apply to them as to commands and
hooks. Nothing is imported before it is used.

.. versionadded:: 0.1
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

from .errors import ExtensionNotFound as ExtensionNotFound  # re-exported: its home before myapp.errors
from .errors import PluginLoadError, Terminated, UsageError, did_you_mean
from .identity import MYAPP, Identity
from .index.records import EntryPointInfo, normalize_name
from .session import Session

if TYPE_CHECKING:
    from .contracts import Contract
    from .hooks.context import LoadedHook
    from .plugins.trace import PluginTrace

LOG = logging.getLogger(__name__)

_POINT_NAME: Final = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


class Extension(NamedTuple):
    """One loaded implementation of an extension point.

    :param obj: the registered object, verified against the contract; a
        registered class has been instantiated (without arguments) unless
        the contract asks for a class.
    """

    name: str
    entry_point: EntryPointInfo
    obj: Any

    @property
    def distribution(self) -> str:
        """The distribution that registered it."""
        return self.entry_point.distribution


class ExtensionPoint:
    """A namespace of implementations that fit one contract; declare it once, at module level.

    :param name: ``<your package>.<point>``: the owner's import name first, so
        that two plugins' points cannot clash.
    :param contract: a :class:`~myapp.contracts.Contract`, or the ABC,
        Protocol or plain class to build one from.
    :param identity: the tool whose plugins provide implementations.
    """

    def __init__(self, name: str, contract: Contract | type, *, identity: Identity = MYAPP) -> None:
        if not _POINT_NAME.match(name):
            raise ValueError(f"invalid extension point name {name!r}: use '<your package>.<point>'")
        from .contracts import Contract

        self.name = name
        self.contract = contract if isinstance(contract, Contract) else Contract.from_class(contract)
        self.identity = identity

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name!r} of {self.contract!r}>"

    @property
    def namespace(self) -> str:
        """The entry-point namespace of the implementations: ``myapp.extensions.<name>``."""
        return self.identity.extension_namespace(self.name)

    def select(self, app: HasSession | Session | None = None) -> Extensions:
        """The implementations that may run, read from metadata; nothing is imported yet.

        :param app: the running app (``app_of(self)`` in a command), or its
            :class:`~myapp.session.Session`: its plugin states apply. Without
            one, every installed implementation is used.
        """
        session = _session_of(app)
        if session is None:
            return Extensions(self, _installed(self.namespace))
        plugins, tool = session.plugins, session.identity.name
        found = session.index.entry_points(self.namespace)
        return Extensions(
            self,
            [ep for ep in found if plugins.is_allowed(ep)],
            {ep.name: ep.distribution for ep in found if not plugins.is_allowed(ep)},
            lambda distribution: (plugins.blocked_reason(distribution), plugins.blocked_hint(distribution, tool)),
            session.trace,
        )


class HasSession(Protocol):
    """What a running app offers an extension point: its session."""

    @property
    def session(self) -> Session:
        """What the run knows (see :mod:`myapp.session`)."""


def _session_of(source: HasSession | Session | None) -> Session | None:
    """The session of *source*: a session, or an app whose run has opened one."""
    if source is None or isinstance(source, Session):
        return source
    try:
        return source.session
    except RuntimeError:  # an app that has not run a command line
        return None


class Extensions:
    """The implementations of one extension point that may run; each is loaded on first use."""

    def __init__(
        self,
        point: ExtensionPoint,
        entry_points: list[EntryPointInfo],
        blocked: dict[str, str] | None = None,
        why_blocked: Callable[[str], tuple[str, str]] | None = None,
        trace: PluginTrace | None = None,
    ) -> None:
        self.point = point
        self._trace = trace
        self._entry_points = entry_points
        #: implementation name -> the distribution that may not run
        self._blocked = blocked or {}
        self._why_blocked = why_blocked
        self._loaded: dict[EntryPointInfo, LoadedHook] = {}
        self._ordered: list[Extension] | None = None

    def names(self) -> list[str]:
        """The names of the implementations, sorted; imports nothing."""
        return sorted({ep.name for ep in self._entry_points})

    def driver(self, name: str) -> Any:
        """The implementation called *name* (a clash is settled by distribution name, with a warning).

        :raises ExtensionNotFound: no implementation that may run has that name (exit 2).
        :raises PluginLoadError: it could not be imported, created, or does not fit the contract (exit 3).
        """
        candidates = sorted((ep for ep in self._entry_points if ep.name == name), key=_by_distribution)
        if not candidates:
            raise self._not_found(name)
        if len(candidates) > 1:
            others = ", ".join(f"'{ep.distribution}'" for ep in candidates[1:])
            LOG.warning(
                "%s '%s' is also provided by %s; using the one from '%s'",
                self.point.contract.name,
                name,
                others,
                candidates[0].distribution,
            )
        loaded = self._load(candidates[0])
        if loaded.error is not None:
            raise loaded.error
        return loaded.function

    def __iter__(self) -> Iterator[Extension]:
        """Every implementation that loads, in hook order; one warning for each that does not.

        :raises ~myapp.hooks.order.HookOrderError: their ``before``/``after`` constraints form a cycle.
        """
        if self._ordered is None:
            from .hooks.order import order_hooks

            loaded = [self._load(ep) for ep in self._entry_points]
            for broken in (h.error for h in loaded if h.error is not None):
                _warn(broken)
            placed = order_hooks(self.point.namespace, [h for h in loaded if h.error is None])
            self._ordered = [Extension(p.hook.entry_point.name, p.hook.entry_point, p.hook.function) for p in placed]
        return iter(self._ordered)

    def map(self, method: str | None, /, *args: Any, **kwargs: Any) -> list[tuple[Extension, Any]]:
        """Call *method* (or, with ``None``, the implementation itself) on each; return what each returned.

        An implementation that raises is reported as one warning and left
        out; the others still run.
        """
        return [(extension, result) for extension in self for result in self._call(extension, method, args, kwargs)]

    def dispatch(
        self, predicate: Callable[[Extension], object], method: str | None, /, *args: Any, **kwargs: Any
    ) -> list[tuple[Extension, Any]]:
        """Like :meth:`map`, for the implementations *predicate* accepts only.

        A predicate that raises for an implementation leaves it out, with a warning.
        """
        chosen = [extension for extension in self if any(self._guarded(extension, "when selected", predicate))]
        return [(extension, result) for extension in chosen for result in self._call(extension, method, args, kwargs)]

    def _load(self, entry_point: EntryPointInfo) -> LoadedHook:
        if entry_point not in self._loaded:
            self._loaded[entry_point] = _load(entry_point, self.point.contract, self._trace)
        return self._loaded[entry_point]

    def _call(self, extension: Extension, method: str | None, args: tuple[Any, ...], kwargs: Any) -> list[Any]:
        where = "when called" if method is None else f"in '{method}'"
        return self._guarded(
            extension,
            where,
            lambda _: (extension.obj if method is None else getattr(extension.obj, method))(*args, **kwargs),
        )

    def _guarded(self, extension: Extension, where: str, call: Callable[[Extension], object]) -> list[Any]:
        """``[call(extension)]``, or ``[]`` after one warning when it raised."""
        try:
            return [call(extension)]
        except (KeyboardInterrupt, Terminated):
            raise
        except BaseException as error:  # noqa: BLE001 - an implementation may raise anything, SystemExit too
            _warn(_failure(extension.entry_point, self.point.contract, f"failed {where}", error))
            return []

    def _not_found(self, name: str) -> UsageError:
        noun, tool = self.point.contract.name, self.point.identity.name
        if name in self._blocked and self._why_blocked is not None:
            key = normalize_name(self._blocked[name])
            reason, hint = self._why_blocked(key)
            return UsageError(f"{noun} '{name}' comes from plugin '{key}', which is {reason}", hint=hint)
        available = self.names()
        hint = f"available: {', '.join(available)}" if available else f"no installed {tool} plugin provides one"
        return ExtensionNotFound(
            did_you_mean(name, available, after=f"no {noun} is called '{name}'"),
            point=self.point.name,
            name=name,
            available=available,
            hint=hint,
        )


def contract_of(target: object) -> Contract:
    """The contract a ``<tool>.contracts`` entry point registers: an :class:`ExtensionPoint`,
    a :class:`~myapp.contracts.Contract`, or a class to build one from.

    :raises TypeError: *target* is none of these.
    """
    import inspect

    from .contracts import Contract

    if isinstance(target, ExtensionPoint):
        return target.contract
    if isinstance(target, Contract):
        return target
    if inspect.isclass(target):
        return Contract.from_class(target)
    raise TypeError(f"expected an ExtensionPoint, a Contract or a class, found {type(target).__name__}")


def _load(entry_point: EntryPointInfo, contract: Contract, trace: PluginTrace | None) -> LoadedHook:
    """Import, verify and (for a class) create one implementation; faults end up in ``.error``."""
    from .contracts import load_verified
    from .hooks.context import LoadedHook, order_of
    from .plugins.loading import disable_hint

    hint = disable_hint(entry_point.distribution)
    try:
        target = load_verified(entry_point, contract, hint=hint, trace=trace)
        obj = _created(target, entry_point, contract, hint) if contract.kind == "object" else target
    except PluginLoadError as error:
        return LoadedHook(entry_point, error=error)
    return LoadedHook(entry_point, obj, order_of(target))


def _created(target: Any, entry_point: EntryPointInfo, contract: Contract, hint: str) -> Any:
    """An instance of *target* when it is a class, else *target* itself."""
    import inspect

    if not inspect.isclass(target):
        return target
    try:
        return target()
    except (KeyboardInterrupt, Terminated):
        raise
    except BaseException as error:
        raise _failure(entry_point, contract, "could not be created", error, hint) from error


def _failure(
    entry_point: EntryPointInfo, contract: Contract, what: str, error: BaseException, hint: str | None = None
) -> PluginLoadError:
    """The error for an implementation that raised *error*; *what* says when (``could not be created``)."""
    from .contracts import subject
    from .plugins.loading import describe_exception

    failure = PluginLoadError.of(
        entry_point, f"{subject(contract.name, entry_point)} {what} ({describe_exception(error)})", hint=hint
    )
    failure.__cause__ = error
    return failure


def _installed(namespace: str) -> list[EntryPointInfo]:
    """The entry points of *namespace* in every installed distribution (no app: no selection)."""
    import importlib.metadata

    return [
        EntryPointInfo(ep.name, ep.value, ep.group, ep.dist.name if ep.dist else "", ep.dist.version if ep.dist else "")
        for ep in importlib.metadata.entry_points(group=namespace)
    ]


def _by_distribution(entry_point: EntryPointInfo) -> str:
    return normalize_name(entry_point.distribution)


def _warn(error: PluginLoadError) -> None:
    LOG.warning("%s", error.message)
    LOG.debug("the cause of the above", exc_info=error.__cause__ or error)
