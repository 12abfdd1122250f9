"""Checking plugins by importing them: what ``plugin check``, ``plugin list --verify``
and ``--strict-plugins`` report.

Only plugins that may run are imported; a disabled plugin's code never is.
The arguments of every command checked are recorded for shell completion on
the way (see :mod:`myapp.completion.arguments`).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .completion.arguments import record_arguments
from .contracts import Contract, ContractError, load_verified
from .discovery import EntryPointInfo, normalize_name
from .errors import MyappError
from .hooks import INITIALIZE, POST_COMMAND, PRE_COMMAND, SOURCE_SUFFIX, command_event, load_hook
from .plugins import Plugin, suggestion
from .versions import check_entry_points, split_version

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
    contracts = _Contracts(app)
    for plugin in plugins if progress is None else progress:
        if not plugin.verdict.runs:
            report.problems.append(Problem(plugin.name, "", WARNING, f"not checked: {plugin.verdict.reason}"))
            continue
        started = time.perf_counter()
        for entry_point in plugin.entry_points:
            report.problems += _check_entry_point(app, entry_point, commands, contracts)
        report.problems += _version_problems(app, plugin, commands)
        report.load_seconds[plugin.name] = time.perf_counter() - started
    report.problems += _clashes(app, plugins)
    return report


def _check_entry_point(
    app: App, entry_point: EntryPointInfo, commands: set[str], contracts: _Contracts
) -> Iterator[Problem]:
    identity = app.identity
    label = f"{entry_point.group}: {entry_point.name} = {entry_point.value}"

    def problem(text: str, severity: str = ERROR) -> Problem:
        return Problem(entry_point.distribution, label, severity, text)

    hook_prefix = identity.hook_namespace("")
    extension_prefix = identity.extension_namespace("")
    if entry_point.group == identity.command_namespace:
        for error in _command_errors(app, entry_point):
            yield problem(error)
    elif entry_point.group.startswith(hook_prefix):
        event = entry_point.group[len(hook_prefix) :]
        unknown = _unknown_event(event, commands)
        if unknown:
            yield problem(unknown, WARNING)
        hook = load_hook(entry_point)
        if hook.error is not None:
            yield from map(problem, _messages(hook.error))
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
    elif entry_point.group.startswith(extension_prefix):
        contract, why_not = contracts.of(entry_point.group[len(extension_prefix) :])
        if contract is None:
            yield problem(f"{why_not}, so only its import was checked", WARNING)
        yield from map(problem, _load_errors(entry_point, contract))
    elif entry_point.group == identity.contract_namespace:
        yield from map(problem, _registration_errors(entry_point))


def _messages(error: MyappError) -> list[str]:
    """One line per problem: each contract mismatch on its own."""
    return error.problems if isinstance(error, ContractError) else [error.message]


def _command_errors(app: App, entry_point: EntryPointInfo) -> list[str]:
    from .commandentry import CommandEntry, command_name

    manager = app.command_manager
    name = command_name(split_version(entry_point.name)[0])  # every version is checked under the command's name
    entry = manager.get(name)
    if entry is None or entry.entry_point != entry_point:
        entry = CommandEntry(name, entry_point)
    try:
        command = manager.create(entry, app, app.options)
        parser = app.command_parser(entry, command, f"{app.NAME} {entry.name}")
    except MyappError as error:
        return _messages(error)
    record_arguments(app, entry, command, parser)
    return []


class _Contracts:
    """The contracts extension points register in ``<tool>.contracts``, each loaded once per check."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._found: dict[str, tuple[Contract | None, str]] = {}

    def of(self, point: str) -> tuple[Contract | None, str]:
        """The contract of extension point *point*, or ``None`` and why there is none."""
        if point not in self._found:
            self._found[point] = self._load(point)
        return self._found[point]

    def _load(self, point: str) -> tuple[Contract | None, str]:
        from ._loading import import_target
        from .extensions import contract_of

        app = self.app
        assert app.index is not None and app.selection is not None
        found = app.index.lookup(app.identity.contract_namespace, point)
        registered = sorted(filter(app.selection.is_allowed, found), key=lambda ep: normalize_name(ep.distribution))
        if not registered:
            return None, f"no enabled plugin registers extension point '{point}' in '{app.identity.contract_namespace}'"
        try:
            return contract_of(import_target(registered[0])), ""
        except (MyappError, TypeError):  # reported where the registration itself is checked
            return None, f"the contract of extension point '{point}' ({registered[0].distribution}) cannot be loaded"


def _load_errors(entry_point: EntryPointInfo, contract: Contract | None) -> list[str]:
    """What is wrong with an extension point's implementation: its import, then its contract."""
    from ._loading import import_target

    try:
        if contract is None:
            import_target(entry_point)
        else:
            load_verified(entry_point, contract)
    except MyappError as error:
        return _messages(error)
    return []


def _registration_errors(entry_point: EntryPointInfo) -> list[str]:
    """What is wrong with a ``<tool>.contracts`` entry point: it must name the extension point it registers."""
    from ._loading import import_target
    from .extensions import ExtensionPoint, contract_of

    try:
        target = import_target(entry_point)
        contract_of(target)
    except MyappError as error:
        return [error.message]
    except TypeError as error:
        return [f"registers '{entry_point.value}' as the contract of extension point '{entry_point.name}': {error}"]
    if isinstance(target, ExtensionPoint) and target.name != entry_point.name:
        return [f"registers extension point '{target.name}' under the name '{entry_point.name}'; use '{target.name}'"]
    return []


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
    events = [command_event(phase, command) for phase in ("pre", "post") for command in commands]
    if base in events:
        return ""
    return f"event '{event}' names no command, so the hook never runs{suggestion(base, events)}"


def _dead_reference(app: App, reference: str) -> str:
    assert app.index is not None and app.selection is not None
    distribution = reference.partition(":")[0]
    if app.index.distribution(distribution) is None:
        return f"'{reference}', which is not installed"
    verdict = app.selection.verdict(distribution)
    return "" if verdict.runs else f"'{reference}', which is {verdict.state.value} ({verdict.reason})"


def _version_problems(app: App, plugin: Plugin, commands: set[str]) -> Iterator[Problem]:
    """Badly numbered command versions, and deprecations or renames that point nowhere."""
    for entry_point, problem, is_error in check_entry_points(plugin.entry_points, app.identity, commands):
        label = f"{entry_point.group}: {entry_point.name} = {entry_point.value}"
        yield Problem(entry_point.distribution, label, ERROR if is_error else WARNING, problem)


def _clashes(app: App, plugins: list[Plugin]) -> Iterator[Problem]:
    names = {split_version(n)[0] for plugin in plugins for n in plugin.provides(app.identity)[0]}
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
