"""Where completion's facts come from: the entry-point index, the configuration and the command caches.

Everything here is read from metadata and caches; no plugin code is ever
imported. A command's arguments come from its record
(:mod:`myapp.commands.arguments`); a built-in command not recorded yet is
read from its parser (:func:`read_builtin_arguments`). See
docs/architecture.rst, "Shell completion".
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from ..commands.arguments import (
    Argument,
    arguments_cache,
    arguments_from_rows,
    arguments_key,
    arguments_of,
    parser_arguments,
    rows_of,
)
from ..errors import Terminated
from ..index.names import command_name, entry_point_names, split_version, versioned_names
from ..index.records import EntryPointInfo, normalize_name
from .engine import Candidate, Completer

if TYPE_CHECKING:
    import argparse

    from ..commands.descriptions import DescriptionCache
    from ..commands.entry import CommandBuilder, CommandEntry
    from ..commands.manager import CommandManager
    from ..config.layers import Config
    from ..identity import Identity

LOG = logging.getLogger(__name__)

#: The value completers of the global options, by argparse ``dest``.
GLOBAL_COMPLETERS: Final = {
    "disable_plugins": "plugins",
    "ignore_compat": "plugins",
    "profile": "profiles",
    "use": "pins",
}


class Tool:
    """One tool's commands and plugins, as a completion request sees them.

    :param words: the words after the program name, the last one being completed
        (global options among them decide which configuration, profile and plugins apply).
    :param app_options: what :func:`myapp.app.main` was given: ``builtins``,
        ``version``, ``path`` and ``plugin_index`` (see :class:`myapp.app.App`).
    :param make_app: builds the tool's App (``make_app(identity, **app_options)``), for :func:`read_builtin_arguments`.
    """

    def __init__(
        self,
        identity: Identity,
        words: Sequence[str],
        app_options: Mapping[str, Any],
        make_app: Callable[..., Any] | None = None,
    ) -> None:
        from .._version import __version__
        from ..commands.builtins import BUILTIN_COMMANDS
        from ..session import open_session, trusted_cache_folder

        self.identity = identity
        self.app_options = app_options
        self.make_app = make_app
        self.builtins: Mapping[str, str] = app_options.get("builtins", BUILTIN_COMMANDS)
        self.version: str = app_options.get("version") or __version__
        #: whether any word is an option: only then do the global options matter
        self.has_options = any(word.startswith("-") for word in words)
        self.cache_dir = trusted_cache_folder(identity)
        self.config = self._load_config(words[:-1])
        #: what a run with these words would know (see :mod:`myapp.session`)
        self.session = open_session(
            identity,
            self.config,
            version=self.version,
            builtins=self.builtins,
            cache_dir=self.cache_dir,
            path=app_options.get("path"),
            plugin_index=app_options.get("plugin_index"),
        )
        self.index = self.session.index
        self.selection = self.session.plugins
        self.trusted = self.selection.trusted

    @functools.cached_property
    def global_arguments(self) -> list[Argument]:
        """The options that come before (or anywhere after) the command.

        Kept in a cache file of their own, per tool version: building their
        parser imports more than the rest of a request does.
        """
        from ..commands.descriptions import DescriptionCache

        directory = self.cache_dir
        cache = DescriptionCache(directory / "global-options.json" if directory else None, "")

        def read() -> tuple[list[Any], str]:
            return rows_of(arguments_of(self._global_parser, GLOBAL_COMPLETERS)), ""

        found = cache.arguments(f"{self.identity.name} {self.version}", read, arguments_from_rows)
        cache.save()
        return found

    @functools.cached_property
    def _global_parser(self) -> argparse.ArgumentParser:
        from ..config.options import build_parser

        return build_parser(self.identity, "", self.version)

    def _may_set_global_options(self, typed: Sequence[str]) -> bool:
        """Whether a typed word may be a global option (a short one always may: ``-vq`` is two)."""
        options = [word.partition("=")[0] for word in typed if word.startswith("-")]
        if not options:
            return False
        flags = {flag for argument in self.global_arguments for flag in argument.flags}
        return any(not option.startswith("--") or option in flags for option in options)

    def _load_config(self, typed: Sequence[str]) -> Config | None:
        """The configuration the *typed* words would run with; ``None`` when it cannot be read.

        As in a run, global options count wherever they are typed.
        """
        from ..config.layers import load_config

        try:
            namespace: argparse.Namespace | None = None
            settings: dict[str, tuple[Any, str]] = {}
            if self._may_set_global_options(typed):  # else the command line sets nothing
                from ..config.options import typed_settings

                namespace = _parse_global_options(self._global_parser, typed)
                settings = typed_settings(self._global_parser, namespace)
            config_file = getattr(namespace, "config_file", None)
            return load_config(self.identity, config_file=config_file, command_line=settings)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - e.g. a malformed file, no home directory
            LOG.debug("completing without a configuration (%s)", error)
            return None

    @functools.cached_property
    def descriptions(self) -> DescriptionCache:
        """The commands' one-line help, as help caches it; read only for a shell that shows help."""
        from ..commands.descriptions import DescriptionCache

        directory = self.cache_dir
        file = directory / "descriptions.json" if directory else None
        return DescriptionCache(file, self.index.fingerprint, self.index.is_edited_in_place)

    def save(self) -> None:
        """Write back what this request added to the description cache (if it read it)."""
        if "descriptions" in self.__dict__:
            self.descriptions.save()

    @property
    def commands(self) -> CommandManager:
        """The command table a run would use, for one command's entry (it imports no command)."""
        return self.session.commands

    def is_allowed(self, entry_point: EntryPointInfo) -> bool:
        """Whether the entry point's distribution may provide code (only the tool's own without a configuration)."""
        return self.selection.is_allowed(entry_point)

    def is_trusted(self, entry_point: EntryPointInfo) -> bool:
        """Whether the entry point is the tool's own (or cliff's): no plugin code."""
        return normalize_name(entry_point.distribution) in self.trusted

    @functools.cached_property
    def command_names(self) -> frozenset[str]:
        """Every command that may run: built-ins, and commands of plugins that may run (any version).

        Read straight from the index: resolving each name in the command table
        costs too much with a thousand plugins.
        """
        registered: list[str] = []
        for namespace in self.identity.command_groups:
            if self.selection.all_run:
                registered += self.index.names(namespace)
            else:
                registered += [ep.name for ep in self.index.entry_points(namespace) if self.is_allowed(ep)]
        # as the command table reads them: ``greeting_list.v2`` is ``greeting list``
        return frozenset({*self.builtins, *(command_name(split_version(name)[0]) for name in registered)})

    def entry_point(self, name: str) -> EntryPointInfo | None:
        """The entry point that runs the command *name* (its chosen version, clashes settled).

        A built-in, or a command that one plugin registers without versions, is
        read from the index; only a clash or a versioned command needs the
        command table, whose import costs more than all the rest of a request.
        """
        namespace = self.identity.command_namespace
        if name in self.builtins:  # built-ins win every clash
            value = self.builtins[name]
            return EntryPointInfo(name.replace(" ", "_"), value, namespace, self.identity.distribution, self.version)
        keys = entry_point_names(name)
        found = [
            entry_point
            for key in keys
            for group in self.identity.command_groups
            for entry_point in self.index.lookup(group, key)
            if self.is_allowed(entry_point)
        ]
        if len(found) <= 1 and self._versioned_commands.isdisjoint(keys):
            return found[0] if found else None
        entry = self.commands.get(name)
        return entry.entry_point if entry is not None else None

    @functools.cached_property
    def _versioned_commands(self) -> frozenset[str]:
        """The entry-point names of commands registered in versions (``thing`` for ``thing.v2``)."""
        names = (name for group in self.identity.command_groups for name in versioned_names(self.index.names(group)))
        return frozenset(split_version(name)[0] for name in names)

    def arguments(self, name: str) -> list[Argument]:
        """The arguments of the command *name*: as recorded, else, for a built-in, read from its parser.

        A plugin command not recorded yet has none to offer (the global
        options still complete), and nothing is written that would stop a
        later run from recording it.
        """
        entry_point = self.entry_point(name)
        if entry_point is None:
            return []
        key = arguments_key(self.identity, self.index, self.is_allowed, name, entry_point)
        found = arguments_cache(self.cache_dir, key, self.index.fingerprint).cached_arguments(key, arguments_from_rows)
        if found is None and name in self.builtins:
            # what the tool's own code adds alone: no plugin's hook or formatter is imported to read it
            key = arguments_key(self.identity, self.index, self.is_trusted, name, entry_point)
            cache = arguments_cache(self.cache_dir, key, self.index.fingerprint)
            found = cache.arguments(key, lambda: read_builtin_arguments(self, name), arguments_from_rows)
            cache.save()
        return found or []

    def value_completers(self, *, with_help: bool = True) -> dict[str, Callable[[], list[Candidate]]]:
        """The named value completers: ``plugins``, ``settings``, ``profiles``, ``pins`` and ``events``.

        :param with_help: also find each value's line of help (bash shows none, so it skips the work).
        """
        return {
            "plugins": functools.partial(self._plugins, with_help),
            "settings": _settings,
            "profiles": self._profiles,
            "pins": functools.partial(self._pins, with_help),
            "events": self._events,
        }

    def _plugins(self, with_help: bool) -> list[Candidate]:
        """Every installed plugin, enabled or not (``plugin enable`` wants the disabled ones), by normalized name."""
        names = {normalize_name(name) for name in self.index.distribution_names(self.identity.namespace_prefixes)}
        keys = sorted(names - self.trusted)
        if not with_help:
            return [Candidate(key) for key in keys]
        found = ((key, self.index.distribution(key)) for key in keys)
        return [Candidate(key, distribution.summary if distribution else "") for key, distribution in found]

    def _profiles(self) -> list[Candidate]:
        return [Candidate(name) for name in self.config.profiles] if self.config is not None else []

    def _pins(self, with_help: bool) -> list[Candidate]:
        """``NAME=N`` for every version of the versioned commands that may run, as ``--use`` takes them."""
        from ..commands.versions import choose_version, find_versions
        from ..index.names import pin_text

        registered: dict[tuple[str, str], list[EntryPointInfo]] = {}
        for namespace in self.identity.command_groups:
            for name in versioned_names(self.index.names(namespace)):
                for entry_point in filter(self.is_allowed, self.index.lookup(namespace, name)):
                    command = split_version(name)[0]
                    registered.setdefault((command, normalize_name(entry_point.distribution)), []).append(entry_point)
        pins: dict[tuple[str, int], str] = {}
        for (command, _), entry_points in registered.items():
            choice = choose_version(command, find_versions(self.index, self.identity, entry_points))
            for version in choice.versions:
                if version.number is not None:
                    pins.setdefault((command, version.number), choice.notes(version) if with_help else "")
        return [Candidate(pin_text(command, number), text) for (command, number), text in sorted(pins.items())]

    def _events(self) -> list[Candidate]:
        """The events hooks run at: the global ones, those before and after each command, and any a hook names."""
        from ..hooks.context import INITIALIZE, POST_COMMAND, PRE_COMMAND, command_event

        events = {INITIALIZE, PRE_COMMAND, POST_COMMAND}
        events.update(command_event(phase, name) for name in self.command_names for phase in ("pre", "post"))
        prefix = self.identity.hook_namespace("")
        events.update(group[len(prefix) :] for group in self.index.groups() if group.startswith(prefix))
        return [Candidate(event) for event in sorted(events)]


def _settings() -> list[Candidate]:
    from ..config.settings import SETTINGS

    return [Candidate(key, SETTINGS[key].help) for key in sorted(SETTINGS)]


def _parse_global_options(parser: argparse.ArgumentParser, words: Sequence[str]) -> argparse.Namespace:
    """The global options among *words*; an option still waiting for its value is left out."""
    with contextlib.redirect_stderr(io.StringIO()):  # argparse prints usage before it gives up
        try:
            return parser.parse_known_args(list(words))[0]
        except SystemExit:
            return parser.parse_known_args(list(words[:-1]))[0]


def completer(tool: Tool, *, with_help: bool = True) -> Completer:
    """A :class:`Completer` over *tool*, reading descriptions and arguments through its command cache.

    :param with_help: describe the commands and values offered (bash shows no help, so it skips the work).
    """

    def describe(name: str) -> str:
        entry_point = tool.entry_point(name)
        cached = tool.descriptions.cached_description(entry_point) if entry_point is not None else None
        return cached.text if cached is not None else ""

    return Completer(
        tool.command_names,
        tool.global_arguments if tool.has_options else (),  # without an option typed, none matters
        tool.arguments,
        describe if with_help else None,
        tool.value_completers(with_help=with_help),
    )


def read_builtin_arguments(tool: Tool, name: str) -> tuple[list[Any], str]:
    """Read the arguments of the built-in command *name* from its parser, with no plugin allowed to add to it.

    Only the tool's own code (and cliff's output formatters) is imported. A
    failure only means no options to offer.

    :returns: the arguments as JSON-ready rows, and why they could not be read ("" when they could).
    """
    if tool.make_app is None:
        return [], "no app to read it from"
    try:
        streams = {stream: io.StringIO() for stream in ("stdin", "stdout", "stderr")}
        app = tool.make_app(tool.identity, **streams, **tool.app_options)
        app.command_manager.add_plugins(tool.index, tool.is_trusted)  # serves cliff's formatters, no plugin's hooks
        entry = app.command_manager.get(name)
        if entry is None or not entry.builtin:
            return [], f"no built-in command '{name}'"
        arguments = command_arguments(app, entry, f"{tool.identity.name} {name}")
    except (KeyboardInterrupt, Terminated):
        raise
    except BaseException as error:
        LOG.debug("cannot read the arguments of '%s'", name, exc_info=True)
        return [], str(error) or type(error).__name__
    return rows_of(arguments), ""


def command_arguments(builder: CommandBuilder, entry: CommandEntry, prog: str) -> list[Argument]:
    """Create the command of *entry* and read its arguments (its hooks' options included) from its parser.

    :raises ~myapp.errors.PluginLoadError: the command cannot be imported or created.
    """
    return parser_arguments(*builder.build_command(entry, prog))
