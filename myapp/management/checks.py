"""Checking plugins by importing them: what ``plugin check``, ``plugin list --verify``
and ``--strict-plugins`` report.

Only plugins that may run are imported; a disabled plugin's code never is.
The arguments of every command checked are recorded for shell completion on
the way (see :mod:`myapp.commands.arguments`).
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..commands.versions import check_entry_points
from ..contracts import Contract, ContractError, load_verified
from ..errors import MyappError, did_you_mean, shown
from ..hooks.context import INITIALIZE, POST_COMMAND, PRE_COMMAND, SOURCE_SUFFIX, command_event, load_hook
from ..index.names import MAX_NAME_LENGTH, split_version
from ..index.records import EntryPointInfo, normalize_name
from ..plugins.state import Plugin

if TYPE_CHECKING:
    from ..commands.entry import CommandBuilder
    from ..identity import Identity
    from ..plugins.trace import PluginTrace
    from ..session import Session

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


def check_plugins(
    session: Session,
    builder: CommandBuilder,
    plugins: Iterable[Plugin],
    *,
    progress: Iterable[Plugin] | None = None,
    isolated: bool = False,
) -> Report:
    """Import and verify every entry point of the *plugins* that may run, and their references.

    :param builder: creates each command as a run would (the cliff App), to check it builds its arguments.
    :param isolated: first try each import in a child process (see :mod:`myapp.plugins.isolation`):
        one that ends the process or overruns the ``import_timeout`` setting is an error, and is not tried here.
    """
    report = Report()
    plugins = list(plugins)
    commands = set(session.commands.commands)
    stopped = _stopping_imports(session, plugins) if isolated else {}
    contracts = _Contracts(session, stopped)
    for plugin in plugins if progress is None else progress:
        if not plugin.verdict.runs:
            report.problems.append(Problem(plugin.name, "", WARNING, f"not checked: {plugin.verdict.reason}"))
            continue
        started = time.perf_counter()
        report.problems += _refused_names(session, plugin)
        for entry_point in plugin.entry_points:
            if entry_point in stopped:
                report.problems.append(
                    Problem(entry_point.distribution, _label(entry_point), ERROR, stopped[entry_point])
                )
            else:
                report.problems += _check_entry_point(session, builder, entry_point, commands, contracts)
        report.problems += _version_problems(session, plugin, commands)
        report.load_seconds[plugin.name] = time.perf_counter() - started
    report.problems += _clashes(session, plugins)
    return report


def _stopping_imports(session: Session, plugins: list[Plugin]) -> dict[EntryPointInfo, str]:
    """The entry points of *plugins* whose import ends the process or overruns the time limit, and what happened.

    Each import the check would make is tried first in a child process; the
    other failures are left to the check itself, which finds them again.
    """
    from ..plugins.isolation import run_isolated
    from ..plugins.loading import import_target

    def work(entry_point: EntryPointInfo) -> dict[str, Any]:
        try:
            import_target(entry_point)
        except MyappError:
            pass
        return {}

    identity = session.identity
    entry_points = [
        entry_point
        for plugin in plugins
        if plugin.verdict.runs
        for entry_point in plugin.entry_points
        if _kind(identity, entry_point.group) and entry_point.module not in sys.modules
    ]
    assert session.config is not None
    outcomes = run_isolated(entry_points, work, session.config["import_timeout"], session.trace)
    return {outcome.entry_point: outcome.message for outcome in outcomes if outcome.record is None}


def _kind(identity: Identity, group: str) -> str:
    """What an entry point of *group* registers, among the kinds the check imports; empty for any other group."""
    if group in identity.command_groups:
        return "command"
    if group.startswith(identity.hook_namespace("")):
        return "hook"
    if group.startswith(identity.command_namespace + "."):
        return "command hook"
    if group.startswith(identity.extension_namespace("")):
        return "extension"
    return "contract" if group == identity.contract_namespace else ""


def _label(entry_point: EntryPointInfo) -> str:
    return f"{entry_point.group}: {entry_point.name} = {entry_point.value}"


def _check_entry_point(
    session: Session, builder: CommandBuilder, entry_point: EntryPointInfo, commands: set[str], contracts: _Contracts
) -> Iterator[Problem]:
    identity = session.identity
    label = _label(entry_point)

    def problem(text: str, severity: str = ERROR) -> Problem:
        return Problem(entry_point.distribution, label, severity, text)

    kind = _kind(identity, entry_point.group)
    if kind == "command":
        for error in _command_errors(session, builder, entry_point):
            yield problem(error)
    elif kind == "hook":
        hook_prefix = identity.hook_namespace("")
        event = entry_point.group[len(hook_prefix) :]
        unknown = unknown_event_problem(event, commands)
        if unknown:
            yield problem(unknown, WARNING)
        hook = load_hook(entry_point, session.trace)
        if hook.error is not None:
            yield from map(problem, _messages(hook.error))
        else:
            for reference in (*hook.order.before, *hook.order.after):
                dead = _dead_reference(session, reference)
                if dead:
                    yield problem(f"its order names {dead}", WARNING)
    elif kind == "command hook":
        command = " ".join(entry_point.group[len(identity.command_namespace) + 1 :].split("_"))
        if command not in commands:
            message = did_you_mean(command, commands, after=f"adds to command '{command}', which does not exist")
            yield problem(message, WARNING)
        error = _command_hook_error(entry_point, session.trace)
        if error:
            yield problem(error)
    elif kind == "extension":
        contract, why_not = contracts.of(entry_point.group[len(identity.extension_namespace("")) :])
        if contract is None:
            yield problem(f"{why_not}, so only its import was checked", WARNING)
        yield from map(problem, _load_errors(entry_point, contract, session.trace))
    elif kind == "contract":
        yield from map(problem, _registration_errors(entry_point, session.trace))


def _refused_names(session: Session, plugin: Plugin) -> Iterator[Problem]:
    """The entry points of *plugin* left out of the index because their names could be read as paths."""
    for refused in session.index.refused_names:
        if normalize_name(refused.distribution) == plugin.distribution.key:
            yield Problem(
                plugin.name,
                f"{refused.group}: {shown(refused.name)}",
                ERROR,
                f"ignored: {refused.problem}; a name must be a plain word of at most {MAX_NAME_LENGTH} "
                "printable characters, without '/' or a leading '.'",
            )


def _messages(error: MyappError) -> list[str]:
    """One line per problem: each contract mismatch on its own."""
    return error.problems if isinstance(error, ContractError) else [error.message]


def _command_errors(session: Session, builder: CommandBuilder, entry_point: EntryPointInfo) -> list[str]:
    from ..commands.entry import CommandEntry
    from ..index.names import command_name, untypable_reason

    untypable = untypable_reason(entry_point.name)
    if untypable:
        return [f"command '{entry_point.name}' can never be typed: {untypable}"]
    name = command_name(split_version(entry_point.name)[0])  # every version is checked under the command's name
    entry = session.commands.get(name)
    if entry is None or entry.entry_point != entry_point:
        entry = CommandEntry(name, entry_point)
    try:
        command, parser = builder.build_command(entry)
    except MyappError as error:
        return _messages(error)
    session.record_arguments(entry, command, parser)
    return []


class _Contracts:
    """The contracts extension points register in ``<tool>.contracts``, each loaded once per check."""

    def __init__(self, session: Session, stopped: Mapping[EntryPointInfo, str]) -> None:
        self.session = session
        #: registrations whose import ends the process or never returns: not imported
        self._stopped = stopped
        self._found: dict[str, tuple[Contract | None, str]] = {}

    def of(self, point: str) -> tuple[Contract | None, str]:
        """The contract of extension point *point*, or ``None`` and why there is none."""
        if point not in self._found:
            self._found[point] = self._load(point)
        return self._found[point]

    def _load(self, point: str) -> tuple[Contract | None, str]:
        from ..extensions import contract_of
        from ..plugins.loading import import_target

        session = self.session
        assert session.index is not None and session.plugins is not None
        found = session.index.lookup(session.identity.contract_namespace, point)
        registered = sorted(filter(session.plugins.is_allowed, found), key=lambda ep: normalize_name(ep.distribution))
        if not registered:
            namespace = session.identity.contract_namespace
            return None, f"no enabled plugin registers extension point '{point}' in '{namespace}'"
        unusable = f"the contract of extension point '{point}' ({registered[0].distribution}) cannot be loaded"
        if registered[0] in self._stopped:
            return None, unusable
        try:
            return contract_of(import_target(registered[0], trace=session.trace)), ""
        except (MyappError, TypeError):  # reported where the registration itself is checked
            return None, unusable


def _load_errors(entry_point: EntryPointInfo, contract: Contract | None, trace: PluginTrace | None) -> list[str]:
    """What is wrong with an extension point's implementation: its import, then its contract."""
    from ..plugins.loading import import_target

    try:
        if contract is None:
            import_target(entry_point, trace=trace)
        else:
            load_verified(entry_point, contract, trace=trace)
    except MyappError as error:
        return _messages(error)
    return []


def _registration_errors(entry_point: EntryPointInfo, trace: PluginTrace | None) -> list[str]:
    """What is wrong with a ``<tool>.contracts`` entry point: it must name the extension point it registers."""
    from ..extensions import ExtensionPoint, contract_of
    from ..plugins.loading import import_target

    try:
        target = import_target(entry_point, trace=trace)
        contract_of(target)
    except MyappError as error:
        return [error.message]
    except TypeError as error:
        return [f"registers '{entry_point.value}' as the contract of extension point '{entry_point.name}': {error}"]
    if isinstance(target, ExtensionPoint) and target.name != entry_point.name:
        return [f"registers extension point '{target.name}' under the name '{entry_point.name}'; use '{target.name}'"]
    return []


def _command_hook_error(entry_point: EntryPointInfo, trace: PluginTrace | None) -> str:
    from cliff.hooks import CommandHook

    from ..plugins.loading import import_target

    try:
        target = import_target(entry_point, trace=trace)
    except MyappError as error:
        return error.message
    if not (inspect.isclass(target) and issubclass(target, CommandHook)):
        return f"'{entry_point.value}' is not a cliff CommandHook class"
    return ""


def unknown_event_problem(event: str, commands: Iterable[str], consequence: str = ", so the hook never runs") -> str:
    """Why no hook of *event* ever runs (it names no command of *commands*, with a close one), or ``""``."""
    base = event.removesuffix(SOURCE_SUFFIX)
    if base in (INITIALIZE, PRE_COMMAND, POST_COMMAND):
        return ""
    events = [command_event(phase, command) for phase in ("pre", "post") for command in commands]
    if base in events:
        return ""
    return did_you_mean(base, events, after=f"event '{event}' names no command{consequence}")


def _dead_reference(session: Session, reference: str) -> str:
    assert session.index is not None and session.plugins is not None
    distribution = reference.partition(":")[0]
    if session.index.distribution(distribution) is None:
        return f"'{reference}', which is not installed"
    verdict = session.plugins.verdict(distribution)
    return "" if verdict.runs else f"'{reference}', which is {verdict.state.value} ({verdict.reason})"


def _version_problems(session: Session, plugin: Plugin, commands: set[str]) -> Iterator[Problem]:
    """Badly numbered command versions, and deprecations or renames that point nowhere."""
    for entry_point, problem, is_error in check_entry_points(plugin.entry_points, session.identity, commands):
        label = f"{entry_point.group}: {entry_point.name} = {entry_point.value}"
        yield Problem(entry_point.distribution, label, ERROR if is_error else WARNING, problem)


def _clashes(session: Session, plugins: list[Plugin]) -> Iterator[Problem]:
    names = {split_version(n)[0] for plugin in plugins for n in plugin.provides(session.identity)[0]}
    for name in sorted(names):
        winner = session.commands.get(name)
        for loser in session.commands.clashes(name):
            if winner is not None:
                yield Problem(
                    loser.distribution,
                    f"{loser.entry_point.group}: {loser.entry_point.name} = {loser.value}",
                    WARNING,
                    f"command '{name}' is also provided by '{winner.distribution}', which wins",
                )


def config_references(session: Session) -> Iterator[Problem]:
    """Plugins named in ``hooks.order`` that are not installed or do not run."""
    assert session.config is not None
    for event, references in session.config["hooks.order"].items():
        for reference in references:
            dead = _dead_reference(session, reference)
            if dead:
                yield Problem(
                    normalize_name(reference.partition(":")[0]),
                    f"[hooks.order] {event}",
                    WARNING,
                    f"the configured order names {dead}",
                )
