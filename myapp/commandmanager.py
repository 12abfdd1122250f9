"""The command table: command names mapped to entry points, imported on demand.

Unlike cliff's own ``CommandManager``, building the table imports nothing:
it is filled from :mod:`myapp.discovery`'s metadata index, and only the
command being run is imported. Built-in commands win name clashes with
plugins; a clash between two plugins is settled by distribution name.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import stevedore
from cliff import command as cliff_command
from cliff import commandmanager as cliff_commandmanager

from ._loading import describe_exception, import_target
from .discovery import EXTRA_NAMESPACE_PREFIXES, EntryPointInfo, PluginIndex, normalize_name
from .errors import PluginLoadError, Terminated, UsageError

if TYPE_CHECKING:
    from .identity import Identity

LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommandEntry:
    """One row of the command table; the command's module is not imported yet."""

    name: str
    entry_point: EntryPointInfo
    version: str
    builtin: bool = False

    @property
    def value(self) -> str:
        """``module:attribute`` of the command class (cliff reads this for messages)."""
        return self.entry_point.value

    @property
    def distribution(self) -> str:
        """The distribution that registered the command."""
        return self.entry_point.distribution

    def load(self) -> type[cliff_command.Command]:
        """Import the command class.

        :raises PluginLoadError: the import failed or the target is not a
            cliff ``Command`` subclass.
        """
        target = import_target(self.entry_point, hint=self.hint)
        if not (inspect.isclass(target) and issubclass(target, cliff_command.Command)):
            raise self.failure(f"registers '{self.value}', which is not a cliff Command class (found {_kind(target)})")
        return target

    @property
    def hint(self) -> str | None:
        """What to do when this command's plugin misbehaves."""
        return None if self.builtin else disable_hint(self.distribution)

    def failure(self, problem: str) -> PluginLoadError:
        """An error blaming this command's distribution for *problem*."""
        return PluginLoadError(
            f"plugin '{self.distribution}' command '{self.name}' {problem}",
            distribution=self.distribution,
            entry_point=f"{self.entry_point.name} = {self.value}",
            namespace=self.entry_point.group,
            hint=self.hint,
        )


def disable_hint(distribution: str) -> str:
    """The standard advice for a plugin that misbehaves."""
    return f"reinstall or fix it, or skip it with '--disable-plugin {normalize_name(distribution)}'"


def command_name(entry_point_name: str) -> str:
    """The name users type: ``plugin_list`` is ``plugin list``."""
    return " ".join(entry_point_name.split("_"))


def _kind(target: object) -> str:
    return f"class {target.__name__}" if inspect.isclass(target) else type(target).__name__


class CommandManager(cliff_commandmanager.CommandManager):
    """cliff's command manager, fed from metadata instead of imports."""

    def __init__(self, identity: Identity) -> None:
        super().__init__(namespace=None)
        # cliff's Command reads this to find CommandHook plugins
        # (``<namespace>.<command>``); set after super() so nothing is scanned.
        self.namespace = identity.command_namespace
        self.identity = identity
        self.commands: dict[str, CommandEntry] = {}  # type: ignore[assignment]
        self._clashes: dict[str, list[CommandEntry]] = {}
        self._index: PluginIndex | None = None
        self._allowed: Callable[[EntryPointInfo], bool] = lambda entry_point: False

    def add_builtins(self, table: Mapping[str, str], distribution: str, version: str) -> None:
        """Register built-in commands from a ``{name: "module:attribute"}`` table."""
        for name, value in table.items():
            entry_point = EntryPointInfo(name, value, self.namespace, distribution)
            self.commands[name] = CommandEntry(name, entry_point, version, builtin=True)

    def add_plugins(
        self, index: PluginIndex, *, include: Iterable[str] | None = None, exclude: Iterable[str] = ()
    ) -> None:
        """Register the commands of the indexed distributions.

        :param include: normalized names of the distributions allowed to
            provide code; ``None`` allows all.
        :param exclude: normalized names of distributions never to use.
            The tool's own distribution and cliff (for its output formatters)
            are always allowed.
        """
        trusted = {normalize_name(self.identity.distribution), "cliff"}
        allowed = None if include is None else {*include, *trusted}
        excluded = set(exclude) - trusted

        def is_allowed(entry_point: EntryPointInfo) -> bool:
            key = normalize_name(entry_point.distribution)
            return key not in excluded and (allowed is None or key in allowed)

        self._index = index
        for group in index.groups():
            if group.startswith(EXTRA_NAMESPACE_PREFIXES):
                stevedore.ExtensionManager.ENTRY_POINT_CACHE[group] = [
                    ep.to_entry_point() for ep in index.entry_points(group) if is_allowed(ep)
                ]
        self._allowed = is_allowed
        own = normalize_name(self.identity.distribution)
        entry_points = sorted(
            filter(is_allowed, index.entry_points(self.namespace)),
            key=lambda ep: (normalize_name(ep.distribution), ep.name),
        )
        for entry_point in entry_points:
            distribution = index.distribution(entry_point.distribution)
            version = distribution.version if distribution else ""
            builtin = normalize_name(entry_point.distribution) == own
            self._add(CommandEntry(command_name(entry_point.name), entry_point, version, builtin=builtin))

    def _add(self, entry: CommandEntry) -> None:
        current = self.commands.get(entry.name)
        if current is None:
            self.commands[entry.name] = entry
            return
        if entry.builtin and not current.builtin:
            self.commands[entry.name], entry = entry, current
        self._clashes.setdefault(entry.name, []).append(entry)

    def warn_about_clashes(self, names: Iterable[str] | None = None) -> None:
        """Log one warning per command name (of *names*, default all) provided more than once."""
        for name in sorted(self._clashes if names is None else set(names) & self._clashes.keys()):
            winner, losers = self.commands[name], self._clashes[name]
            others = ", ".join(f"'{e.distribution}'" for e in losers)
            kind = "built-in command" if winner.builtin else "command"
            LOG.warning(
                "%s '%s' is also provided by %s; using the one from '%s'",
                kind, name, others, winner.distribution,
            )

    def clashes(self, name: str) -> list[CommandEntry]:
        """The entries that lost a clash for *name*."""
        return list(self._clashes.get(name, ()))

    def __iter__(self) -> Iterator[tuple[str, CommandEntry]]:  # type: ignore[override]
        return iter(sorted(self.commands.items()))

    def add_command(self, name: str, command_class: type[cliff_command.Command]) -> None:
        """Register an already imported command class (cliff's API)."""
        value = f"{command_class.__module__}:{command_class.__qualname__}"
        entry_point = EntryPointInfo(name.replace(" ", "_"), value, self.namespace, self.identity.distribution)
        self.commands[name] = CommandEntry(name, entry_point, "", builtin=True)

    def find_entry(self, argv: list[str]) -> tuple[CommandEntry, list[str]]:
        """Split *argv* into a command and its arguments, in linear time.

        The longest run of leading words that names a command wins; words
        are not abbreviated, so a newly installed plugin never changes what
        an existing command line means.

        :raises UsageError: no command matches; the message suggests close names.
        """
        words: list[str] = []
        longest = max((len(name.split()) for name in self.commands), default=1)
        for argument in argv[:longest]:
            if argument.startswith("-"):
                break
            words.append(argument)
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count])
            name = self._legacy.get(name, name)
            if name in self.commands:
                self.warn_about_clashes([name])
                self._warn_about_shadowing(words[:count])
                return self.commands[name], argv[count:]
        raise self._unknown_command(words or argv[:1])

    def find_command(self, argv: list[str]) -> tuple[type[cliff_command.Command], str, list[str]]:
        """cliff's API: the command class, its name and its arguments."""
        entry, arguments = self.find_entry(argv)
        self.prepare_command_hooks(entry.name)
        return entry.load(), entry.name, arguments

    def create(self, entry: CommandEntry, app: Any, app_args: Any) -> cliff_command.Command:
        """Import and instantiate a command as cliff does (``cmd_name`` when accepted).

        :raises PluginLoadError: the class could not be imported or instantiated.
        """
        factory = entry.load()
        self.prepare_command_hooks(entry.name)
        kwargs = {}
        if "cmd_name" in inspect.signature(factory.__init__).parameters:
            kwargs["cmd_name"] = entry.name
        try:
            return factory(app, app_args, **kwargs)
        except (KeyboardInterrupt, Terminated):
            raise
        except Exception as error:
            raise entry.failure(f"could not be created ({describe_exception(error)})") from error

    def _warn_about_shadowing(self, words: list[str]) -> None:
        """Say so when a longer command of another plugin hides a shorter one's arguments."""
        found = self.commands[" ".join(words)]
        for count in range(len(words) - 1, 0, -1):
            shorter = self.commands.get(" ".join(words[:count]))
            if shorter is not None and shorter.distribution != found.distribution:
                LOG.warning(
                    "running '%s' from '%s'; to pass '%s' to '%s' instead, write '%s %s -- %s'",
                    found.name, found.distribution, " ".join(words[count:]), shorter.name,
                    self.identity.name, shorter.name, " ".join(words[count:]),
                )
                return

    def prepare_command_hooks(self, name: str) -> None:
        """Serve the command's ``CommandHook`` namespace to stevedore from the index.

        cliff's ``Command`` asks stevedore for ``<namespace>.<command>``;
        stevedore would otherwise scan every installed distribution for it.
        """
        namespace = f"{self.namespace}.{name.replace(' ', '_')}"
        entry_points = []
        if self._index is not None:
            found = filter(self._allowed, self._index.entry_points(namespace))
            entry_points = [ep.to_entry_point() for ep in found]
        stevedore.ExtensionManager.ENTRY_POINT_CACHE[namespace] = entry_points

    def _unknown_command(self, words: list[str]) -> UsageError:
        import difflib

        typed = " ".join(words)
        names = list(self.commands)
        matches = difflib.get_close_matches(typed, names, n=3, cutoff=0.6)
        if not matches and words:
            matches = [n for n in names if n.split()[0] == words[0]][:3]
        tool = self.identity.name
        hint = f"'{tool} help' lists all commands"
        if matches:
            hint = f"did you mean {' or '.join(repr(m) for m in matches)}? {hint}"
        return UsageError(f"unknown command '{typed}'", hint=hint)

