"""Where completion's facts come from: the entry-point index, the configuration and the command cache.

Everything here is read from metadata and caches; the one exception is a
command whose arguments are not cached yet (see :func:`read_arguments`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..discovery import EXTRA_NAMESPACE_PREFIXES, EntryPointInfo, PluginIndex, load_index, normalize_name
from ..errors import MyappError, Terminated
from .engine import VALUE_COMPLETERS_ATTRIBUTE, Argument, Candidate, Completer, arguments_of

if TYPE_CHECKING:
    import argparse

    from ..commandmanager import CommandManager
    from ..config import Config
    from ..descriptions import DescriptionCache
    from ..identity import Identity

LOG = logging.getLogger(__name__)

#: The value completers of the global options, by argparse ``dest``.
GLOBAL_COMPLETERS: Final = {"disable_plugins": "plugins", "ignore_compat": "plugins", "profile": "profiles"}


class Tool:
    """One tool's commands and plugins, as a completion request sees them.

    :param words: the words typed so far (global options among them decide
        which configuration, profile and plugins apply).
    :param app_options: what :func:`myapp.app.main` was given: ``builtins``, ``version``, ``path``.
    """

    def __init__(self, identity: Identity, words: Sequence[str], app_options: Mapping[str, Any]) -> None:
        from .. import __version__
        from ..builtin import BUILTIN_COMMANDS
        from ..options import build_parser

        self.identity = identity
        self.app_options = app_options
        self.builtins: Mapping[str, str] = app_options.get("builtins", BUILTIN_COMMANDS)
        self.version: str = app_options.get("version") or __version__
        parser = build_parser(identity, "", self.version)
        self.global_arguments = arguments_of(parser, GLOBAL_COMPLETERS)
        self.config = _config(identity, parser, words)
        self.index = self._index()
        self.trusted = {normalize_name(identity.distribution), "cliff"}
        self.selection = None
        if self.config is not None:
            from ..plugins import Selection

            self.selection = Selection(self.config, self.trusted, self.index)

    @functools.cached_property
    def commands(self) -> CommandManager:
        """The command table a run would use, for one command's entry (it imports no command)."""
        from ..commandmanager import CommandManager

        manager = CommandManager(self.identity)
        manager.add_builtins(self.builtins, self.identity.distribution, self.version)
        manager.add_plugins(self.index, self.is_allowed)
        if self.config is not None and "use" in self.config:
            with contextlib.suppress(MyappError):  # a bad pin is reported when the command runs
                manager.use_versions(self.config["use"], self.config.origin("use"))
        return manager

    def _index(self) -> PluginIndex:
        from ..compat import ToolVersionJudge

        folders: list[str] = []
        if self.config is not None and self.config["plugin_paths"]:
            from ..trust import trusted_plugin_folders

            folders = trusted_plugin_folders(self.config["plugin_paths"])
        for folder in folders:
            if folder not in sys.path:  # at the end, as the app does: installed distributions win
                sys.path.append(folder)
        judge = ToolVersionJudge(self.identity.distribution, self.version)
        path = self.app_options.get("path")
        return load_index(self.identity.namespace_prefix, self.cache_dir(), path, folders, judge)

    def cache_dir(self) -> Path | None:
        """The tool's cache folder, or ``None`` when it has none."""
        try:
            return self.identity.cache_dir
        except Exception:  # noqa: BLE001 - e.g. no home directory: complete without caches
            return None

    def is_allowed(self, entry_point: EntryPointInfo) -> bool:
        """Whether the entry point's distribution may provide code (only the tool's own without a configuration)."""
        if self.selection is None:
            return normalize_name(entry_point.distribution) in self.trusted
        return self.selection.is_allowed(entry_point)

    def command_names(self) -> set[str]:
        """Every command that may run: built-ins, and commands of plugins that may run (any version).

        Read straight from the index: resolving each name in the command table
        costs too much with a thousand plugins.
        """
        from ..versions import split_version

        namespace = self.identity.command_namespace
        names = set(self.builtins)
        for entry_point in self.index.entry_points(namespace):
            if self.is_allowed(entry_point):
                names.add(split_version(entry_point.name)[0].replace("_", " "))  # as the command table reads them
        return names

    def entry_point(self, name: str) -> EntryPointInfo | None:
        """The entry point that runs the command *name* (its chosen version, clashes settled)."""
        entry = self.commands.get(name)
        return entry.entry_point if entry is not None else None

    def hook_entry_points(self, name: str) -> list[EntryPointInfo]:
        """The cliff ``CommandHook`` entry points that may add options to the command *name*."""
        namespace = f"{self.identity.command_namespace}.{name.replace(' ', '_')}"
        return [ep for ep in self.index.entry_points(namespace) if self.is_allowed(ep)]

    def arguments_key(self, name: str, entry_point: EntryPointInfo) -> str:
        """Names everything the arguments of *name* depend on: its class, its hooks and the output formatters."""
        parts = [name, _describe_entry_point(entry_point)]
        parts += sorted(f"hook {_describe_entry_point(ep)}" for ep in self.hook_entry_points(name))
        formatters = (
            ep
            for group in self.index.groups()
            if group.startswith(EXTRA_NAMESPACE_PREFIXES)
            for ep in self.index.entry_points(group)
            if self.is_allowed(ep)
        )
        parts += sorted({f"formatter {normalize_name(ep.distribution)} {ep.version}" for ep in formatters})
        return " | ".join(parts)

    def value_completers(self) -> dict[str, Callable[[], list[Candidate]]]:
        """The named value completers: ``plugins``, ``settings``, ``profiles``."""
        return {"plugins": self._plugins, "settings": _settings, "profiles": self._profiles}

    def _plugins(self) -> list[Candidate]:
        if self.selection is None:
            return []
        from ..plugins import find_plugins

        plugins = find_plugins(self.index, self.identity, self.selection)
        return [Candidate(plugin.distribution.key, plugin.distribution.summary) for plugin in plugins]

    def _profiles(self) -> list[Candidate]:
        return [Candidate(name) for name in self.config.profiles] if self.config is not None else []


def _settings() -> list[Candidate]:
    from ..settings import SETTINGS

    return [Candidate(key, SETTINGS[key].help) for key in sorted(SETTINGS)]


def _describe_entry_point(entry_point: EntryPointInfo) -> str:
    return f"{normalize_name(entry_point.distribution)} {entry_point.version} {entry_point.value}"


def _config(identity: Identity, parser: argparse.ArgumentParser, words: Sequence[str]) -> Config | None:
    """The configuration the command line would run with; ``None`` when it cannot be read.

    As in a run, global options count wherever they are typed.
    """
    from ..config import load_config
    from ..options import typed_settings

    try:
        namespace = _parse_global_options(parser, words)
        typed = typed_settings(parser, namespace)
        return load_config(identity, config_file=getattr(namespace, "config_file", None), command_line=typed)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - e.g. a malformed file, no home directory
        LOG.debug("completing without a configuration (%s)", error)
        return None


def _parse_global_options(parser: argparse.ArgumentParser, words: Sequence[str]) -> argparse.Namespace:
    """The global options among *words*; an option still waiting for its value is left out."""
    with contextlib.redirect_stderr(io.StringIO()):  # argparse prints usage before it gives up
        try:
            return parser.parse_known_args(list(words))[0]
        except SystemExit:
            return parser.parse_known_args(list(words[:-1]))[0]


def completer(tool: Tool, cache: DescriptionCache, *, with_help: bool = True) -> Completer:
    """A :class:`Completer` over *tool*, reading descriptions and arguments through *cache*.

    :param with_help: describe the commands offered (bash shows no help, so it skips the work).
    """

    def describe(name: str) -> str:
        entry_point = tool.entry_point(name)
        cached = cache.cached_description(entry_point) if entry_point is not None else None
        return cached.text if cached is not None else ""

    def arguments(name: str) -> list[Argument]:
        entry_point = tool.entry_point(name)
        if entry_point is None:
            return []
        key = tool.arguments_key(name, entry_point)
        return cache.arguments(key, lambda: read_arguments(tool, name), _arguments_from_rows)

    return Completer(
        tool.command_names(),
        tool.global_arguments,
        arguments,
        describe if with_help else None,
        tool.value_completers(),
    )


def _arguments_from_rows(rows: list[Any]) -> list[Argument]:
    """The arguments a cache entry holds.

    :raises TypeError: a row is not of the shape :func:`read_arguments` writes.
    """
    arguments = []
    for flags, takes_value, repeats, text, choices, completer_name in rows:
        if not (_are_strings(flags) and _are_strings(choices) and _are_strings([text, completer_name])):
            raise TypeError("not an argument row")
        if not (isinstance(takes_value, bool) and isinstance(repeats, bool)):
            raise TypeError("not an argument row")
        arguments.append(Argument(tuple(flags), takes_value, repeats, text, tuple(choices), completer_name))
    return arguments


def _are_strings(items: object) -> bool:
    return isinstance(items, (list, tuple)) and all(isinstance(item, str) for item in items)


def read_arguments(tool: Tool, name: str) -> tuple[list[Any], str]:
    """Import the one command *name* and read its arguments (hooks' options included) from its parser.

    This runs once per version of the command and of its hooks, when the
    cache has nothing yet. Whatever the command or its plugin prints is
    discarded, and a failure only means no options to offer: it is cached,
    and tried again when anything installed changes.

    :returns: the arguments as JSON-ready rows, and why they could not be read ("" when they could).
    """
    from ..app import App

    try:
        with _silenced():
            streams = {name: io.StringIO() for name in ("stdin", "stdout", "stderr")}
            app = App(tool.identity, **streams, **tool.app_options)
            entry = tool.commands.get(name)
            if entry is None:
                return [], f"no command '{name}'"
            app.command_manager.add_plugins(tool.index, tool.is_allowed)  # serves the command's hooks to cliff
            command = app.command_manager.create(entry, app, _app_arguments(app))
            parser = app.command_parser(entry, command, f"{tool.identity.name} {name}")
    except (KeyboardInterrupt, Terminated):
        raise
    except BaseException as error:
        LOG.debug("cannot read the arguments of '%s'", name, exc_info=True)
        return [], str(error) or type(error).__name__
    completers = getattr(type(command), VALUE_COMPLETERS_ATTRIBUTE, None) or {}
    return [list(argument) for argument in arguments_of(parser, completers)], ""


def _app_arguments(app: Any) -> argparse.Namespace:
    namespace, _ = app.parser.parse_known_args([])
    return namespace


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Discard everything written to stdout and stderr, by Python code and by the file descriptors."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = []
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        for descriptor in (1, 2):
            saved.append((descriptor, os.dup(descriptor)))
            os.dup2(null, descriptor)
        os.close(null)
    except OSError:
        pass  # no descriptors to redirect (e.g. closed): Python-level redirection still applies
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        for descriptor, copy in saved:
            os.dup2(copy, descriptor)
            os.close(copy)
