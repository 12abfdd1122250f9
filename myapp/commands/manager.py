"""The command table: command names mapped to entry points, imported on demand.

Unlike cliff's own ``CommandManager``, building the table imports nothing:
it is filled from :mod:`myapp.index.discovery`'s metadata index, and only the
command being run is imported. Built-in commands win name clashes with
plugins; a clash between two plugins is settled by distribution name. The
table reads every command namespace of the tool (cliff's command groups),
each under the same plugin selection.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cliff import command as cliff_command
from cliff import commandmanager as cliff_commandmanager

from .._process import serve_entry_points, tell_cliff_distribution
from ..errors import IncompleteCommand, UnknownCommand, UsageError
from ..identity import Identity
from ..index.discovery import EXTRA_NAMESPACE_PREFIXES, load_index
from ..index.names import command_name, entry_point_names, split_version, versioned_names
from ..index.pluginindex import PluginIndex
from ..index.records import EntryPointInfo, normalize_name
from .cliffapi import CliffApi
from .entry import CommandEntry
from .table import given_entry
from .typed import group_members, name_words, shadowing_warning, unknown_command
from .versions import Pin, Version, choose_version, find_versions, renamed_to

if TYPE_CHECKING:
    from ..plugins.trace import PluginTrace

LOG = logging.getLogger(__name__)


class CommandManager(CliffApi, cliff_commandmanager.CommandManager):  # type: ignore[misc]
    """cliff's command manager, fed from metadata instead of imports.

    A name is resolved when it is first asked for, so running one command
    looks at that command's entry points only, however many are installed.

    :param namespace: the tool's :class:`~myapp.identity.Identity`, or, as
        in cliff, the first namespace to read commands from (the identity is
        then derived from it: ``mytool.compute`` is tool ``mytool``).
    :param convert_underscores: whether ``_`` in an entry-point name reads as a space.
    :param ignored_modules: commands whose class lives in these modules (or
        their submodules) are left out, as in cliff.

    .. versionchanged:: 0.1
       Takes cliff's arguments too; several namespaces (:meth:`load_commands`).
    """

    #: Whether a unique prefix of each word finds a command (``ser li`` -> ``server list``), as in cliff.
    #: Off by default: a newly installed plugin could change what an abbreviation means.
    allow_abbreviations = False

    def __init__(
        self,
        namespace: Identity | str | None = None,
        convert_underscores: bool = True,
        *,
        ignored_modules: Iterable[str] | None = None,
    ) -> None:
        identity = namespace if isinstance(namespace, Identity) else Identity.from_namespace(namespace)
        self.identity = identity
        self._builtins: dict[str, CommandEntry] = {}
        self._removed: set[str] = set()
        self._given_index: PluginIndex | None = None
        self.standalone = False  # set below, once cliff's constructor has emptied the table
        #: whether an entry point's distribution may provide code
        self.is_allowed: Callable[[EntryPointInfo], bool] = lambda entry_point: True
        self._resolved: dict[str, CommandEntry | None] = {}
        #: entry-point name (without a version) -> the namespaces registering it, once every name was listed
        self._listed: dict[str, list[str]] | None = None
        self._blocked_reason: Callable[[str], str] = lambda distribution: "disabled"
        self._blocked_hint: Callable[[str], str] = self._enable_hint
        self._clashes: dict[str, list[CommandEntry]] = {}
        #: command name -> the version ``--use`` pins, and where the pins came from
        self._pins: dict[str, Pin] = {}
        self._warned: set[str] = set()
        #: the ``--debug-plugins`` trace, told how long each command's import takes
        self.trace: PluginTrace | None = None
        groups = identity.command_groups
        # cliff's constructor assigns ``commands`` and calls load_commands(namespace): both only record.
        super().__init__(groups[0] if groups else None, convert_underscores, ignored_modules=ignored_modules)
        for group in groups[1:]:
            self.load_commands(group)
        #: no App gives this manager its plugins: it reads every installed entry point of its namespaces on first
        #: use, as cliff's manager does (an App clears it, then gives the plugins its configuration lets run)
        self.standalone = True

    def _may_provide(self, entry_point: EntryPointInfo) -> bool:
        """The plugin selection, then cliff's ``ignored_modules``."""
        if not self.is_allowed(entry_point):
            return False
        return not self.ignored_modules or not self._is_module_ignored(entry_point.module, self.ignored_modules)

    def _typed_name(self, entry_point_name: str) -> str:
        return command_name(split_version(entry_point_name)[0], self.convert_underscores)

    def add_builtins(self, table: Mapping[str, str], distribution: str, version: str) -> None:
        """Register built-in commands from a ``{name: "module:attribute"}`` table."""
        for name, value in table.items():
            entry_point = EntryPointInfo(
                name.replace(" ", "_"), value, self.identity.command_namespace, distribution, version
            )
            self._builtins[name] = CommandEntry(name, entry_point, builtin=True)
        self._forget()

    def remove_builtins(self) -> None:
        """Forget every built-in command and every command registered in-process."""
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
        self._given_index, self.is_allowed, self._blocked_reason, self.trace = index, is_allowed, blocked_reason, trace
        self._blocked_hint = blocked_hint or self._enable_hint
        self._forget()
        for group in index.groups():
            if group.startswith(EXTRA_NAMESPACE_PREFIXES):
                serve_entry_points(group, (ep.to_entry_point() for ep in index.entry_points(group) if is_allowed(ep)))

    @property
    def _index(self) -> PluginIndex | None:
        """The installed plugins' entry points: the App's, or, for a manager used on its own, all of them."""
        if self._given_index is None and self.standalone:
            self.standalone = False
            self.add_plugins(load_index(self.identity.namespace_prefixes, None), lambda entry_point: True)
        return self._given_index

    def _forget(self) -> None:
        self._resolved.clear()
        self._listed = None
        self._clashes.clear()
        self.__dict__.pop("longest_name", None)
        self.__dict__.pop("_versioned_names", None)

    def get(self, name: str) -> CommandEntry | None:
        """The command called *name* after settling clashes, or ``None``."""
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> CommandEntry | None:
        if name in self._removed:
            return None
        builtin = self._builtins.get(name)
        if builtin is None and name in self._subclass_table:
            builtin = given_entry(self.identity, name, self._subclass_table[name], "", lazy=True)
        candidates = [] if builtin is None else [self._choose_builtin(name, builtin)]
        by_distribution: dict[str, list[EntryPointInfo]] = {}
        for entry_point in filter(self._may_provide, self._entry_points_named(name)):
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
        """Every entry point registering the command *name*, in any namespace, version and distribution.

        ``list files`` is registered as ``list_files`` or, in cliff's spelling, ``list files``.
        """
        if self._index is None or split_version(name)[1] is not None:
            return  # ``hello.v1`` names a version, never a command
        for key in entry_point_names(name, self.convert_underscores):
            groups = self.identity.command_groups if self._listed is None else self._listed.get(key, ())
            for group in groups:
                for entry_point_name in (key, *self._versioned_names.get((group, key), ())):
                    yield from self._index.lookup(group, entry_point_name)

    @functools.cached_property
    def _versioned_names(self) -> dict[tuple[str, str], list[str]]:
        """(Namespace, entry-point name of a command) -> the names of its versions (``hello`` -> ``hello.v1``)."""
        found: dict[tuple[str, str], list[str]] = {}
        for group in self.identity.command_groups if self._index else ():
            assert self._index is not None
            for name in versioned_names(self._index.dotted_names(group)):
                found.setdefault((group, split_version(name)[0]), []).append(name)
        return found

    def _choose_builtin(self, name: str, builtin: CommandEntry) -> CommandEntry:
        """A built-in's entry; one registered in-process is kept as it is (it has no versions)."""
        return builtin if builtin.loader is not None else self._choose(name, (Version(None, builtin.entry_point),))

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

    def command_names(self) -> list[str]:
        """Every command that resolves, sorted; resolves them all."""
        if self._listed is None and self._index is not None:
            self._listed = self._list(self._index)
        names = {*self._builtins, *self._subclass_table, *map(self._typed_name, self._listed or ())}
        return [name for name in sorted(names) if self.get(name) is not None]

    def _list(self, index: PluginIndex) -> dict[str, list[str]]:
        """Every entry-point name of the command namespaces (without its version), with the namespaces holding it.

        Once it is known, resolving a name looks it up in those namespaces
        only: listing 900 commands of three namespaces then costs what
        listing 900 of one does, not three lookups per command.
        """
        listed: dict[str, list[str]] = {}
        for group in self.identity.command_groups:
            for name in index.names(group):
                groups = listed.setdefault(split_version(name)[0], [])
                if group not in groups:
                    groups.append(group)
        return listed

    @functools.cached_property
    def longest_name(self) -> int:
        """At least the number of words in the longest command name (a bound for the search)."""
        own = max((name.count(" ") + 1 for name in (*self._builtins, *self._legacy)), default=1)
        if self._index is None:
            return own
        namespaces = (*self.identity.command_groups, self.identity.deprecated_namespace)
        return max(own, *(self._index.most_words(namespace) for namespace in namespaces))

    def warn_about_clashes(self, names: Iterable[str] | None = None) -> None:
        """Log one warning per command name (of *names*, default all) provided more than once."""
        if names is None:
            names = self.command_names()
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
        return ((name, entry) for name in self.command_names() if (entry := self.get(name)) is not None)

    def find_entry(self, argv: list[str]) -> tuple[CommandEntry, list[str]]:
        """Split *argv* into a command and its arguments, in linear time.

        The longest run of leading words that names a command wins; words
        are not abbreviated (unless :attr:`allow_abbreviations`), so a newly
        installed plugin never changes what an existing command line means
        unless it adds a longer name.

        :raises UnknownCommand: no command matches; the message suggests close names.
        """
        entry, _, arguments = self._find(argv)
        return entry, arguments

    def _find(self, argv: list[str]) -> tuple[CommandEntry, str, list[str]]:
        """The entry, the name as typed (an old name, an abbreviation) and the arguments."""
        words, ends = name_words(argv, self.longest_name)
        for count in sorted(ends, reverse=True):
            typed = " ".join(words[:count])
            entry, renamed = self.get(typed), None
            if entry is None and (renamed := self._renamed_to(typed)) is not None:
                entry = self.get(renamed)
            if entry is None and self.allow_abbreviations:
                entry = self._abbreviated(words[:count])
            if entry is not None:
                if renamed:
                    tool = self.identity.name
                    self._warn_once(f"'{typed}' was renamed '{entry.name}'; run '{tool} {entry.name}' instead")
                self._check_version(entry)
                self.warn_about_clashes([entry.name])
                self._warn_once(shadowing_warning(entry, words[:count], self.get, self.identity.name))
                return entry, typed, argv[ends[count] :]
        members = self.commands_in_group(words)
        if members:
            group = " ".join(words)
            message = f"'{group}' is a group of commands; name one of them, e.g. '{members[0]}'"
            raise IncompleteCommand(message, group=group, commands=members)
        raise self._unknown_command(words or argv[:1], argv)

    def _abbreviated(self, words: list[str]) -> CommandEntry | None:
        """The one command whose words start with *words*, word by word (cliff's partial names)."""
        found = cliff_commandmanager._get_commands_by_partial_name(words, self.command_names())
        return self.get(found[0]) if len(found) == 1 else None

    def commands_in_group(self, words: Sequence[str]) -> list[str]:
        """The names of the commands whose names go on after *words* (``plugin`` -> ``plugin check``, ...)."""
        return group_members(words, list(self.commands)) if words else []

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
        """cliff's API: the command class (its module imported now), the name as typed, and its arguments.

        :raises UnknownCommand: a :class:`ValueError`, as cliff documents.
        """
        entry, typed, arguments = self._find(argv)
        self.prepare_command_hooks(entry.name)
        return entry.load(self.trace), typed, arguments

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
        return entry.instantiate(factory, app, app_args)

    def _blocked(self, words: list[str]) -> UnknownCommand | None:
        """The error for a command that exists but whose plugin may not run."""
        if self._index is None:
            return None
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count])
            for entry_point in self._entry_points_named(name):
                key = normalize_name(entry_point.distribution)
                return UnknownCommand(
                    f"command '{name}' comes from plugin '{key}', which is {self._blocked_reason(key)}",
                    words=words,
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
        if not self.namespace:
            return
        namespace = f"{self.namespace}.{name.replace(' ', '_')}"
        found = filter(self.is_allowed, self._index.entry_points(namespace)) if self._index is not None else ()
        serve_entry_points(namespace, (ep.to_entry_point() for ep in found))

    def _unknown_command(self, words: list[str], argv: list[str] | None = None) -> UnknownCommand:
        blocked = self._blocked(words)
        if blocked is not None:
            return blocked
        return unknown_command(words, self.command_names(), self.identity.name, self.get, argv)
