"""What one run knows: the configuration, the plugin index, every plugin's state and the command table.

The cliff :class:`~myapp.app.App` (through :class:`SessionKeeping`, its
half that holds the session) and the completion server both build it with
:func:`open_session`, so a rule about which plugins run or which cache folder
is trusted exists once. Built-in commands, ``plugin check``, the installer
and extension points take the session instead of the whole App.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .index.discovery import discard_cache, load_index
from .index.pluginindex import PluginIndex
from .plugins.compat import ToolVersionJudge
from .plugins.state import Plugin, Selection, find_plugins, not_plugins

if TYPE_CHECKING:
    import argparse

    from cliff.command import Command

    from .commands.entry import CommandEntry
    from .commands.manager import CommandManager
    from .config.layers import Config
    from .hooks.runner import HookRunner
    from .identity import Identity
    from .plugins.trace import PluginTrace

LOG = logging.getLogger(__name__)


class Session:
    """One run's configuration, plugins and commands (see :func:`open_session`).

    :param config: ``None`` when the configuration cannot be read (a
        completion request then offers the tool's own commands only).
    :param folders: the drop-in plugin folders the index was read with.
    """

    def __init__(self, sources: _Sources, config: Config | None, index: PluginIndex, folders: Sequence[str]) -> None:
        self._sources = sources
        self.identity = sources.identity
        #: the tool's release, against which plugins' requirements are checked
        self.version = sources.version
        #: the built-in commands, ``{name: "module:class"}``
        self.builtins = sources.builtins
        #: the trusted cache folder (see :func:`trusted_cache_folder`); ``None`` runs without caches
        self.cache_dir = sources.cache_dir
        #: the ``--debug-plugins`` trace, or ``None`` when it is off
        self.trace = sources.trace
        self.config = config
        self.index = index
        self.folders = list(folders)
        #: every plugin's state and the reason for it (see :mod:`myapp.plugins.state`)
        self.plugins = Selection(config, not_plugins(self.identity), index)
        self._commands: CommandManager | None = None

    def reopened(self, config: Config | None, *, rescan: bool = False) -> Session:
        """The session of the same run under *config* (after ``plugin enable``, say).

        :param rescan: drop the cached index and read the installed metadata again (after pip ran).
        """
        return self._sources.open(config, rescan=rescan)

    def installed_plugins(self) -> list[Plugin]:
        """Every installed plugin with its state, sorted by name."""
        return find_plugins(self.index, self.identity, self.plugins)

    def cache_file(self, name: str) -> Path | None:
        """The file *name* in the cache folder; ``None`` without one."""
        return self.cache_dir / name if self.cache_dir is not None else None

    @property
    def commands(self) -> CommandManager:
        """The command table with the plugins that may run and the pinned versions (built on first use)."""
        if self._commands is None:
            from .commands.manager import CommandManager  # cliff: only when a command is looked up

            manager = CommandManager(self.identity)
            manager.add_builtins(self.builtins, self.identity.distribution, self.version)
            self.fill_command_table(manager)
        assert self._commands is not None
        return self._commands

    def fill_command_table(self, manager: CommandManager, typed_pins: Collection[str] = ()) -> None:
        """Give *manager* the commands of the plugins that may run, and the versions the configuration pins.

        :param typed_pins: the commands whose pins were typed for this run (checked at once).
        :raises ~myapp.errors.UsageError: a typed pin names an unknown command or version.
        """
        plugins, tool = self.plugins, self.identity.name
        manager.add_plugins(
            self.index,
            plugins.is_allowed,
            plugins.blocked_reason,
            lambda distribution: plugins.blocked_hint(distribution, tool),
            trace=self.trace,
        )
        self._commands = manager
        if self.config is not None and "use" in self.config:
            pins = self.config.value("use")
            manager.use_versions(pins.value, pins.origin_of, typed_pins)

    def hook_runner(self, *, safe_mode: bool, debug: bool) -> HookRunner:
        """What fires this run's hooks, as the configuration says (see :mod:`myapp.hooks.runner`).

        :param safe_mode: ``--no-plugins``: no plugin's hook, and no hook script either.
        :param debug: ``--debug``: log the tracebacks of hook failures.
        """
        from .hooks.runner import HookPolicy, HookRunner

        config = self.config
        assert config is not None, "the App's session always has a configuration"
        policy = HookPolicy(
            on_failure=config["hooks.on_failure"],
            safe_mode=safe_mode,
            script_timeout=config["hooks.script_timeout"],
            order=config["hooks.order"],
            hook_dir=config["hook_dir"],
            debug=debug,
        )
        index = None if safe_mode else self.index
        return HookRunner(
            self.identity,
            index,
            self.plugins.is_allowed,
            policy,
            not_plugins=self.plugins.trusted,
            plugin_trace=self.trace,
        )

    def plugin_of_module(self, module: str) -> str | None:
        """The plugin distribution whose entry points live in *module* or its packages, if any."""
        from .plugins.blame import owner_of_module

        owner = owner_of_module(self._module_owners, module)
        found = self.index.distribution(owner) if owner else None
        return found.name if found else None

    @functools.cached_property
    def _module_owners(self) -> dict[str, str]:
        from .plugins.blame import module_owners

        return module_owners(self.index, self.plugins.trusted)

    def record_arguments(self, entry: CommandEntry, command: Command, parser: argparse.ArgumentParser) -> None:
        """Keep the arguments *parser* takes, for shell completion (which imports no plugin code)."""
        from .commands.arguments import arguments_key, store_arguments

        if self.cache_dir is None:
            return
        key = arguments_key(self.identity, self.index, self.plugins.is_allowed, entry.name, entry.entry_point)
        store_arguments(self.cache_dir, key, command, parser)


class SessionKeeping:
    """The half of :class:`myapp.app.App` that opens the run's session, and opens it again after ``plugin enable``."""

    options: argparse.Namespace
    version: str
    command_manager: CommandManager
    hooks: HookRunner | None
    _opened: Session | None
    #: the settings typed as options: the configuration's top layer
    _typed: dict[str, tuple[Any, str]]
    _builtins: Mapping[str, str]
    _path: Sequence[str] | None
    _fixed_index: PluginIndex | None

    if TYPE_CHECKING:

        @property
        def identity(self) -> Identity: ...

    def plugin_of_module(self, module: str) -> str | None:
        """The plugin distribution whose entry points live in *module* or its packages, if any."""
        return None if self._opened is None else self._opened.plugin_of_module(module)

    @property
    def session(self) -> Session:
        """What this run knows (see :mod:`myapp.session`): open from before :meth:`initialize_app` on."""
        if self._opened is None:
            raise RuntimeError("the app's session is not open: run a command line first")
        return self._opened

    def refresh_plugins(self, *, rescan: bool = False) -> None:
        """Read the configuration again and re-decide which plugins run (after ``plugin enable``).

        :param rescan: also drop the entry-point cache and read the installed
            distributions again, for a caller that has just run pip.
        """
        self._start_session(self.session.reopened(self._load_config(), rescan=rescan))

    def _load_config(self) -> Config:
        """The configuration of this run, its command-line layer being the options typed."""
        from .config.layers import load_config
        from .config.options import apply_config

        config_file = getattr(self.options, "config_file", None)
        config = load_config(self.identity, config_file=config_file, command_line=self._typed)
        apply_config(self.options, config)
        return config

    def _open_session(self, config: Config, trace: PluginTrace | None) -> None:
        """Index the installed plugins (metadata only) and decide which may run."""
        session = open_session(
            self.identity,
            config,
            version=self.version,
            builtins=self._builtins,
            cache_dir=trusted_cache_folder(self.identity),
            path=self._path,
            plugin_index=self._fixed_index,
            trace=trace,
        )
        self._start_session(session)

    def _start_session(self, session: Session) -> None:
        """Run with *session*: its commands in the command table, its hooks ready to fire."""
        self._opened = session
        typed_pins = self._typed.get("use", ({}, ""))[0]  # pins typed for this run are checked at once
        session.fill_command_table(self.command_manager, typed_pins)
        self.hooks = session.hook_runner(safe_mode=self.options.no_plugins, debug=self.options.debug)


def open_session(
    identity: Identity,
    config: Config | None,
    *,
    version: str,
    builtins: Mapping[str, str],
    cache_dir: Path | None,
    path: Sequence[str] | None = None,
    plugin_index: PluginIndex | None = None,
    trace: PluginTrace | None = None,
) -> Session:
    """Read the plugin index (metadata only) under *config* and decide which plugins may run.

    :param cache_dir: the cache folder :func:`trusted_cache_folder` found.
    :param path: where to look for installed plugins; ``sys.path`` by default.
    :param plugin_index: plugins to use instead of the installed ones, already indexed (tests).
    :param trace: the ``--debug-plugins`` trace, told which plugins were found and which may run.
    """
    sources = _Sources(identity, version, builtins, path, plugin_index, trace, cache_dir, set())
    return sources.open(config)


class _Sources(NamedTuple):
    """Where a session's facts come from, kept to open it again (:meth:`Session.reopened`)."""

    identity: Identity
    version: str
    builtins: Mapping[str, str]
    path: Sequence[str] | None
    plugin_index: PluginIndex | None
    trace: PluginTrace | None
    cache_dir: Path | None
    #: what this run has warned about already, so that a session opened again does not repeat it
    warned: set[str]

    def open(self, config: Config | None, *, rescan: bool = False) -> Session:
        """Index the plugins under *config*; *rescan* drops the cached index first."""
        identity = self.identity
        if self.plugin_index is not None:
            index, folders = self.plugin_index, []
        else:
            judge = ToolVersionJudge(identity.distribution, self.version)
            folders = _drop_in_folders(config)
            if rescan:
                import importlib

                importlib.invalidate_caches()
                discard_cache(identity.namespace_prefixes, self.cache_dir, self.path, folders, judge)
            index = load_index(identity.namespace_prefixes, self.cache_dir, self.path, folders, judge)
            LOG.debug("plugin distributions indexed: %d", len(index))
        session = Session(self, config, index, folders)
        session.plugins.warn_about_problems(self.warned)
        if self.trace is not None:
            self.trace.selected(session.installed_plugins())
        return session


def _drop_in_folders(config: Config | None) -> list[str]:
    """The trusted drop-in plugin folders *config* names, put at the end of ``sys.path`` (installed plugins win)."""
    if config is None or not config["plugin_paths"]:
        return []
    from .trust import trusted_plugin_folders

    folders = trusted_plugin_folders(config["plugin_paths"])  # warns about refused ones
    sys.path.extend(folder for folder in folders if folder not in sys.path)
    return folders


def trusted_cache_folder(identity: Identity) -> Path | None:
    """The tool's cache folder, created if needed; ``None`` when there is none or it must not be trusted.

    Another user's folder could hold an index that points commands at their
    code, so a folder others may change, or one reached through a link that
    another user owns, is refused with a warning. No folder at all (no home),
    one that cannot be made or written, and, run as root, one inside another
    user's home, only cost speed: ``-v`` says why. Decided once per run (a
    session opened again keeps the answer), so an unusable folder costs one
    message, not one per cache file.
    """
    from ._files import foreign_owner, make_folders
    from .errors import NoHomeError
    from .trust import unsafe_folder_reason

    try:
        folder = identity.cache_dir
    except NoHomeError as error:
        LOG.info("%s; running without caches", error.message)
        return None
    try:
        owner = foreign_owner(folder)
        if owner is not None:
            LOG.info("not using the cache folder '%s' of uid %d as root; running without caches", folder, owner)
            return None
        problem = unsafe_folder_reason(folder)
        if problem:
            LOG.warning("not using the cache folder '%s': it %s", folder, problem)
            return None
        make_folders(folder)
        usable = os.access(folder, os.W_OK | os.X_OK)
    except OSError as error:
        LOG.info("cannot use the cache folder '%s' (%s); running without caches", folder, error.strerror)
        return None
    if not usable:
        LOG.info("cannot write to the cache folder '%s'; running without caches", folder)
        return None
    return folder
