"""Checking plugins by importing them: what ``plugin check``, ``plugin list --verify``
and ``--strict-plugins`` report.

Only plugins that may run are imported; a disabled plugin's code never is.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .discovery import EntryPointInfo, normalize_name
from .errors import MyappError
from .hooks import INITIALIZE, POST_COMMAND, PRE_COMMAND, SOURCE_SUFFIX, load_hook
from .plugins import Plugin, suggestion

if TYPE_CHECKING:
    from .app import App

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plugin; errors make ``plugin check`` exit 3."""

    plugin: str
    entry_point: str
    severity: str
    problem: str


@dataclass(slots=True)
class Report:
    """What checking some plugins found, and how long each took to import."""

    problems: list[Problem] = field(default_factory=list)
    load_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def broken(self) -> dict[str, str]:
        """Plugin name -> its first error."""
        found: dict[str, str] = {}
        for problem in self.problems:
            if problem.severity == ERROR:
                found.setdefault(problem.plugin, problem.problem)
        return found


def check_plugins(app: App, plugins: Iterable[Plugin], *, progress: Iterable[Plugin] | None = None) -> Report:
    """Import and verify every entry point of the *plugins* that may run, and their references."""
    report = Report()
    plugins = list(plugins)
    commands = set(app.command_manager.commands)
    for plugin in plugins if progress is None else progress:
        if not plugin.verdict.runs:
            report.problems.append(Problem(plugin.name, "", WARNING, f"not checked: {plugin.verdict.reason}"))
            continue
        started = time.perf_counter()
        for entry_point in plugin.entry_points:
            report.problems += _check_entry_point(app, entry_point, commands)
        report.load_seconds[plugin.name] = time.perf_counter() - started
    report.problems += _clashes(app, plugins)
    return report


def _check_entry_point(app: App, entry_point: EntryPointInfo, commands: set[str]) -> Iterator[Problem]:
    identity = app.identity
    label = f"{entry_point.group}: {entry_point.name} = {entry_point.value}"

    def problem(text: str, severity: str = ERROR) -> Problem:
        return Problem(entry_point.distribution, label, severity, text)

    hook_prefix = identity.hook_namespace("")
    if entry_point.group == identity.command_namespace:
        error = _command_error(app, entry_point)
        if error:
            yield problem(error)
    elif entry_point.group.startswith(hook_prefix):
        event = entry_point.group[len(hook_prefix) :]
        unknown = _unknown_event(event, commands)
        if unknown:
            yield problem(unknown, WARNING)
        hook = load_hook(entry_point)
        if hook.error is not None:
            yield problem(hook.error.message)
        else:
            for reference in (*hook.order.before, *hook.order.after):
                dead = _dead_reference(app, reference)
                if dead:
                    yield problem(f"its order names {dead}", WARNING)
    elif entry_point.group.startswith(identity.command_namespace + "."):
        command = " ".join(entry_point.group[len(identity.command_namespace) + 1 :].split("_"))
        if command not in commands:
            yield problem(f"adds to command '{command}', which does not exist{suggestion(command, commands)}", WARNING)
        error = _command_hook_error(entry_point)
        if error:
            yield problem(error)


def _command_error(app: App, entry_point: EntryPointInfo) -> str:
    manager = app.command_manager
    entry = manager.get(" ".join(entry_point.name.split("_")))
    if entry is None or entry.entry_point != entry_point:
        from .commandmanager import CommandEntry, command_name

        entry = CommandEntry(command_name(entry_point.name), entry_point)
    try:
        command = manager.create(entry, app, app.options)
        app.command_parser(entry, command, f"{app.NAME} {entry.name}")
    except MyappError as error:
        return error.message
    return ""


def _command_hook_error(entry_point: EntryPointInfo) -> str:
    from cliff.hooks import CommandHook

    from ._loading import import_target

    try:
        target = import_target(entry_point)
    except MyappError as error:
        return error.message
    if not (inspect.isclass(target) and issubclass(target, CommandHook)):
        return f"'{entry_point.value}' is not a cliff CommandHook class"
    return ""


def _unknown_event(event: str, commands: set[str]) -> str:
    base = event.removesuffix(SOURCE_SUFFIX)
    if base in (INITIALIZE, PRE_COMMAND, POST_COMMAND):
        return ""
    phase, _, command = base.partition("_")
    name = " ".join(command.split("_"))
    if phase in ("pre", "post") and name in commands:
        return ""
    events = [f"{p}_{c.replace(' ', '_')}" for p in ("pre", "post") for c in commands]
    return f"event '{event}' names no command, so the hook never runs{suggestion(base, events)}"


def _dead_reference(app: App, reference: str) -> str:
    assert app.index is not None and app.selection is not None
    distribution = reference.partition(":")[0]
    if app.index.distribution(distribution) is None:
        return f"'{reference}', which is not installed"
    verdict = app.selection.verdict(distribution)
    return "" if verdict.runs else f"'{reference}', which is {verdict.state.value} ({verdict.reason})"


def _clashes(app: App, plugins: list[Plugin]) -> Iterator[Problem]:
    names = {n for plugin in plugins for n in plugin.provides(app.identity)[0]}
    for name in sorted(names):
        winner = app.command_manager.get(name)
        for loser in app.command_manager.clashes(name):
            if winner is not None:
                yield Problem(
                    loser.distribution,
                    f"{loser.entry_point.group}: {loser.entry_point.name} = {loser.value}",
                    WARNING,
                    f"command '{name}' is also provided by '{winner.distribution}', which wins",
                )


def config_references(app: App) -> Iterator[Problem]:
    """Plugins named in ``hooks.order`` that are not installed or do not run."""
    assert app.config is not None
    for event, references in app.config["hooks.order"].items():
        for reference in references:
            dead = _dead_reference(app, reference)
            if dead:
                yield Problem(
                    normalize_name(reference.partition(":")[0]),
                    f"[hooks.order] {event}",
                    WARNING,
                    f"the configured order names {dead}",
                )
