"""Firing events: an event's Python hooks in order, then its hook scripts.

Before a command (``initialize``, ``pre_*``): a :class:`~myapp.HookAbort`
stops the command (exit 4); any other failure stops it too (exit 3) unless
``hooks.on_failure = "warn"``. After a command (``post_*``): failures are
reported and the command's exit status stands, unless ``--strict-plugins``.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import HookAbort, MyappError, NoHomeError, without_debug_advice
from ..index.pluginindex import PluginIndex
from ..index.records import EntryPointInfo
from .context import (
    POST_COMMAND,
    PRE_COMMAND,
    SOURCE_SUFFIX,
    HookContext,
    LoadedHook,
    blame,
    command_event,
    is_pre_event,
    load_hook,
    run_python_hook,
)

if TYPE_CHECKING:
    from ..identity import Identity
    from ..plugins.trace import PluginTrace
    from .order import PlacedHook
    from .scripts import HookScript

LOG = logging.getLogger(__name__)

#: Receives one line per hook run, for ``hooks run``'s trace.
Trace = Callable[[str], None]


class HookPolicy(NamedTuple):
    """What the configuration says about hooks."""

    on_failure: str = "fail"
    #: ``--no-plugins``: run no hook scripts either
    safe_mode: bool = False
    script_timeout: float = 0.0
    order: Mapping[str, tuple[str, ...]] | None = None
    hook_dir: Path | None = None
    #: log tracebacks of hook failures
    debug: bool = False


class HookRunner:
    """Loads, orders and runs the hooks of the events that fire (and only those).

    :param not_plugins: normalized names of indexed distributions that are not
        plugins (the tool itself, cliff): a failure is never blamed on them.
    :param plugin_trace: the ``--debug-plugins`` trace.
    """

    def __init__(
        self,
        identity: Identity,
        index: PluginIndex | None,
        is_allowed: Callable[[EntryPointInfo], bool],
        policy: HookPolicy,
        not_plugins: Collection[str] = (),
        plugin_trace: PluginTrace | None = None,
    ) -> None:
        self.identity = identity
        #: the ``--debug-plugins`` trace, told of each hook's import and run
        self.plugin_trace = plugin_trace
        self.index = index
        self.is_allowed = is_allowed
        self.policy = policy
        self.not_plugins = not_plugins
        self._loaded: dict[str, list[LoadedHook]] = {}
        self._placed: dict[str, list[PlacedHook]] = {}

    def loaded_hooks(self, event: str) -> list[LoadedHook]:
        """The event's allowed Python hooks, imported (once) and checked, not yet ordered."""
        if event not in self._loaded:
            found = self.index.entry_points(self.identity.hook_namespace(event)) if self.index else []
            self._loaded[event] = [load_hook(ep, self.plugin_trace) for ep in found if self.is_allowed(ep)]
        return self._loaded[event]

    def python_hooks(self, event: str) -> list[PlacedHook]:
        """The event's Python hooks in running order, imported (once) and checked.

        :raises ~myapp.hooks.order.HookOrderError: their constraints form a cycle.
        """
        if event not in self._placed:
            loaded = self.loaded_hooks(event)
            placed = []
            if loaded:
                from .order import order_hooks  # graphlib and friends, only when there are hooks

                placed = order_hooks(event, loaded, (self.policy.order or {}).get(event, ()))
            self._placed[event] = placed
        return self._placed[event]

    def failure_of(self, hook: LoadedHook, error: BaseException) -> MyappError:
        """The error for *hook* raising *error*: it names the plugin whose code raised, and where to report it.

        The culprit is found from the traceback's frames (:mod:`myapp.plugins.blame`); when
        no frame belongs to a plugin, the hook's own plugin is blamed.
        """
        if isinstance(error, HookAbort) or self.index is None:
            return blame(hook, error)
        from ..plugins.blame import find_culprit, report_hint

        culprit = find_culprit(error, self.index, self.not_plugins) or self.index.distribution(hook.distribution)
        if culprit is None:
            return blame(hook, error)
        return blame(hook, error, culprit, report_hint(culprit, self.identity.name, skip=hook.distribution))

    @functools.cached_property
    def script_directory(self) -> Path | None:
        """Where hook scripts live; ``None`` when that is a relative path (refused with a warning).

        :raises ~myapp.errors.NoHomeError: no ``hook_dir`` is configured and there is no home to find one in.
        """
        from ..trust import absolute_folder

        return absolute_folder(self.policy.hook_dir or self.identity.config_dir / "hooks", "hook folder")

    @functools.cached_property
    def _has_scripts(self) -> bool:
        if self.policy.safe_mode:
            return False
        try:
            directory = self.script_directory
            return directory is not None and directory.is_dir()
        except (NoHomeError, OSError) as error:  # no home, or a hooks folder that cannot be looked at
            LOG.info("running no hook scripts (%s)", error)
            return False

    def scripts(self, event: str) -> list[HookScript]:
        """The event's runnable hook scripts; none in safe mode (``--no-plugins``)."""
        if not self._has_scripts or self.script_directory is None:
            return []
        from .scripts import find_scripts  # only when there is a hooks folder

        return find_scripts(self.script_directory, event)

    def fire(self, event: str, context: HookContext, trace: Trace | None = None) -> list[MyappError]:
        """Run every hook of *event*; return the failures that did not stop the command.

        :raises HookAbort: a pre-event hook stopped the command.
        :raises MyappError: a pre-event hook failed and the policy is to fail.
        """
        context.event = event
        failures: list[MyappError] = []
        try:
            runs = self._runs(event, context)
        except MyappError as error:  # the hooks cannot be ordered
            if is_pre_event(event):
                raise
            self._report(error, logging.ERROR)
            return [error]
        for label, run in runs:
            failure = _timed(event, label, run, trace, self.plugin_trace)
            if failure is None:
                continue
            if is_pre_event(event) and (isinstance(failure, HookAbort) or self.policy.on_failure != "warn"):
                raise failure
            self._report(failure, logging.WARNING if is_pre_event(event) else logging.ERROR)
            failures.append(failure)
        failures += self._fire_source_hooks(event, context)
        return failures

    def around_command(
        self, context: HookContext, run: Callable[[], int], report: Callable[[BaseException], int]
    ) -> tuple[int, BaseException | None, list[MyappError]]:
        """Fire ``pre_command`` and ``pre_<command>``, *run* the command, then ``post_<command>`` and ``post_command``.

        The general events are outermost. A failure of the pre-events or of *run* is
        handed to *report*, which says the exit status; the post-events fire
        either way, their context holding the exit status and the exception.

        :param context: the command's context, its ``command`` being the command's name.
        :returns: the exit status, the exception that ended the command (if any),
            and the failures of post-event hooks.
        """
        command = context.command
        assert command is not None, "the context of a command names it"
        error: BaseException | None = None
        try:
            for event in (PRE_COMMAND, command_event("pre", command)):
                self.fire(event, context)
            result = run()
        except BaseException as caught:  # noqa: BLE001 - reported now; post-hooks must still run
            error = caught
            result = report(caught)
        context.exit_code, context.exception = result, error
        failures: list[MyappError] = []
        for event in (command_event("post", command), POST_COMMAND):
            failures += self.fire(event, context)
        return result, error, failures

    def _report(self, error: MyappError, level: int) -> None:
        """Log a failure that does not stop the command: its line, its hint, and with ``--debug`` its traceback."""
        hint = without_debug_advice(error.hint) if error.hint and self.policy.debug else error.hint
        text = f"{error.message}\nhint: {hint}" if hint else error.message
        LOG.log(level, "%s", text, exc_info=_traceback_of(error) if self.policy.debug else None)

    def _runs(self, event: str, context: HookContext) -> list[tuple[str, Callable[[], MyappError | None]]]:
        runs: list[tuple[str, Callable[[], MyappError | None]]] = []
        for placed in self.python_hooks(event):
            runs.append((placed.hook.label, self._python_run(placed, context)))
        for script in self.scripts(event):
            runs.append((script.label, _script_run(script, self.identity, context, self.policy.script_timeout)))
        return runs

    def _fire_source_hooks(self, event: str, context: HookContext) -> list[MyappError]:
        """Collect shell code from ``<event>_source`` hooks for the calling shell, if it asked."""
        target = os.environ.get(self.identity.env_name("source_file"))
        if not target:
            return []
        failures: list[MyappError] = []
        chunks = []
        source_event = event + SOURCE_SUFFIX
        context.event = source_event
        try:
            source_hooks = self.python_hooks(source_event)
        except MyappError as error:  # the hooks cannot be ordered
            self._report(error, logging.WARNING)
            context.event = event
            return [error]
        for placed in source_hooks:
            produced: list[object] = []
            failure = _timed(
                source_event, placed.hook.label, self._python_run(placed, context, produced), None, self.plugin_trace
            )
            if failure is not None:
                self._report(failure, logging.WARNING)
                failures.append(failure)
            elif isinstance(produced[0], str) and produced[0].strip():
                chunks.append(produced[0])
        context.event = event
        if chunks:
            with open(target, "a", encoding="utf-8") as stream:
                stream.write("".join(chunk if chunk.endswith("\n") else chunk + "\n" for chunk in chunks))
        return failures

    def _python_run(
        self, placed: PlacedHook, context: HookContext, produced: list[object] | None = None
    ) -> Callable[[], MyappError | None]:
        """Run one Python hook: its failure or ``None``; what it returned goes to *produced*, if given."""

        def run() -> MyappError | None:
            error, value = run_python_hook(placed.hook, context, self.failure_of)
            if produced is not None:
                produced.append(value)
            return error

        return run


def _script_run(
    script: HookScript, identity: Identity, context: HookContext, timeout: float
) -> Callable[[], MyappError | None]:
    def run() -> MyappError | None:
        from .scripts import run_script

        try:
            run_script(script, identity, context, timeout)
        except MyappError as error:
            return error
        return None

    return run


def _traceback_of(error: MyappError) -> Any:
    cause = error.__cause__
    return (type(cause), cause, cause.__traceback__) if cause else None


def _timed(
    event: str,
    label: str,
    run: Callable[[], MyappError | None],
    trace: Trace | None = None,
    plugin_trace: PluginTrace | None = None,
) -> MyappError | None:
    """``run()``, timed for ``hooks run --trace`` (*trace*) and ``--debug-plugins`` (*plugin_trace*)."""
    started = time.perf_counter()
    error = run()
    seconds = time.perf_counter() - started
    if trace is not None:
        outcome = "ok" if error is None else error.message
        trace(f"{event}: {label}: {outcome} ({seconds * 1000:.1f} ms)")
    if plugin_trace is not None:
        plugin_trace.hook_ran(event, label, seconds, None if error is None else error.message)
    return error
