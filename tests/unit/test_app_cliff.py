"""The App built as cliff's ``App(description, version, command_manager, ...)``: what cliff apps rely on."""

from __future__ import annotations

import argparse
import io
import logging
from typing import Any

import pytest
from cliff.command import Command

from myapp.app import App
from myapp.commands.manager import CommandManager
from myapp.errors import ExitCode
from myapp.identity import MYAPP, Identity
from tests.unit.commands.test_manager import Hello, entry, index_of

LOG = logging.getLogger(__name__)


class Fails(Command):
    """Fail with an exception of its own."""

    def take_action(self, parsed_args: object) -> None:
        raise RuntimeError("test exception")


class Interrupted(Command):
    """Act as if Ctrl-C was pressed."""

    def take_action(self, parsed_args: object) -> None:
        raise KeyboardInterrupt


class Talks(Command):
    """Log at INFO, then succeed."""

    def take_action(self, parsed_args: object) -> None:
        LOG.info("informative line")


#: A plugin command in the manager's namespace.
INDEX = index_of(entry("server_list", f"{Hello.__module__}:Hello", "compute-plugin", group="mytool.compute"))


class Recorder(App):
    """Records what cliff's hook methods were called with."""

    def __init__(self, **options: Any) -> None:
        manager = CommandManager("mytool.compute")
        for name, command in (("fails", Fails), ("interrupted", Interrupted), ("talks", Talks)):
            manager.add_command(name, command)
        self.calls: list[tuple[str, Any]] = []
        options.setdefault("stdout", io.StringIO())
        options.setdefault("stderr", io.StringIO())
        super().__init__("my tool", "1.2", manager, plugin_index=INDEX, path=[], **options)

    def initialize_app(self, argv: list[str]) -> None:
        self.calls.append(("initialize_app", argv))
        super().initialize_app(argv)

    def prepare_to_run_command(self, cmd: Command) -> None:
        self.calls.append(("prepare_to_run_command", type(cmd)))

    def clean_up(self, cmd: Command, result: int, err: BaseException | None) -> None:
        self.calls.append(("clean_up", (type(cmd), result, err)))

    @property
    def err(self) -> str:
        stream = self.stderr
        assert isinstance(stream, io.StringIO)
        return stream.getvalue()

    @property
    def out(self) -> str:
        stream = self.stdout
        assert isinstance(stream, io.StringIO)
        return stream.getvalue()


def test_the_tool_s_names_come_from_the_command_manager_and_the_description() -> None:
    app = Recorder()

    assert app.identity.name == "mytool"
    assert app.identity.description == "my tool"
    assert app.identity.command_groups == ("mytool.compute",)
    assert app.NAME == "mytool"
    assert app.deferred_help is False


def test_an_identity_given_with_cliff_s_arguments_keeps_the_manager_s_namespaces() -> None:
    manager = CommandManager("mytool.compute")

    app = App("desc", "1.0", manager, identity=Identity("acme"))

    assert app.identity.name == "acme"
    assert app.identity.command_groups == ("mytool.compute",)
    assert app.identity.description == "desc"


def test_the_identity_form_still_works_and_defers_help() -> None:
    app = App(MYAPP, version="9.9")

    assert app.identity == MYAPP
    assert app.deferred_help is True


def test_cliff_s_own_command_manager_is_refused_with_a_clear_error() -> None:
    from cliff.commandmanager import CommandManager as CliffManager

    with pytest.raises(TypeError, match=r"must be a myapp\.CommandManager, not cliff\.commandmanager"):
        App("desc", "1.0", CliffManager(None))  # type: ignore[arg-type]


def test_plugin_commands_of_the_manager_s_namespace_run() -> None:
    app = Recorder()

    assert app.run(["server", "list"]) == ExitCode.OK
    assert app.calls[-1] == ("clean_up", (Hello, 0, None))


def test_cliff_s_hooks_are_called_in_cliff_s_order_with_the_command_s_own_exception() -> None:
    app = Recorder()

    assert app.run(["fails"]) == ExitCode.FAILURE

    (name, argv), (prepare, command_class), (clean, (cleaned, result, err)) = app.calls
    assert (name, argv, prepare, command_class, clean) == (
        "initialize_app",
        ["fails"],
        "prepare_to_run_command",
        Fails,
        "clean_up",
    )
    assert (cleaned, result) == (Fails, ExitCode.FAILURE)
    assert isinstance(err, RuntimeError) and err.args == ("test exception",)
    first, hint, end = app.err.split("\n")
    assert first.startswith("mytool: error: command 'fails' failed")
    assert first.endswith("(RuntimeError: test exception)")
    assert (hint.startswith("hint: "), end) == (True, "")


def test_clean_up_sees_a_keyboard_interrupt_as_cliff_passes_it() -> None:
    app = Recorder()

    assert app.run(["interrupted"]) == ExitCode.INTERRUPTED
    _, result, err = app.calls[-1][1]
    assert result == ExitCode.INTERRUPTED
    assert isinstance(err, KeyboardInterrupt)


def test_a_failing_clean_up_is_one_line_and_the_command_s_status_stands() -> None:
    class BadCleanUp(Recorder):
        def clean_up(self, cmd: Command, result: int, err: BaseException | None) -> None:
            raise RuntimeError("within clean_up")

    app = BadCleanUp()

    assert app.run(["talks"]) == ExitCode.OK
    assert app.err == "mytool: error: could not clean up: RuntimeError: within clean_up\n"


def test_argparse_kwargs_reach_the_global_parser() -> None:
    class Resolving(Recorder):
        def build_option_parser(
            self, description: str | None, version: str | None, argparse_kwargs: dict[str, Any] | None = None
        ) -> argparse.ArgumentParser:
            parser = super().build_option_parser(description, version, {"conflict_handler": "resolve"})
            parser.add_argument("-h", "--help", action="store_true", dest="deferred_help", help="Redefined.")
            return parser

    class Conflicting(Recorder):
        def build_option_parser(
            self, description: str | None, version: str | None, argparse_kwargs: dict[str, Any] | None = None
        ) -> argparse.ArgumentParser:
            parser = super().build_option_parser(description, version)
            parser.add_argument("-h", "--help", action="store_true")
            return parser

    assert "Redefined." in Resolving().parser.format_help()
    with pytest.raises(argparse.ArgumentError):
        Conflicting()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_interactive_app_factory_makes_the_shell() -> None:
    made: list[tuple[Any, ...]] = []

    class Shell:
        def __init__(self, *args: Any) -> None:
            made.append(args)

        def cmdloop(self) -> None:
            made.append(("cmdloop",))

    app = Recorder(stdin=Terminal(), stdout=Terminal(), interactive_app_factory=Shell)

    assert app.run([]) == ExitCode.OK
    assert made == [(app, app.command_manager, app.stdin, app.stdout), ("cmdloop",)]
    assert isinstance(app.interpreter, Shell)


def test_a_shell_that_passes_a_command_s_words_as_one_argument_runs_it_as_cliff_s_shell_does() -> None:
    statuses: list[int] = []

    class CliffLikeShell:
        """Passes ``["server list"]``, as cliff.interactive.InteractiveApp does for a line of several words."""

        def __init__(self, app: App, *args: Any) -> None:
            self.app = app

        def cmdloop(self) -> None:
            statuses.append(self.app.run_subcommand(["server list"]))
            statuses.append(self.app.run_subcommand(["server  list"]))

    app = Recorder(stdin=Terminal(), stdout=Terminal(), interactive_app_factory=CliffLikeShell)

    assert app.run([]) == ExitCode.OK
    assert statuses == [ExitCode.OK, ExitCode.USAGE]  # words spaced unlike the name are no command


def test_help_not_deferred_lists_the_commands_before_initialize_app() -> None:
    app = Recorder()

    assert app.run(["talks", "--help"]) == ExitCode.OK

    assert app.calls == []
    assert "Commands:\n" in app.out
    assert "server list" in app.out


def test_deferred_help_runs_initialize_app_then_help_for_the_command() -> None:
    app = Recorder(deferred_help=True)

    assert app.run(["talks", "--help"]) == ExitCode.OK

    assert app.calls[0] == ("initialize_app", ["help", "talks"])
    assert "usage: mytool talks" in app.out


@pytest.mark.parametrize(("info", "shown"), [(False, False), (True, True)])
def test_info_logging_switch_shows_info_records_without_v(info: bool, shown: bool) -> None:
    class Chatty(Recorder):
        INFO_LOGGING = info

    app = Chatty()

    assert app.run(["talks"]) == ExitCode.OK
    assert ("informative line" in app.err) is shown


def test_abbreviations_run_only_with_the_app_s_switch() -> None:
    class Abbreviating(Recorder):
        ABBREVIATED_COMMANDS = True

    assert Recorder().run(["ser", "li"]) == ExitCode.USAGE
    assert Abbreviating().run(["ser", "li"]) == ExitCode.OK
