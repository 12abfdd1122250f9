"""The command table: command names mapped to entry points, imported on demand.

Unlike cliff's own ``CommandManager``, building the table imports nothing:
it is filled from :mod:`myapp.discovery`'s metadata index, and only the
command being run is imported. Built-in commands win name clashes with
plugins; a clash between two plugins is settled by distribution name.
"""

from __future__ import annotations

import functools
import inspect
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import stevedore
from cliff import command as cliff_command
from cliff import commandmanager as cliff_commandmanager

from ._loading import describe_exception, import_target
from .discovery import EXTRA_NAMESPACE_PREFIXES, EntryPointInfo, PluginIndex, normalize_name
from .errors import PluginLoadError, Terminated, UsageError

if TYPE_CHECKING:
    from .identity import Identity

LOG = logging.getLogger(__name__)


class CommandEntry(NamedTuple):
    """One row of the command table; the command's module is not imported yet."""

    name: str
    entry_point: EntryPointInfo
    builtin: bool = False

    @property
    def version(self) -> str:
        """The version of the distribution that registered the command."""
        return self.entry_point.version

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
    """cliff's command manager, fed from metadata instead of imports.

    A name is resolved when it is first asked for, so running one command
    looks at that command's entry points only, however many are installed.
    """

    def __init__(self, identity: Identity) -> None:
        super().__init__(namespace=None)
        # cliff's Command reads this to find CommandHook plugins
        # (``<namespace>.<command>``); set after super() so nothing is scanned.
        self.namespace = identity.command_namespace
        self.identity = identity
        self._builtins: dict[str, CommandEntry] = {}
        self._index: PluginIndex | None = None
        #: whether an entry point's distribution may provide code
        self.is_allowed: Callable[[EntryPointInfo], bool] = lambda entry_point: True
        self._resolved: dict[str, CommandEntry | None] = {}
        self._blocked_reason: Callable[[str], str] = lambda distribution: "disabled"
        self._blocked_hint: Callable[[str], str] = self._enable_hint
        self._clashes: dict[str, list[CommandEntry]] = {}

    def add_builtins(self, table: Mapping[str, str], distribution: str, version: str) -> None:
        """Register built-in commands from a ``{name: "module:attribute"}`` table."""
        for name, value in table.items():
            entry_point = EntryPointInfo(name.replace(" ", "_"), value, self.namespace, distribution, version)
            self._builtins[name] = CommandEntry(name, entry_point, builtin=True)
        self._forget()

    def add_command(self, name: str, command_class: type[cliff_command.Command]) -> None:
        """Register an already imported command class as a built-in (cliff's API)."""
        value = f"{command_class.__module__}:{command_class.__qualname__}"
        self.add_builtins({name: value}, self.identity.distribution, "")

    def remove_builtins(self) -> None:
        """Forget every built-in command (cliff registers its own help and complete)."""
        self._builtins.clear()
        self._forget()

    def add_plugins(
        self,
        index: PluginIndex,
        is_allowed: Callable[[EntryPointInfo], bool],
        blocked_reason: Callable[[str], str] = lambda distribution: "disabled",
        blocked_hint: Callable[[str], str] | None = None,
    ) -> None:
        """Take commands from the indexed distributions that *is_allowed* lets provide code.

        :param blocked_reason: says why a distribution may not run, for errors.
        :param blocked_hint: says what to do about it (default: enable it).
        """
        self._index, self.is_allowed, self._blocked_reason = index, is_allowed, blocked_reason
        self._blocked_hint = blocked_hint or self._enable_hint
        self._forget()
        for group in index.groups():
            if group.startswith(EXTRA_NAMESPACE_PREFIXES):
                stevedore.ExtensionManager.ENTRY_POINT_CACHE[group] = [
                    ep.to_entry_point() for ep in index.entry_points(group) if is_allowed(ep)
                ]

    def _forget(self) -> None:
        self._resolved.clear()
        self._clashes.clear()
        self.__dict__.pop("longest_name", None)

    def get(self, name: str) -> CommandEntry | None:
        """The command called *name* after settling clashes, or ``None``."""
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> CommandEntry | None:
        candidates = [] if name not in self._builtins else [self._builtins[name]]
        if self._index is not None:
            own = normalize_name(self.identity.distribution)
            found = filter(self.is_allowed, self._index.lookup(self.namespace, name.replace(" ", "_")))
            plugins = [CommandEntry(name, ep, builtin=normalize_name(ep.distribution) == own) for ep in found]
            # Built-ins first, then plugins by distribution name: deterministic whatever the path order.
            candidates += sorted(plugins, key=lambda e: (not e.builtin, normalize_name(e.distribution)))
        if len(candidates) > 1:
            self._clashes[name] = candidates[1:]
        return candidates[0] if candidates else None

    @property
    def commands(self) -> dict[str, CommandEntry]:  # type: ignore[override]
        """Every command by name (cliff's API); resolves them all."""
        names = set(self._builtins)
        if self._index is not None:
            names.update(command_name(n) for n in self._index.names(self.namespace))
        table = {name: self.get(name) for name in sorted(names)}
        return {name: entry for name, entry in table.items() if entry is not None}

    @commands.setter
    def commands(self, value: dict[str, Any]) -> None:
        """cliff's constructor assigns an empty table; the real one is computed."""

    @functools.cached_property
    def longest_name(self) -> int:
        """At least the number of words in the longest command name (a bound for the search)."""
        names = [
            *(n.replace(" ", "_") for n in self._builtins),
            *(self._index.names(self.namespace) if self._index else ()),
        ]
        return max(map(operator.methodcaller("count", "_"), names), default=0) + 1

    def warn_about_clashes(self, names: Iterable[str] | None = None) -> None:
        """Log one warning per command name (of *names*, default all) provided more than once."""
        if names is None:
            names = self.commands
        for name in sorted(n for n in names if self.get(n) is not None and n in self._clashes):
            winner, losers = self._resolved[name], self._clashes[name]
            assert winner is not None
            others = ", ".join(f"'{e.distribution}'" for e in losers)
            kind = "built-in command" if winner.builtin else "command"
            LOG.warning(
                "%s '%s' is also provided by %s; using the one from '%s'",
                kind,
                name,
                others,
                winner.distribution,
            )

    def clashes(self, name: str) -> list[CommandEntry]:
        """The entries that lost a clash for *name*."""
        self.get(name)
        return list(self._clashes.get(name, ()))

    def __iter__(self) -> Iterator[tuple[str, CommandEntry]]:  # type: ignore[override]
        return iter(self.commands.items())

    def find_entry(self, argv: list[str]) -> tuple[CommandEntry, list[str]]:
        """Split *argv* into a command and its arguments, in linear time.

        The longest run of leading words that names a command wins; words
        are not abbreviated, so a newly installed plugin never changes what
        an existing command line means unless it adds a longer name.

        :raises UsageError: no command matches; the message suggests close names.
        """
        words: list[str] = []
        for argument in argv[: self.longest_name]:
            if argument.startswith("-"):
                break
            words.append(argument)
        for count in range(len(words), 0, -1):
            typed = " ".join(words[:count])
            entry = self.get(self._legacy.get(typed, typed))
            if entry is not None:
                self.warn_about_clashes([entry.name])
                self._warn_about_shadowing(entry, words[:count])
                return entry, argv[count:]
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
        # cliff's Command.get_epilog names the command's distribution by asking
        # importlib about every installed module; answer for these two only.
        cliff_command._dists_by_mods = {
            type(app).__module__.partition(".")[0]: self.identity.distribution,
            __name__.partition(".")[0]: self.identity.distribution,
            entry.entry_point.module.partition(".")[0]: entry.distribution,
        }
        kwargs = {}
        if "cmd_name" in inspect.signature(factory.__init__).parameters:
            kwargs["cmd_name"] = entry.name
        try:
            return factory(app, app_args, **kwargs)
        except (KeyboardInterrupt, Terminated):
            raise
        except Exception as error:
            raise entry.failure(f"could not be created ({describe_exception(error)})") from error

    def _warn_about_shadowing(self, found: CommandEntry, words: list[str]) -> None:
        """Say so when a longer command of another plugin hides a shorter one's arguments."""
        for count in range(len(words) - 1, 0, -1):
            shorter = self.get(" ".join(words[:count]))
            if shorter is not None and shorter.distribution != found.distribution:
                rest = " ".join(words[count:])
                LOG.warning(
                    "running '%s' from '%s'; to pass '%s' to '%s' instead, write '%s %s -- %s'",
                    found.name,
                    found.distribution,
                    rest,
                    shorter.name,
                    self.identity.name,
                    shorter.name,
                    rest,
                )
                return

    def _blocked(self, words: list[str]) -> UsageError | None:
        """The error for a command that exists but whose plugin may not run."""
        if self._index is None:
            return None
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count])
            for entry_point in self._index.lookup(self.namespace, name.replace(" ", "_")):
                key = normalize_name(entry_point.distribution)
                return UsageError(
                    f"command '{name}' comes from plugin '{key}', which is {self._blocked_reason(key)}",
                    hint=self._blocked_hint(key),
                )
        return None

    def _enable_hint(self, distribution: str) -> str:
        return f"run '{self.identity.name} plugin enable {distribution}', or drop the option that disables it"

    def prepare_command_hooks(self, name: str) -> None:
        """Serve the command's ``CommandHook`` namespace to stevedore from the index.

        cliff's ``Command`` asks stevedore for ``<namespace>.<command>``;
        stevedore would otherwise scan every installed distribution for it.
        """
        namespace = f"{self.namespace}.{name.replace(' ', '_')}"
        entry_points = []
        if self._index is not None:
            found = filter(self.is_allowed, self._index.entry_points(namespace))
            entry_points = [ep.to_entry_point() for ep in found]
        stevedore.ExtensionManager.ENTRY_POINT_CACHE[namespace] = entry_points

    def _unknown_command(self, words: list[str]) -> UsageError:
        import difflib

        blocked = self._blocked(words)
        if blocked is not None:
            return blocked
        names = list(self.commands)
        # Report the words that start some command's name, plus the first one that does not.
        known = 0
        while known < len(words) and any(n.split()[: known + 1] == words[: known + 1] for n in names):
            known += 1
        typed = " ".join(words[: known + 1])
        matches = difflib.get_close_matches(typed, names, n=3, cutoff=0.6)
        if not matches and known:
            matches = [n for n in names if n.split()[:known] == words[:known]][:3]
        tool = self.identity.name
        hint = f"'{tool} help' lists all commands"
        if matches:
            hint = f"did you mean {' or '.join(repr(m) for m in matches)}? {hint}"
        return UsageError(f"unknown command '{typed}'", hint=hint)
