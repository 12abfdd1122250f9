"""The command table: command names mapped to entry points, imported on demand.

Unlike cliff's own ``CommandManager``, building the table imports nothing:
it is filled from :mod:`myapp.index.discovery`'s metadata index, and only the
command being run is imported. Built-in commands win name clashes with
plugins; a clash between two plugins is settled by distribution name.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cliff import command as cliff_command
from cliff import commandmanager as cliff_commandmanager

from .._process import serve_entry_points, tell_cliff_distribution
from ..errors import IncompleteCommand, Terminated, UsageError, did_you_mean
from ..index.discovery import EXTRA_NAMESPACE_PREFIXES, EntryPointInfo, PluginIndex, normalize_name
from ..index.names import command_name, pin_text, split_version, versioned_names
from ..plugins.loading import describe_exception
from .entry import CommandEntry
from .versions import Pin, Version, choose_version, find_versions, renamed_to

if TYPE_CHECKING:
    from ..identity import Identity
    from ..plugins.trace import PluginTrace

LOG = logging.getLogger(__name__)


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
        #: command name -> the version ``--use`` pins, and where the pins came from
        self._pins: dict[str, Pin] = {}
        self._warned: set[str] = set()
        #: the ``--debug-plugins`` trace, told how long each command's import takes
        self.trace: PluginTrace | None = None

    def add_builtins(self, table: Mapping[str, str], distribution: str, version: str) -> None:
        """Register built-in commands from a ``{name: "module:attribute"}`` table."""
        for name, value in table.items():
            entry_point = EntryPointInfo(
                name.replace(" ", "_"), value, self.identity.command_namespace, distribution, version
            )
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
        trace: PluginTrace | None = None,
    ) -> None:
        """Take commands from the indexed distributions that *is_allowed* lets provide code.

        :param blocked_reason: says why a distribution may not run, for errors.
        :param blocked_hint: says what to do about it (default: enable it).
        :param trace: the ``--debug-plugins`` trace.
        """
        self._index, self.is_allowed, self._blocked_reason, self.trace = index, is_allowed, blocked_reason, trace
        self._blocked_hint = blocked_hint or self._enable_hint
        self._forget()
        for group in index.groups():
            if group.startswith(EXTRA_NAMESPACE_PREFIXES):
                serve_entry_points(group, (ep.to_entry_point() for ep in index.entry_points(group) if is_allowed(ep)))

    def _forget(self) -> None:
        self._resolved.clear()
        self._clashes.clear()
        self.__dict__.pop("longest_name", None)
        self.__dict__.pop("_versioned_names", None)

    def get(self, name: str) -> CommandEntry | None:
        """The command called *name* after settling clashes, or ``None``."""
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> CommandEntry | None:
        builtin = self._builtins.get(name)
        candidates = [] if builtin is None else [self._choose(name, (Version(None, builtin.entry_point),))]
        by_distribution: dict[str, list[EntryPointInfo]] = {}
        for entry_point in filter(self.is_allowed, self._entry_points_named(name)):
            by_distribution.setdefault(normalize_name(entry_point.distribution), []).append(entry_point)
        own, plugins = normalize_name(self.identity.distribution), []
        for key, entry_points in by_distribution.items():
            assert self._index is not None
            versions = find_versions(self._index, self.identity, entry_points)
            if versions:
                plugins.append(self._choose(name, versions, builtin=key == own))
        # Built-ins first, then plugins by distribution name: deterministic whatever the path order.
        candidates += sorted(plugins, key=lambda e: (not e.builtin, normalize_name(e.distribution)))
        if len(candidates) > 1:
            self._clashes[name] = candidates[1:]
        return candidates[0] if candidates else None

    def _entry_points_named(self, name: str) -> Iterator[EntryPointInfo]:
        """Every entry point registering the command *name*, in any version and distribution."""
        key = name.replace(" ", "_")
        if self._index is None or split_version(key)[1] is not None:
            return  # ``hello.v1`` names a version, never a command
        for entry_point_name in (key, *self._versioned_names.get(key, ())):
            yield from self._index.lookup(self.identity.command_namespace, entry_point_name)

    @functools.cached_property
    def _versioned_names(self) -> dict[str, list[str]]:
        """Entry-point name of a command -> the names of its versions (``hello`` -> ``hello.v1``, ``hello.v2``)."""
        found: dict[str, list[str]] = {}
        for name in versioned_names(self._index.dotted_names(self.identity.command_namespace) if self._index else ()):
            found.setdefault(split_version(name)[0], []).append(name)
        return found

    def _choose(self, name: str, versions: tuple[Version, ...], builtin: bool = True) -> CommandEntry:
        """The entry of the version of *name* to run, among one distribution's *versions*."""
        choice = choose_version(name, versions, self._pins.get(name))
        return CommandEntry(name, choice.chosen.entry_point, builtin, choice)

    def use_versions(
        self, pins: Mapping[str, int], origin_of: Callable[[str], str], typed: Collection[str] = ()
    ) -> None:
        """Run the version *pins* names of each command (the ``use`` setting; *origin_of* says who set each pin).

        :param typed: the commands whose pins were typed for this run
            (``--use``): a command that does not exist or lacks the version is
            an error at once. Other pins of unknown commands are only mentioned
            with ``-v``, so that a CI-wide variable cannot break unrelated runs,
            and a missing version is an error when the command runs.
        :raises UsageError: a typed pin names an unknown command or version.
        """
        self._pins = {}
        self._forget()
        # A pin may use a command's old name.
        keys = {name: (self._renamed_to(name) if self.get(name) is None else None) or name for name in pins}
        self._pins = {keys[name]: Pin(number, origin_of(name)) for name, number in pins.items()}
        self._forget()
        for name, key in keys.items():
            entry, origin = self.get(key), self._pins[key].origin
            if entry is None and self._blocked(key.split()) is None:
                unknown = self._unknown_command(key.split())
                if name in typed:
                    raise UsageError(f"{origin} names {unknown.message}", hint=unknown.hint)
                LOG.info("%s names %s; ignoring its pin", origin, unknown.message)
            elif entry is not None and entry.choice is not None and name in typed:
                error = entry.choice.pin_error(self.identity.name)
                if error is not None:
                    raise error

    @property  # type: ignore[override]  # cliff's table holds entry points; ours, entries
    def commands(self) -> dict[str, CommandEntry]:
        """Every command by name (cliff's API); resolves them all."""
        names = set(self._builtins)
        if self._index is not None:
            names.update(command_name(split_version(n)[0]) for n in self._index.names(self.identity.command_namespace))
        table = {name: self.get(name) for name in sorted(names)}
        return {name: entry for name, entry in table.items() if entry is not None}

    @commands.setter
    def commands(self, value: dict[str, Any]) -> None:
        """cliff's constructor assigns an empty table; the real one is computed."""

    @functools.cached_property
    def longest_name(self) -> int:
        """At least the number of words in the longest command name (a bound for the search)."""
        own = max((name.count(" ") + 1 for name in (*self._builtins, *self._legacy)), default=1)
        if self._index is None:
            return own
        namespaces = (self.identity.command_namespace, self.identity.deprecated_namespace)
        return max(own, *(self._index.most_words(namespace) for namespace in namespaces))

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
            entry, renamed = self.get(typed), None
            if entry is None and (renamed := self._renamed_to(typed)) is not None:
                entry = self.get(renamed)
            if entry is not None:
                if renamed:
                    tool = self.identity.name
                    self._warn_once(f"'{typed}' was renamed '{entry.name}'; run '{tool} {entry.name}' instead")
                self._check_version(entry)
                self.warn_about_clashes([entry.name])
                self._warn_about_shadowing(entry, words[:count])
                return entry, argv[count:]
        members = self.commands_in_group(words)
        if members:
            group = " ".join(words)
            message = f"'{group}' is a group of commands; name one of them, e.g. '{members[0]}'"
            raise IncompleteCommand(message, group=group, commands=members)
        raise self._unknown_command(words or argv[:1])

    def commands_in_group(self, words: Sequence[str]) -> list[str]:
        """The names of the commands whose names go on after *words* (``plugin`` -> ``plugin check``, ...)."""
        if not words:
            return []
        return [
            name
            for name in self.commands
            if name.split()[: len(words)] == list(words) and name.count(" ") >= len(words)
        ]

    def _renamed_to(self, typed: str) -> str | None:
        """The new name of a renamed command: cliff's legacy names, then the deprecated namespace.

        Unlike cliff, an old name never hides a command that still has it.
        """
        if typed in self._legacy:
            return self._legacy[typed]
        if self._index is None:
            return None
        declared = self._index.lookup(self.identity.deprecated_namespace, typed.replace(" ", "_"))
        return renamed_to(filter(self.is_allowed, declared))

    def _check_version(self, entry: CommandEntry) -> None:
        """Refuse a pin naming a missing version; warn about running a deprecated one."""
        if entry.choice is None:
            return
        error = entry.choice.pin_error(self.identity.name)
        if error is not None:
            raise error
        self._warn_once(entry.choice.deprecation_warning())

    def _warn_once(self, message: str) -> None:
        if message and message not in self._warned:
            self._warned.add(message)
            LOG.warning("%s", message)

    def find_command(self, argv: list[str]) -> tuple[type[cliff_command.Command], str, list[str]]:
        """cliff's API: the command class, its name and its arguments."""
        entry, arguments = self.find_entry(argv)
        self.prepare_command_hooks(entry.name)
        return entry.load(self.trace), entry.name, arguments

    def create(self, entry: CommandEntry, app: Any, app_args: Any) -> cliff_command.Command:
        """Import and instantiate a command as cliff does (``cmd_name`` when accepted).

        :raises PluginLoadError: the class could not be imported or instantiated.
        """
        factory = entry.load(self.trace)
        self.prepare_command_hooks(entry.name)
        # cliff's help epilog names the command's distribution and the app's: the tool's
        # code (the framework's and the app class's packages) belongs to the tool.
        for package in (type(app).__module__, __name__):
            tell_cliff_distribution(package.partition(".")[0], self.identity.distribution)
        tell_cliff_distribution(entry.entry_point.module.partition(".")[0], entry.distribution)
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
            for entry_point in self._entry_points_named(name):
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
        found = filter(self.is_allowed, self._index.entry_points(namespace)) if self._index is not None else ()
        serve_entry_points(namespace, (ep.to_entry_point() for ep in found))

    def _unknown_command(self, words: list[str]) -> UsageError:
        blocked = self._blocked(words)
        if blocked is not None:
            return blocked
        names = list(self.commands)
        # Report the words that start some command's name, plus the first one that does not.
        known = 0
        while known < len(words) and any(n.split()[: known + 1] == words[: known + 1] for n in names):
            known += 1
        typed = " ".join(words[: known + 1])
        groups = sorted({" ".join(n.split()[:count]) for n in names for count in range(1, n.count(" ") + 1)} - {*names})
        # Suggest what keeps the words that begin some name: 'plugin lst' is a command of 'plugin'.
        alike = [name for name in (*names, *groups) if name.split()[:known] == words[:known]]
        question = did_you_mean(" ".join(words), alike, n=3, command_line=True)
        tool, group = self.identity.name, " ".join(words[:known])
        hint = f"'{tool} help {group}' lists its commands" if group else f"'{tool} help' lists all commands"
        if question:
            hint = f"{question} {hint}"
        command, number = split_version(typed)
        if number is not None and self.get(command) is not None:
            hint = f"a version is chosen with an option: '{tool} --use {pin_text(command, number)} {command}'"
        return UsageError(f"unknown command '{typed}'", hint=hint)
