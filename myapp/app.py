"""The cliff application: global options, logging, running one command, exit codes."""

from __future__ import annotations

import argparse
import functools
import gc
import logging
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Literal, TextIO, cast

from cliff import app as cliff_app
from cliff import command as cliff_command

from . import __version__, pluginlog
from ._loading import describe_exception
from .builtin import BUILTIN_COMMANDS
from .commandentry import CommandEntry
from .commandmanager import CommandManager
from .compat import ToolVersionJudge
from .completion.arguments import record_arguments
from .config import Config, load_config
from .console import colour_allowed, install_logging
from .discovery import PluginIndex, discard_cache
from .errors import ExitCode, MyappError, PluginLoadError, Terminated, UsageError
from .hookrunner import HookPolicy, HookRunner
from .hooks import INITIALIZE, POST_COMMAND, PRE_COMMAND, HookContext, command_event
from .identity import MYAPP, Identity
from .options import (
    apply_config,
    build_parser,
    closest_option,
    provisional_verbosity,
    raise_usage_errors,
    typed_settings,
)
from .plugins import Selection, State, load_plugin_index, not_plugins
from .reporting import ErrorReporting

LOG = logging.getLogger(__name__)


class App(ErrorReporting, cliff_app.App):
    """A cliff ``App`` whose commands come from installed plugins.

    :param identity: the tool's names; :data:`myapp.identity.MYAPP` by default.
    :param version: shown by ``--version``; the framework's version by default.
    :param builtins: built-in commands, ``{name: "module:class"}``.
    :param path: where to look for plugins; ``sys.path`` by default.
    :param plugin_index: plugins to use instead of the installed ones, already
        indexed (in-memory plugins for tests: see :mod:`myapp.testing`).
    """

    def __init__(
        self,
        identity: Identity = MYAPP,
        *,
        version: str | None = None,
        builtins: Mapping[str, str] = BUILTIN_COMMANDS,
        path: Sequence[str] | None = None,
        plugin_index: PluginIndex | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.identity = identity
        self.NAME = identity.name
        self.LOG = logging.getLogger(identity.name)
        self.index: PluginIndex | None = None
        self.config: Config | None = None
        self.hooks: HookRunner | None = None
        self.selection: Selection | None = None
        self._typed: dict[str, tuple[Any, str]] = {}
        self._path = path
        self._fixed_index = plugin_index
        #: the cache folder once decided (see :meth:`cache_dir`); ``False`` until then
        self._cache_folder: Path | Literal[False] | None = False
        #: the drop-in plugin folders the index was last loaded with (part of its cache key)
        self._plugin_folders: list[str] = []
        version = version or __version__
        #: the tool's release, against which plugins' requirements are checked
        self.version = version
        self._judge = ToolVersionJudge(identity.distribution, version)
        manager = CommandManager(identity)
        super().__init__(
            description=identity.description,
            version=version,
            command_manager=manager,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            deferred_help=True,
        )
        # cliff registered its own help (imports every command to list them)
        # and complete (likewise); the built-in table replaces both.
        manager.remove_builtins()
        manager.add_builtins(builtins, identity.distribution, version)

    command_manager: CommandManager

    def build_option_parser(
        self,
        description: str | None,
        version: str | None,
        argparse_kwargs: dict[str, Any] | None = None,
    ) -> argparse.ArgumentParser:
        """The global options (see :mod:`myapp.options`); a bad one is a usage error."""
        parser = build_parser(self.identity, description or "", version or "")
        raise_usage_errors(parser, "", self._options_hint)
        return parser

    @property
    def _options_hint(self) -> str:
        return f"'{self.NAME} --help' lists the options"

    def run(self, argv: list[str]) -> int:
        """Run one command line and return its exit status; never raises."""
        try:
            return self._run(list(argv))
        except BaseException as error:  # noqa: BLE001 - every outcome becomes an exit status
            return self.report(error)
        finally:
            pluginlog.stop()

    def _run(self, argv: list[str]) -> int:
        self.options, remainder = self.parser.parse_known_args(argv)
        # Warnings about the configuration itself need a console already.
        install_logging(self.NAME, self.stderr, provisional_verbosity(self.options), None, self.identity)
        self._typed = typed_settings(self.parser, self.options)
        self.config = load_config(
            self.identity, config_file=getattr(self.options, "config_file", None), command_line=self._typed
        )
        apply_config(self.options, self.config)
        self.configure_logging()
        if self.options.no_color:  # for the libraries and programs (pip) that follow the NO_COLOR convention
            os.environ["NO_COLOR"] = "1"
        if self.options.debug_plugins:
            pluginlog.start(self.stderr, self.NAME)
        from .progressbar import configure as configure_progress

        colour = colour_allowed(self.stderr, self.options.no_color)
        configure_progress(self.stderr, quiet=self.options.verbose_level == 0, colour=colour)
        self.interactive_mode = not remainder
        if self.options.deferred_help and remainder:
            remainder.insert(0, "help")
            self.options.deferred_help = False
        self.initialize_app(remainder)
        if self.options.deferred_help:
            self.print_command_list(self.stdout)
            return ExitCode.OK
        if not remainder:
            if _is_terminal(self.stdin) and _is_terminal(self.stdout):
                _resume_garbage_collection()
                self.interact()
                return ExitCode.OK
            self.print_command_list(self.stderr)
            return ExitCode.USAGE
        if remainder[0].startswith("-"):
            raise self._unknown_option(remainder[0])
        if self.options.strict_plugins:
            self._refuse_broken_plugins(remainder)
        return self.run_subcommand(remainder)

    def _refuse_broken_plugins(self, argv: list[str]) -> None:
        """``--strict-plugins``: fail before a plugin command starts if any enabled plugin is broken.

        Built-in commands still run, so that a broken plugin can always be disabled.
        """
        from .builtin.plugin import installed_plugins
        from .pluginchecks import check_plugins

        entry, _ = self.command_manager.find_entry(argv)
        if entry.builtin:
            return
        plugins = installed_plugins(self)
        broken = {p.name: p.verdict.reason for p in plugins if p.verdict.state is State.INCOMPATIBLE}
        broken.update(check_plugins(self, [p for p in plugins if p.verdict.runs]).broken)
        if broken:
            name, problem = next(iter(broken.items()))
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            raise PluginLoadError(
                f"--strict-plugins: plugin '{name}' cannot run: {problem}{more}",
                distribution=name,
                entry_point="",
                namespace="",
                hint=f"'{self.NAME} plugin check' lists every problem; --disable-plugin skips a plugin",
            )

    def configure_logging(self) -> None:
        """Log warnings and errors to stderr (more with ``-v``), everything to ``--log-file``."""
        install_logging(
            self.NAME,
            self.stderr,
            self.options.verbose_level,
            self.options.log_file,
            self.identity,
            log_format=self.options.log_format,
            owner_of=self.plugin_of_module,
        )

    def plugin_of_module(self, module: str) -> str | None:
        """The plugin distribution whose entry points live in *module* or its packages, if any."""
        if self.index is None:
            return None
        from .blame import owner_of_module

        owner = owner_of_module(self._module_owners, module)
        found = self.index.distribution(owner) if owner else None
        return found.name if found else None

    @functools.cached_property
    def _module_owners(self) -> dict[str, str]:
        from .blame import module_owners

        assert self.index is not None
        return module_owners(self.index, self._not_plugins)

    @property
    def _not_plugins(self) -> frozenset[str]:
        """The indexed distributions that are not plugins: the tool itself, and cliff (for its formatters)."""
        return not_plugins(self.identity)

    def initialize_app(self, argv: list[str]) -> None:
        """Index the installed plugins (metadata only), decide which may run, fire ``initialize``."""
        self._load_index()
        self._select_plugins()
        assert self.hooks is not None
        self.hooks.fire(INITIALIZE, HookContext(INITIALIZE, self, None, tuple(argv)))

    def refresh_plugins(self, *, rescan: bool = False) -> None:
        """Read the configuration again and re-decide which plugins run (after ``plugin enable``).

        :param rescan: also drop the entry-point cache and read the installed
            distributions again, for a caller that has just run pip.
        """
        if rescan:
            import importlib

            importlib.invalidate_caches()
            discard_cache(
                self.identity.namespace_prefix, self.cache_dir(), self._path, self._plugin_folders, self._judge
            )
        self.config = load_config(
            self.identity, config_file=getattr(self.options, "config_file", None), command_line=self._typed
        )
        apply_config(self.options, self.config)
        self._load_index()
        self._select_plugins()

    def _load_index(self) -> None:
        assert self.config is not None
        if self._fixed_index is not None:
            self.index = self._fixed_index
            return
        self.index, self._plugin_folders = load_plugin_index(
            self.identity, self.config, self.cache_dir(), self._path, self._judge
        )
        self.__dict__.pop("_module_owners", None)
        LOG.debug("indexed %d plugin distributions", len(self.index))

    def _select_plugins(self) -> None:
        assert self.index is not None and self.config is not None
        self.selection = Selection(self.config, self._not_plugins, self.index)
        self.selection.warn_about_unknown_names(self.index)
        self.selection.warn_about_incompatible_plugins()
        trace = pluginlog.observer()
        if trace is not None:
            from .plugins import find_plugins

            trace.selected(find_plugins(self.index, self.identity, self.selection))
        selection = self.selection
        self.command_manager.add_plugins(
            self.index,
            selection.is_allowed,
            selection.blocked_reason,
            lambda distribution: selection.blocked_hint(distribution, self.NAME),
        )
        pins = self.config.value("use")
        typed = self._typed.get("use", ({}, ""))[0]  # pins typed for this run are checked at once
        self.command_manager.use_versions(pins.value, pins.origin_of, typed)
        self.hooks = HookRunner(
            self.identity,
            None if self.options.no_plugins else self.index,
            self.selection.is_allowed,
            HookPolicy(
                on_failure=self.config["hooks.on_failure"],
                safe_mode=self.options.no_plugins,
                script_timeout=self.config["hooks.script_timeout"],
                order=self.config["hooks.order"],
                hook_dir=self.config["hook_dir"],
                debug=self.options.debug,
            ),
            not_plugins=self._not_plugins,
        )

    def run_subcommand(self, argv: list[str]) -> int:
        """Find, import, parse and run one command; return its exit status."""
        try:
            return self._run_command(argv)
        except BaseException as error:  # noqa: BLE001 - reported, then mapped to an exit status
            return self.report(error)

    def _run_command(self, argv: list[str]) -> int:
        manager = self.command_manager
        entry, arguments = manager.find_entry(argv)
        LOG.debug("running '%s' = %s from %s %s", entry.name, entry.value, entry.distribution, entry.version)
        command = manager.create(entry, self, self.options)
        prog = entry.name if self.interactive_mode else f"{self.NAME} {entry.name}"
        parser = self.command_parser(entry, command, prog)
        record_arguments(self, entry, command, parser)  # for shell completion, which imports no plugin code
        parsed_args = parser.parse_args(arguments)
        context = HookContext(PRE_COMMAND, self, entry.name, tuple(argv), parsed_args)
        error: BaseException | None = None
        try:
            for event in (PRE_COMMAND, command_event("pre", entry.name)):
                self.hooks.fire(event, context)
            _resume_garbage_collection()
            self.prepare_to_run_command(command)
            result = self._command_result(entry, command, context.parsed_args)
        except BaseException as caught:  # noqa: BLE001 - reported now; post-hooks must still run
            error = self._as_reportable(entry, caught)
            result = self.report(error)
        context.exit_code, context.exception = result, error
        failures = []
        for event in (command_event("post", entry.name), POST_COMMAND):
            failures += self.hooks.fire(event, context)
        self.clean_up(command, result, error)
        if failures and self.options.strict_plugins and result == ExitCode.OK:
            return ExitCode.PLUGIN
        return result

    def _command_result(self, entry: CommandEntry, command: cliff_command.Command, parsed_args: Any) -> int:
        try:
            return self._exit_status(entry, command.run(parsed_args))
        except SystemExit as exit_request:
            return self._exit_status(entry, exit_request.code, "exited with")

    def command_parser(self, entry: CommandEntry, command: cliff_command.Command, prog: str) -> argparse.ArgumentParser:
        """The command's argument parser; a plugin that cannot build one is reported as broken.

        Bad arguments are usage errors (see :func:`myapp.options.raise_usage_errors`), not argparse's usage dump.
        """
        try:
            parser = command.get_parser(prog)
        except (KeyboardInterrupt, Terminated, MyappError):
            raise
        except Exception as error:
            raise entry.failure(f"could not build its arguments ({describe_exception(error)})") from error
        raise_usage_errors(parser, entry.name, f"'{self.NAME} help {entry.name}' lists its options")
        return parser

    def interact(self) -> None:
        """Run the interactive shell (:mod:`myapp.interactive`) until the user leaves it."""
        from .interactive import Shell  # cmd2 and prompt_toolkit: only for the shell

        self.interpreter = Shell(self)
        self.interpreter.cmdloop()

    def print_command_list(self, out: TextIO) -> None:
        """Print the global options, then every command with its description and provider."""
        from .descriptions import DescriptionCache

        self.command_manager.warn_about_clashes()
        out.write(self.parser.format_help())
        out.write("\nCommands:\n")
        fingerprint = self.index.fingerprint if self.index else ""
        descriptions = DescriptionCache(self._cache_file("descriptions.json"), fingerprint)
        rows = []
        for name, entry in self.command_manager:
            description = descriptions.describe(entry)
            if description.deprecated:
                continue
            if description.error:
                LOG.warning("%s", description.error)
            text = f"[broken] {description.error}" if description.error else description.text
            if not entry.builtin:
                text = f"{text} ({entry.distribution})"
            rows.append((name, text))
        descriptions.save()
        width = max((len(name) for name, _ in rows), default=0)
        for name, text in rows:
            out.write(f"  {name:<{width}}  {text}\n")

    def _unknown_option(self, option: str) -> UsageError:
        suggestion = closest_option(self.parser, option)
        hint = self._options_hint
        command = option.lstrip("-").partition("=")[0]
        if suggestion:
            hint = f"did you mean '{suggestion}'? {hint}"
        elif command and self.command_manager.get(command) is not None:  # myapp --bug-report
            hint = f"'{command}' is a command: run '{self.NAME} {command}'"
        return UsageError(f"unknown option '{option}'", hint=hint)

    def cache_dir(self) -> Path | None:
        """The tool's cache folder, or ``None`` when there is none: the tool then runs without caches.

        Unlike :attr:`Identity.cache_dir <myapp.identity.Identity.cache_dir>`, this
        never raises (e.g. when there is no home directory to derive the folder from).
        """
        if self._cache_folder is False:
            self._cache_folder = self._trusted_cache_folder()
        return self._cache_folder

    def _trusted_cache_folder(self) -> Path | None:
        from .trust import unsafe_if_present_reason

        try:
            folder = self.identity.cache_dir
        except Exception as error:  # noqa: BLE001 - e.g. no home directory to derive it from
            LOG.info("no cache directory (%s); running without caches", error)
            return None
        problem = unsafe_if_present_reason(folder)
        if problem:  # another user could plant an index that points commands at their code
            LOG.warning("not using the cache folder '%s': it %s", folder, problem)
            return None
        try:  # decided once here, so that an unusable folder costs one message, not one per cache file
            folder.mkdir(parents=True, exist_ok=True)
            usable = os.access(folder, os.W_OK | os.X_OK)
        except OSError as error:
            LOG.info("cannot use the cache folder '%s' (%s); running without caches", folder, error.strerror)
            return None
        if not usable:
            LOG.info("cannot write to the cache folder '%s'; running without caches", folder)
            return None
        return folder

    def _cache_file(self, name: str) -> Path | None:
        directory = self.cache_dir()
        return directory / name if directory is not None else None


def app_of(command: cliff_command.Command) -> App:
    """The :class:`App` running *command* (cliff types ``command.app`` as its own ``App``)."""
    return cast(App, command.app)


def _resume_garbage_collection() -> None:
    """Turn the collector back on after the console script's start-up (see :mod:`myapp._cli`).

    What start-up built lives as long as the process, so it is frozen first:
    the collector never walks it again (its first pass would otherwise visit
    every object start-up made, in proportion to the plugins installed).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def silence_stdout() -> None:
    """Point stdout at the null device, so flushing it at exit cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def main(argv: Sequence[str] | None = None, identity: Identity = MYAPP, **app_options: Any) -> int:
    """Run the tool as a program would: return the exit status for ``sys.exit``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    from .completion import is_request, serve

    if is_request(arguments):  # the shell asks for candidates: see myapp.completion
        return serve(identity, arguments, **app_options)
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        app = App(identity, **app_options)
    except KeyboardInterrupt:  # before the app can report anything itself
        return ExitCode.INTERRUPTED
    except Terminated:
        return ExitCode.TERMINATED
    status = app.run(arguments)
    try:
        app.stdout.flush()
    except BrokenPipeError:
        status = ExitCode.BROKEN_PIPE
    except (OSError, ValueError):
        pass
    if status == ExitCode.BROKEN_PIPE:
        silence_stdout()
    return status


def console_main() -> None:
    """Entry point of the console script."""
    sys.exit(main())
