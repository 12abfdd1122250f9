"""The cliff application: one command line, from the global options to its exit status.

The :class:`App` reads the global options (:mod:`myapp.config.options`) and the
configuration, opens the run's :mod:`session <myapp.session>`, fires the
``initialize`` hooks and runs one command between its ``pre`` and ``post``
hooks, or the interactive shell (:mod:`myapp.interactive`). What went wrong
becomes one line on stderr and an exit status (:mod:`myapp.reporting`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

from cliff import app as cliff_app
from cliff import command as cliff_command

from ._process import ask_for_no_colour, direct_progress, escape_unencodable_output, resume_garbage_collection
from ._program import run_program
from ._version import __version__
from .commands.builtins import BUILTIN_COMMANDS
from .commands.entry import CommandEntry
from .commands.manager import CommandManager
from .config.layers import Config
from .config.options import (
    build_parser,
    options_hint,
    provisional_verbosity,
    raise_usage_errors,
    two_columns,
    typed_settings,
    unknown_option_error,
)
from .console import colour_allowed, install_logging, is_terminal
from .errors import ExitCode, IncompleteCommand, UsageError
from .hooks.context import INITIALIZE, PRE_COMMAND, HookContext
from .identity import MYAPP, Identity, app_identity
from .index.names import untypable_reason
from .plugins.loading import describe_exception
from .plugins.trace import PluginTrace
from .reporting import ErrorReporting
from .session import Session, SessionKeeping

if TYPE_CHECKING:
    from .hooks.runner import HookRunner
    from .index.pluginindex import PluginIndex

LOG = logging.getLogger(__name__)


class App(SessionKeeping, ErrorReporting, cliff_app.App):
    """A cliff ``App`` whose commands come from installed plugins.

    Built either from an identity, ``App(identity, version=...)``, or as
    cliff's ``App(description, version, command_manager, ...)``, whose tool
    name and namespaces then come from the command manager (see
    :meth:`myapp.identity.Identity.from_namespace`).

    :param description: the tool's :class:`~myapp.identity.Identity`
        (:data:`myapp.identity.MYAPP` by default), or cliff's description line.
    :param version: shown by ``--version``; the framework's version by default.
    :param command_manager: cliff's argument: a :class:`myapp.CommandManager`
        already holding the app's namespaces and in-process commands.
    :param interactive_app_factory: makes the interactive shell, as in cliff
        (``factory(app, command_manager, stdin, stdout)``); myapp's own shell by default.
    :param deferred_help: whether ``--help`` waits for :meth:`initialize_app`
        and ``CMD --help`` means ``help CMD``; without it ``--help`` lists
        the commands at once, as in cliff. Default: deferred for the identity
        form, cliff's default (not deferred) for cliff's form.
    :param identity: the identity, when *description* is cliff's description line.
    :param builtins: built-in commands, ``{name: "module:class"}``.
    :param path: where to look for plugins; ``sys.path`` by default.
    :param plugin_index: plugins to use instead of the installed ones, already
        indexed (in-memory plugins for tests: see :mod:`myapp.testing`).

    .. versionchanged:: 0.1
       cliff's constructor arguments.
    """

    #: Whether a unique prefix of each word runs a command (``ser li`` -> ``server list``), as in cliff.
    ABBREVIATED_COMMANDS = False
    #: Whether the console shows INFO records without ``-v``, as cliff does (``-q``: warnings, ``-v``: debug).
    #: Off by default: myapp's console shows warnings and errors only.
    INFO_LOGGING = False

    def __init__(
        self,
        description: Identity | str | None = MYAPP,
        version: str | None = None,
        command_manager: CommandManager | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        interactive_app_factory: Callable[..., Any] | None = None,
        deferred_help: bool | None = None,
        *,
        identity: Identity | None = None,
        builtins: Mapping[str, str] = BUILTIN_COMMANDS,
        path: Sequence[str] | None = None,
        plugin_index: PluginIndex | None = None,
    ) -> None:
        manager = _command_manager_for(description, identity, command_manager)
        manager.standalone = False  # the session gives it the plugins the configuration lets run
        manager.allow_abbreviations = self.ABBREVIATED_COMMANDS
        identity = manager.identity
        self.NAME = identity.name
        self.LOG = logging.getLogger(identity.name)
        #: what this run knows, once opened (see :attr:`session`)
        self._opened: Session | None = None
        self.hooks: HookRunner | None = None
        self._typed: dict[str, tuple[Any, str]] = {}
        self._builtins = builtins
        self._path = path
        self._fixed_index = plugin_index
        if stdout is None:  # cliff writes to sys.stdout, which is this program's own
            escape_unencodable_output()
        version = version or __version__
        #: the tool's release, against which plugins' requirements are checked
        self.version = version
        super().__init__(
            description=identity.description,
            version=version,
            command_manager=manager,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            interactive_app_factory=cast(Any, interactive_app_factory),
            deferred_help=command_manager is None if deferred_help is None else deferred_help,
        )
        # cliff registered its own help (imports every command to list them)
        # and complete (likewise); the built-in table replaces both.
        manager.unregister("complete")
        manager.add_builtins(builtins, identity.distribution, version)

    command_manager: CommandManager

    @property
    def identity(self) -> Identity:
        """The tool's names and command namespaces: the command manager's (``load_commands`` adds to them)."""
        return self.command_manager.identity

    def build_option_parser(
        self,
        description: str | None,
        version: str | None,
        argparse_kwargs: dict[str, Any] | None = None,
    ) -> argparse.ArgumentParser:
        """The global options (see :mod:`myapp.config.options`); a bad one is a usage error."""
        parser = build_parser(self.identity, description or "", version or "", argparse_kwargs)
        raise_usage_errors(parser, "", options_hint(self.NAME))
        return parser

    def run(self, argv: list[str]) -> int:
        """Run one command line and return its exit status; never raises.

        A shell's completion request is answered here too, for a cliff app
        whose own ``main`` calls ``run`` (:func:`main` answers it earlier).
        """
        from .completion import CALLBACK

        try:
            if argv[:1] == [CALLBACK]:
                return self._complete(argv)
            return self._run(list(argv))
        except BaseException as error:  # noqa: BLE001 - every outcome becomes an exit status
            return self.report(error)

    def _complete(self, argv: list[str]) -> int:
        from .completion import serve

        options: dict[str, Any] = {"builtins": self._builtins, "version": self.version, "path": self._path}
        if self._fixed_index is not None:
            options["plugin_index"] = self._fixed_index
        status = serve(self.identity, argv, self.stdout, make_app=lambda *_, **__: self, **options)
        return ExitCode.OK if status is None else status

    def _run(self, argv: list[str]) -> int:
        remainder, config, trace = self._read_options(argv)
        self.interactive_mode = not remainder
        if self.options.deferred_help and not self.deferred_help:  # cliff's --help: before initialize_app
            self._open_session(config, trace)
            self.print_command_list(self.stdout)
            return ExitCode.OK
        if self.options.deferred_help and remainder:
            remainder.insert(0, "help")
            self.options.deferred_help = False
        self._open_session(config, trace)
        assert self.hooks is not None
        # Fired here, not in initialize_app: cliff apps override that without calling super().
        self.hooks.fire(INITIALIZE, HookContext(INITIALIZE, self, None, tuple(remainder)))
        self.initialize_app(remainder)
        if self.options.deferred_help:
            self.print_command_list(self.stdout)
            return ExitCode.OK
        if not remainder:
            return self._without_command()
        if remainder[0].startswith("-"):
            raise self._unknown_option(remainder[0])
        if self.options.strict_plugins:
            from .management.strict import refuse_broken_plugins

            refuse_broken_plugins(self.session, self, self.command_manager.find_entry(remainder)[0])
        return self.run_subcommand(remainder)

    def _read_options(self, argv: list[str]) -> tuple[list[str], Config, PluginTrace | None]:
        """Parse the global options and read the configuration; set up logging, colour and progress.

        :returns: the command line after the global options, the configuration and the ``--debug-plugins`` trace.
        """
        self.options, remainder = self.parser.parse_known_args(argv)
        # Warnings about the configuration itself need a console already.
        install_logging(self.NAME, self.stderr, provisional_verbosity(self.options), None, self.identity)
        self._typed = typed_settings(self.parser, self.options)
        config = self._load_config()
        self.configure_logging()
        if self.options.no_color:
            ask_for_no_colour()
        trace = PluginTrace(self.stderr, self.NAME) if self.options.debug_plugins else None
        colour = colour_allowed(self.stderr, self.options.no_color)
        direct_progress(self.stderr, quiet=self.options.verbose_level == 0, colour=colour)
        return remainder, config, trace

    def _without_command(self) -> int:
        """``myapp`` alone: the interactive shell on a terminal; elsewhere, the command list and a usage error."""
        if is_terminal(self.stdin) and is_terminal(self.stdout):
            resume_garbage_collection()
            self.interact()
            return ExitCode.OK
        self.print_command_list(self.stderr)
        raise UsageError(
            "no command given, and no terminal for the interactive shell",
            hint=f"run '{self.NAME} COMMAND', one of the commands listed above",
        )

    def configure_logging(self) -> None:
        """Log warnings and errors to stderr (more with ``-v``), everything to ``--log-file``."""
        install_logging(
            self.NAME,
            self.stderr,
            self.options.verbose_level + (1 if self.INFO_LOGGING else 0),
            self.options.log_file,
            self.identity,
            log_format=self.options.log_format,
            owner_of=self.plugin_of_module,
        )

    def initialize_app(self, argv: list[str]) -> None:
        """cliff's hook, for subclasses: called once per run after the session opened and ``initialize`` hooks ran."""

    def run_subcommand(self, argv: list[str]) -> int:
        """Find, import, parse and run one command; return its exit status."""
        try:
            return self._run_command(argv)
        except IncompleteCommand as error:  # 'plugin': what the group holds, then why nothing ran ('plugin -h': help)
            asked = "-h" in argv or "--help" in argv
            self.print_command_list(self.stdout if asked else self.stderr, error.group)
            return ExitCode.OK if asked else self.report(error)
        except BaseException as error:  # noqa: BLE001 - reported, then mapped to an exit status
            return self.report(error)

    def _run_command(self, argv: list[str]) -> int:
        manager = self.command_manager
        entry, arguments = manager.find_entry(argv)
        LOG.debug("running '%s' = %s from %s %s", entry.name, entry.value, entry.distribution, entry.version)
        command = manager.create(entry, self, self.options)
        prog = entry.name if self.interactive_mode else f"{self.NAME} {entry.name}"
        parser = self.command_parser(entry, command, prog)
        self.session.record_arguments(entry, command, parser)  # for completion, which imports no plugin code
        context = HookContext(PRE_COMMAND, self, entry.name, tuple(argv), parser.parse_args(arguments))
        hooks = self.hooks
        assert hooks is not None, "run_subcommand runs after initialize_app"

        def run() -> int:
            resume_garbage_collection()
            self.prepare_to_run_command(command)
            return self._command_result(entry, command, context.parsed_args)

        result, error, failures = hooks.around_command(
            context, run, lambda caught: self.report(self._as_reportable(entry, caught))
        )
        self._clean_up(command, result, error)
        if failures and self.options.strict_plugins and result == ExitCode.OK:
            return ExitCode.PLUGIN
        return result

    def _clean_up(self, command: cliff_command.Command, result: int, error: BaseException | None) -> None:
        """Call :meth:`clean_up` as cliff does, with the command's own exception; its failure is one line."""
        try:
            self.clean_up(command, result, error)
        except Exception as failure:  # as in cliff: reported, the command's result stands
            LOG.error("could not clean up: %s", describe_exception(failure))
            LOG.debug("clean_up failed", exc_info=True)

    def command_parser(self, entry: CommandEntry, command: cliff_command.Command, prog: str) -> argparse.ArgumentParser:
        """The argument parser of *entry*'s command; bad arguments are usage errors (see :meth:`.CommandEntry.parser`).

        :raises ~myapp.errors.PluginLoadError: the command cannot build its parser.
        """
        return entry.parser(command, prog, f"'{self.NAME} help {entry.name}' lists its options")

    def build_command(
        self, entry: CommandEntry, prog: str | None = None
    ) -> tuple[cliff_command.Command, argparse.ArgumentParser]:
        """Create the command of *entry* as a run would, and its argument parser (its hooks' options included).

        :raises ~myapp.errors.PluginLoadError: the command cannot be imported, created or give its arguments.
        """
        options = getattr(self, "options", None) or self.parser.parse_known_args([])[0]  # an app that has not run
        command = self.command_manager.create(entry, self, options)
        return command, self.command_parser(entry, command, prog or f"{self.NAME} {entry.name}")

    def interact(self) -> None:
        """Run the interactive shell (:mod:`myapp.interactive`) until the user leaves it."""
        if self.interactive_app_factory is not None:  # cliff's way: the app's own shell class
            self.interpreter = self.interactive_app_factory(self, self.command_manager, self.stdin, self.stdout)
            self.interpreter.cmdloop()
            return
        from .interactive import Shell  # cmd2 and prompt_toolkit: only for the shell

        Shell(self).cmdloop()

    def print_command_list(self, out: TextIO, group: str = "") -> None:
        """Print the global options, then every command with its description and provider (or *group*'s commands)."""
        from .commands.descriptions import DescriptionCache

        manager, session, table = self.command_manager, self.session, self.command_manager.commands
        listed = manager.commands_in_group(group.split()) if group else list(table)
        convert = manager.convert_underscores
        # A name no command line can type is left out ('plugin check' reports it).
        names = [name for name in listed if not untypable_reason(table[name].entry_point.name, convert)]
        manager.warn_about_clashes(names)
        prog = "" if self.interactive_mode else f"{self.NAME} "
        out.write(f"usage: {prog}{group} COMMAND [ARGS]\n" if group else self.parser.format_help())
        index = session.index
        descriptions = DescriptionCache(
            session.cache_file("descriptions.json"), index.fingerprint, index.is_edited_in_place
        )
        entries, config = [table[name] for name in names], session.config
        assert config is not None
        rows = []
        found = descriptions.describe_all(entries, session.trace, config["import_timeout"])
        for name, entry, description in zip(names, entries, found, strict=True):
            if description.deprecated:
                continue
            if description.error:
                LOG.warning("%s", description.error)
                if not entry.builtin:
                    session.plugins.mark_broken({entry.distribution: description.error})
            text = f"[broken] {description.error}" if description.error else description.text
            rows.append((name, text if entry.builtin else f"{text} ({entry.distribution})"))
        descriptions.save()
        out.write(f"\nCommands:\n{two_columns(rows)}")

    def _unknown_option(self, option: str) -> UsageError:
        """The error about *option*, typed where the command belongs (see :func:`.unknown_option_error`)."""
        return unknown_option_error(
            self.parser, option, self.NAME, lambda word: self.command_manager.get(word) is not None
        )


def _command_manager_for(
    description: Identity | str | None, identity: Identity | None, given: CommandManager | None
) -> CommandManager:
    """The command manager of an App built as myapp's ``App(identity)`` or cliff's ``App(description, ...)``.

    Its identity is decided by :func:`myapp.identity.app_identity`.
    """
    if given is not None and not isinstance(given, CommandManager):
        raise TypeError(
            f"command_manager must be a myapp.CommandManager, not {type(given).__module__}.{type(given).__qualname__}"
        )
    chosen = app_identity(description, identity, None if given is None else given.identity)
    if given is None:
        return CommandManager(chosen)
    given.identity = chosen
    return given


def app_of(command: cliff_command.Command) -> App:
    """The :class:`App` running *command* (cliff types ``command.app`` as its own ``App``)."""
    return cast(App, command.app)


def main(argv: Sequence[str] | None = None, identity: Identity = MYAPP, **app_options: Any) -> int:
    """Run the tool as a program would: return the exit status for ``sys.exit``."""
    return run_program(identity, sys.argv[1:] if argv is None else argv, App, **app_options)
