"""The app, run in-process through ``myapp.testing.run``: options, environment, exit statuses, messages."""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cliff import command as cliff_command

from myapp import __version__
from myapp.app import App, main
from myapp.builtin import BUILTIN_COMMANDS
from myapp.console import remove_logging_handlers
from myapp.errors import ExitCode
from myapp.identity import Identity
from myapp.testing import FakePlugin, Result, run
from tests.helpers.distributions import Distribution, install_into
from tests.helpers.listing import command_rows
from tests.helpers.plugins import ACME, BROKEN, CLASH_A, CLASH_B, GOOD, LAZY

Install = Callable[[Distribution], Path]

#: Commands that end in every way a command can end.
FAULTS = Distribution(
    name="myapp-faults",
    files={
        "myapp_tests_faults/__init__.py": """
            import sys

            from cliff.command import Command

            from myapp import HookAbort, MyappError


            class QuotaExceeded(MyappError):
                hint = "ask an admin for more quota"


            class Interrupt(Command):
                \"\"\"Act as if Ctrl-C was pressed.\"\"\"

                def take_action(self, parsed_args):
                    raise KeyboardInterrupt


            class Pipe(Command):
                \"\"\"Act as if stdout was closed by the reader.\"\"\"

                def take_action(self, parsed_args):
                    raise BrokenPipeError(32, "Broken pipe")


            class Quota(Command):
                \"\"\"Fail with an error that has its own hint.\"\"\"

                def take_action(self, parsed_args):
                    raise QuotaExceeded("over quota")


            class Abort(Command):
                \"\"\"Stop as a hook would.\"\"\"

                def take_action(self, parsed_args):
                    raise HookAbort("stopped by policy")


            class ExitText(Command):
                \"\"\"Call sys.exit with the given text, as Python scripts do to fail with a message.\"\"\"

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    parser.add_argument("text")
                    return parser

                def take_action(self, parsed_args):
                    sys.exit(parsed_args.text)


            class Options(Command):
                \"\"\"Print the global options the command sees.\"\"\"

                def take_action(self, parsed_args):
                    options = self.app.options
                    self.app.stdout.write(
                        f"debug={options.debug} no_plugins={options.no_plugins} "
                        f"verbose_level={options.verbose_level} log_file={options.log_file}\\n"
                    )
        """,
    },
    entry_points={
        "myapp.commands": {
            "interrupt": "myapp_tests_faults:Interrupt",
            "pipe": "myapp_tests_faults:Pipe",
            "quota": "myapp_tests_faults:Quota",
            "abort": "myapp_tests_faults:Abort",
            "options": "myapp_tests_faults:Options",
            "exit-text": "myapp_tests_faults:ExitText",
        }
    },
)


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GOOD and FAULTS installed once for the module: the tests only read them."""
    folder = tmp_path_factory.mktemp("plugins")
    install_into(GOOD, folder)
    install_into(FAULTS, folder)
    return folder


@pytest.fixture
def plugins(plugin_site: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run`` restricted to GOOD and FAULTS, with a cache of the test's own."""
    monkeypatch.syspath_prepend(str(plugin_site))
    return lambda argv, **options: run(argv, path=[str(plugin_site)], **options)


def blocked(command: str, plugin: str, reason: str, state: str = "disabled by config") -> str:
    """The stderr of running a command whose plugin may not run."""
    if reason.startswith("all plugins are off ("):
        hint = f"run it without {reason.split('(')[1].rstrip(')')}, which turns every plugin off"
    else:
        hint = f"run 'myapp plugin enable {plugin}', or drop the option that disables it"
    return f"myapp: error: command '{command}' comes from plugin '{plugin}', which is {state}: {reason}\nhint: {hint}\n"


# --- global options ----------------------------------------------------------------------------------


def test_version_is_the_tool_name_and_version() -> None:
    app = App(version="9.9")

    (action,) = [a for a in app.parser._actions if isinstance(a, argparse._VersionAction)]

    assert action.version == "myapp 9.9"


def test_version_option_prints_name_and_version_on_the_app_stdout(tmp_path: Path) -> None:
    result = run(["--version"], path=[str(tmp_path)])

    assert result.exit_code == 0
    assert result.stdout == f"myapp {__version__}\n"
    assert result.stderr == ""


def test_help_option_lists_commands_with_description_and_provider(plugins: Callable[..., Result]) -> None:
    result = plugins(["--help"])

    assert result.exit_code == 0
    assert result.stdout.startswith("usage: myapp ")
    rows = command_rows(result.stdout)
    assert rows["help"] == "Show the options of a command, or list the commands (all of them, or a group's)"
    assert rows["shout"] == "Print the words in capitals (myapp-good)"
    assert rows["quota"] == "Fail with an error that has its own hint (myapp-faults)"
    assert result.stderr == ""


def test_help_command_without_arguments_matches_the_help_option(plugins: Callable[..., Result]) -> None:
    assert plugins(["help"]) == plugins(["--help"])


def test_help_of_a_group_lists_its_commands(plugins: Callable[..., Result]) -> None:
    result = plugins(["help", "hooks"])

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: myapp hooks COMMAND [ARGS]\n\nCommands:\n  hooks init  ")
    assert list(command_rows(result.stdout)) == ["hooks init", "hooks list", "hooks run"]
    assert (
        command_rows(result.stdout)["hooks run"] == "Fire one event's hooks now and trace each one (for hook authors)"
    )
    assert plugins(["hooks", "--help"]) == result


def test_a_group_without_a_command_lists_its_commands_on_stderr_and_is_a_usage_error(
    plugins: Callable[..., Result],
) -> None:
    listed = plugins(["help", "config"])
    result = plugins(["config"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        listed.stdout + "myapp: error: 'config' is a group of commands; name one of them, e.g. 'config path'\n"
    )


class Inventory(cliff_command.Command):
    """List every deployment of every service in every region, with its owner, its monthly cost and its last change."""

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        pass


@pytest.mark.parametrize(
    ("columns", "more"),
    [(80, [["help", "plugin", "freeze"]]), (60, [])],  # freeze's example is as wide as it is
)
def test_help_and_command_lists_fit_the_width_columns_gives(columns: int, more: list[list[str]]) -> None:
    plugin = FakePlugin(name="myapp-inventory", commands={"inventory show": Inventory})
    env = {"COLUMNS": str(columns)}

    for argv in (["--help"], ["help", "inventory"], ["help", "inventory", "show"], *more):
        result = run(argv, plugins=[plugin], env=env)
        assert result.exit_code == 0, result.stderr
        assert max(map(len, result.stdout.splitlines())) <= columns, argv
    listing = run(["inventory"], plugins=[plugin], env=env).stderr
    row = listing.split("\nCommands:\n")[1].splitlines()
    column = row[0].index("List every")
    assert len(row) > 2  # the description goes on under itself, over two lines or more
    assert all(line[:column].isspace() and not line[column].isspace() for line in row[1:-1])
    assert " ".join(" ".join(row[:-1]).split()) == (
        "inventory show List every deployment of every service in every region, with its owner, its monthly cost "
        "and its last change (myapp-inventory)"
    )


def test_no_command_lists_commands_on_stderr_and_is_a_usage_error(plugins: Callable[..., Result]) -> None:
    result = plugins([])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    listing, error = result.stderr.split("\nmyapp: error: ")
    assert "shout" in command_rows(listing)
    assert error == (
        "no command given, and no terminal for the interactive shell\n"
        "hint: run 'myapp COMMAND', one of the commands listed above\n"
    )


def test_unknown_option_is_a_usage_error_with_a_suggestion(plugins: Callable[..., Result]) -> None:
    result = plugins(["--verbos", "shout"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: unknown option '--verbos'\nhint: did you mean '--verbose'? 'myapp --help' lists the options\n"
    )


def test_options_are_not_abbreviated(plugins: Callable[..., Result]) -> None:
    result = plugins(["--no-plug", "shout"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("myapp: error: unknown option '--no-plug'\n")


def test_no_plugins_option_leaves_only_builtins(plugins: Callable[..., Result]) -> None:
    result = plugins(["--no-plugins", "shout"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == blocked("shout", "myapp-good", "all plugins are off (--no-plugins)")


def test_no_plugins_option_lists_only_builtin_commands(plugins: Callable[..., Result]) -> None:
    result = plugins(["--no-plugins", "--help"])

    assert result.exit_code == 0
    assert set(command_rows(result.stdout)) == set(BUILTIN_COMMANDS)


def test_a_typo_under_no_plugins_is_still_an_unknown_command(plugins: Callable[..., Result]) -> None:
    result = plugins(["--no-plugins", "shuot"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("myapp: error: unknown command 'shuot'\n")


def test_bad_command_argument_is_reported_on_the_app_stderr(plugins: Callable[..., Result]) -> None:
    result = plugins(["retval"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: retval: the following arguments are required: value\n"
        "hint: 'myapp help retval' lists its options\n"
    )


def test_missing_global_option_value_is_reported_on_the_app_stderr(plugins: Callable[..., Result]) -> None:
    result = plugins(["--log-file"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: argument --log-file: expected one argument\nhint: 'myapp --help' lists the options\n"
    )


def test_log_file_option_logs_the_run_to_the_file(plugins: Callable[..., Result], tmp_path: Path) -> None:
    log_file = tmp_path / "run.log"

    result = plugins(["--log-file", str(log_file), "shout", "hi"])

    assert (result.exit_code, result.stdout, result.stderr) == (0, "HI\n", "")
    assert "running 'shout' = " in log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["option", "variable"])
def test_log_file_that_cannot_be_written_exits_2_naming_it(
    how: str, plugins: Callable[..., Result], tmp_path: Path
) -> None:
    log_file = tmp_path / "no-such-folder" / "run.log"
    options = ["--log-file", str(log_file)] if how == "option" else []

    result = plugins([*options, "shout", "hi"], env={} if options else {"MYAPP_LOG_FILE": str(log_file)})

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        f"myapp: error: cannot write the log file '{log_file}' (No such file or directory)\n"
        "hint: check --log-file or MYAPP_LOG_FILE\n"
    )


def test_disable_plugin_option_hides_the_plugin_s_commands(plugins: Callable[..., Result]) -> None:
    result = plugins(["--disable-plugin", "MyApp_Good", "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == blocked("shout", "myapp-good", "listed in disable_plugins (--disable-plugin)")


def test_disable_plugin_option_keeps_the_other_plugins(plugins: Callable[..., Result]) -> None:
    result = plugins(["--disable-plugin", "myapp-faults", "shout", "hi"])

    assert (result.exit_code, result.stdout, result.stderr) == (0, "HI\n", "")


def test_disabling_a_plugin_that_is_not_installed_is_a_warning(plugins: Callable[..., Result]) -> None:
    result = plugins(["--disable-plugin", "nothing-like-it", "shout", "hi"])

    assert result.exit_code == 0
    assert result.stdout == "HI\n"
    assert result.stderr == "myapp: warning: no installed plugin is called 'nothing-like-it'\n"


def test_disabling_a_misspelled_plugin_suggests_the_installed_one(plugins: Callable[..., Result]) -> None:
    result = plugins(["--disable-plugin", "MyApp_Gooood", "shout", "hi"])

    assert (result.exit_code, result.stdout) == (0, "HI\n")
    assert result.stderr == "myapp: warning: no installed plugin is called 'myapp-gooood'; did you mean 'myapp-good'?\n"


def test_disable_plugin_option_adds_to_the_environment_s_list(plugins: Callable[..., Result]) -> None:
    env = {"MYAPP_DISABLE_PLUGINS": "myapp-faults"}

    shout = plugins(["--disable-plugin", "myapp-good", "shout", "hi"], env=env)
    options = plugins(["--disable-plugin", "myapp-good", "options"], env=env)

    assert shout.stderr == blocked("shout", "myapp-good", "listed in disable_plugins (--disable-plugin)")
    assert options.stderr == blocked("options", "myapp-faults", "listed in disable_plugins (MYAPP_DISABLE_PLUGINS)")


def test_disable_plugin_option_adds_to_the_config_file_s_list(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "team.toml"
    config_file.write_text('disable_plugins = ["myapp-faults"]\n')

    result = plugins(["--config", str(config_file), "--disable-plugin", "myapp-good", "options"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == blocked("options", "myapp-faults", f"listed in disable_plugins ({config_file}:1)")


def test_broken_plugin_hint_names_an_option_that_skips_it(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(BROKEN)
    install(GOOD)
    hint = run(["broken", "import"], path=[str(site_dir)]).stderr.splitlines()[-1]
    suggested = hint.split("'")[1].split()

    result = run([*suggested, "shout", "ok"], path=[str(site_dir)])

    assert suggested == ["--disable-plugin", "myapp-broken"]
    assert (result.exit_code, result.stdout, result.stderr) == (0, "OK\n", "")


# --- argument errors: one line and a hint, never argparse's usage ------------------------------------


class Greet(cliff_command.Command):
    """Greet someone (a command with options to misspell)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", nargs="?", default="world")
        parser.add_argument("--shout", action="store_true")
        parser.add_argument("--times", type=int, default=1)
        parser.add_argument("--style", action=_RefuseStyle)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        self.app.stdout.write(f"Hello, {parsed_args.name}!\n" * parsed_args.times)


class _RefuseStyle(argparse.Action):
    """An option whose own check calls ``parser.error`` with a capitalised message, as plugin code may."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: object, value: object, option: object = None
    ) -> None:
        parser.error(f"Styles are not supported yet (got {value!r})")


GREETER = FakePlugin("greeter", commands={"hello": Greet})


def greeter(argv: list[str], **options: object) -> Result:
    """``run`` with only the built-in commands and the in-memory ``hello``."""
    return run(argv, path=[], plugins=[GREETER], **options)  # type: ignore[arg-type]


def assert_usage_error(result: Result, error: str, hint: str) -> None:
    """Exit 2, nothing on stdout, exactly the error line and the hint line on stderr."""
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == f"myapp: error: {error}\nhint: {hint}\n"


def test_unknown_command_option_is_one_line_with_the_closest_option(cache_dir: Path) -> None:
    result = greeter(["hello", "--shot"])

    assert_usage_error(
        result,
        "hello: unrecognized arguments: --shot",
        "did you mean '--shout'? 'myapp help hello' lists its options",
    )


def test_unknown_command_option_with_a_value_suggests_the_option_alone(cache_dir: Path) -> None:
    result = greeter(["hello", "ada", "--tims=3"])

    assert_usage_error(
        result,
        "hello: unrecognized arguments: --tims=3",
        "did you mean '--times'? 'myapp help hello' lists its options",
    )


def test_unknown_option_like_nothing_known_only_points_at_help(cache_dir: Path) -> None:
    result = greeter(["hello", "--zzzzzz"])

    assert_usage_error(result, "hello: unrecognized arguments: --zzzzzz", "'myapp help hello' lists its options")


def test_extra_positional_argument_is_the_same_shape_without_a_suggestion(cache_dir: Path) -> None:
    result = greeter(["hello", "a", "b"])

    assert_usage_error(result, "hello: unrecognized arguments: b", "'myapp help hello' lists its options")


def test_bad_option_value_names_the_command_and_the_option(cache_dir: Path) -> None:
    result = greeter(["hello", "--times", "x"])

    assert_usage_error(
        result, "hello: argument --times: invalid int value: 'x'", "'myapp help hello' lists its options"
    )


def test_a_capitalised_parser_error_is_lower_cased(cache_dir: Path) -> None:
    result = greeter(["hello", "--style", "bold"])

    assert_usage_error(
        result, "hello: styles are not supported yet (got 'bold')", "'myapp help hello' lists its options"
    )


def test_missing_argument_of_a_two_word_command(cache_dir: Path) -> None:
    result = greeter(["plugin", "show"])

    assert_usage_error(
        result,
        "plugin show: the following arguments are required: name",
        "'myapp help plugin show' lists its options",
    )


@pytest.mark.parametrize(
    ("argv", "command", "error"),
    [
        (["completion", "tcsh"], "completion", "argument shell: invalid choice: 'tcsh' (choose from "),
        (["plugin", "list", "-f", "xml"], "plugin list", "argument -f/--format: invalid choice: 'xml' (choose from "),
    ],
    ids=["positional", "option"],
)
def test_invalid_choice_is_one_line(cache_dir: Path, argv: list[str], command: str, error: str) -> None:
    result = greeter(argv)

    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    first, hint = result.stderr.splitlines()
    # How argparse quotes the choices changed in Python 3.12.8 and 3.13.1: the rest of the line is argparse's.
    assert first.startswith(f"myapp: error: {command}: {error}") and first.endswith(")")
    assert hint == f"hint: 'myapp help {command}' lists its options"


def test_bad_arguments_show_no_traceback_with_debug(cache_dir: Path) -> None:
    result = greeter(["--debug", "hello", "--shot"])

    assert_usage_error(
        result,
        "hello: unrecognized arguments: --shot",
        "did you mean '--shout'? 'myapp help hello' lists its options",
    )


def test_command_help_option_still_prints_the_usage(cache_dir: Path) -> None:
    result = greeter(["hello", "--help"])

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: myapp hello [-h] [--shout] [--times TIMES] [--style STYLE] [name]\n")


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--log-format", "xml", "hello"], "argument --log-format: invalid choice: 'xml' (choose from "),
        (["--use"], "argument --use: expected one argument"),
        (["-v", "-q", "hello"], "argument -q/--quiet: not allowed with argument -v/--verbose"),
    ],
    ids=["invalid choice", "missing value", "excluded pair"],
)
def test_global_option_errors_are_one_line_without_the_usage(cache_dir: Path, argv: list[str], error: str) -> None:
    result = greeter(argv)

    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    first, hint = result.stderr.splitlines()
    assert first.startswith(f"myapp: error: {error}")
    assert first.endswith(")") if error.endswith("(choose from ") else first == f"myapp: error: {error}"
    assert hint == "hint: 'myapp --help' lists the options"


def test_argument_errors_name_the_tool_they_come_from(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = Identity("acme-ops")
    monkeypatch.setenv("ACME_OPS_CACHE_DIR", str(cache_dir))

    command = run(["plugin", "show"], identity=tool, path=[])
    global_option = run(["--use"], identity=tool, path=[])

    assert command.stderr == (
        "acme-ops: error: plugin show: the following arguments are required: name\n"
        "hint: 'acme-ops help plugin show' lists its options\n"
    )
    assert global_option.stderr == (
        "acme-ops: error: argument --use: expected one argument\nhint: 'acme-ops --help' lists the options\n"
    )


def test_argument_errors_in_the_shell_are_one_line_and_the_shell_goes_on(cache_dir: Path) -> None:
    from myapp.interactive import Shell

    app = App(path=[], stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    try:
        assert app.run(["config", "path"]) == 0
        app.interactive_mode, app.stdout = True, io.StringIO()
        shell = Shell(app)

        stopped = shell.onecmd_plus_hooks("plugin list --verfy")
        errors = app.stderr.getvalue()
        shell.onecmd_plus_hooks("config path -f value -c Role")
    finally:
        remove_logging_handlers()

    assert stopped is False
    assert errors == (
        "myapp: error: plugin list: unrecognized arguments: --verfy\n"
        "hint: did you mean '--verify'? 'myapp help plugin list' lists its options\n"
    )
    assert "user" in app.stdout.getvalue().split()


def test_help_asked_for_in_the_shell_is_what_the_command_line_shows(cache_dir: Path) -> None:
    from myapp.interactive import Shell

    app = App(path=[], stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    printed = []
    try:
        assert app.run(["config", "path"]) == 0
        app.interactive_mode = True
        shell = Shell(app)
        for line in ("help config path", "config path --help", "config path -v -h"):
            app.stdout = shell.stdout = io.StringIO()
            shell.onecmd_plus_hooks(line)
            printed.append(app.stdout.getvalue())
        shell.onecmd_plus_hooks("help -- -h")  # an argument, not the option
    finally:
        remove_logging_handlers()

    assert printed[0].startswith("usage: config path [-h]")
    assert printed[1] == printed[2] == printed[0]
    assert app.stderr.getvalue().startswith("myapp: error: unknown command '-h'")


# --- options from the environment -----------------------------------------------------------------


def test_disable_plugins_from_the_environment(plugins: Callable[..., Result]) -> None:
    result = plugins(["shout", "hi"], env={"MYAPP_DISABLE_PLUGINS": "myapp-faults,myapp-good"})

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == blocked("shout", "myapp-good", "listed in disable_plugins (MYAPP_DISABLE_PLUGINS)")


def test_help_and_version_variables_do_nothing(plugins: Callable[..., Result]) -> None:
    result = plugins(["shout", "hi"], env={"MYAPP_HELP": "1", "MYAPP_VERSION": "1"})

    assert (result.exit_code, result.stdout, result.stderr) == (0, "HI\n", "")


def test_verbose_variable_of_two_shows_debug_messages(plugins: Callable[..., Result]) -> None:
    quiet = plugins(["shout", "hi"])
    verbose = plugins(["shout", "hi"], env={"MYAPP_VERBOSE": "2"})

    assert quiet.stderr == ""
    assert verbose.exit_code == 0
    assert "running 'shout' = " in verbose.stderr


def test_environment_sets_the_options_a_command_sees(
    plugins: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "myapp.log"
    monkeypatch.setenv("MYAPP_DEBUG", "1")
    monkeypatch.setenv("MYAPP_VERBOSE", "1")
    monkeypatch.setenv("MYAPP_LOG_FILE", str(log_file))

    result = plugins(["options"])

    assert result.exit_code == 0
    assert result.stdout == f"debug=True no_plugins=False verbose_level=2 log_file={log_file}\n"


def test_command_line_wins_over_the_environment(
    plugins: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYAPP_LOG_FILE", str(tmp_path / "from-env.log"))

    result = plugins(["--log-file", str(tmp_path / "from-option.log"), "options"])

    assert result.stdout.endswith(f"log_file={tmp_path / 'from-option.log'}\n")


def test_no_plugins_from_the_environment(plugins: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_NO_PLUGINS", "1")

    result = plugins(["shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == blocked("shout", "myapp-good", "all plugins are off (MYAPP_NO_PLUGINS)")


def test_invalid_environment_value_stops_the_run_with_a_usage_error(plugins: Callable[..., Result]) -> None:
    result = plugins(["shout", "hi"], env={"MYAPP_DEBUG": "maybe"})

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: MYAPP_DEBUG='maybe' is not valid: expected 1, true, yes or on, or 0, false, no or off\n"
        "hint: unset MYAPP_DEBUG or correct it\n"
    )


def test_verbose_option_wins_over_quiet_from_the_environment(plugins: Callable[..., Result]) -> None:
    result = plugins(["-vv", "shout", "hi"], env={"MYAPP_QUIET": "1"})

    assert (result.exit_code, result.stdout) == (0, "HI\n")
    assert "running 'shout' = " in result.stderr


def test_quiet_from_the_environment_hides_warnings(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(CLASH_A)
    install(CLASH_B)

    result = run(["twin"], path=[str(site_dir)], env={"MYAPP_QUIET": "1"})

    assert result.exit_code == 0
    assert result.stdout == "myapp-clash-a\n"
    assert result.stderr == ""


# --- configuration files ----------------------------------------------------------------------------------


def test_config_file_option_that_disables_a_plugin_hides_its_commands(
    plugins: Callable[..., Result], tmp_path: Path
) -> None:
    config_file = tmp_path / "team.toml"
    config_file.write_text('disable_plugins = ["myapp-good"]\n')

    hidden = plugins(["--config", str(config_file), "shout", "hi"])
    other = plugins(["--config", str(config_file), "options"])

    assert hidden.exit_code == ExitCode.USAGE
    assert hidden.stdout == ""
    assert hidden.stderr == blocked("shout", "myapp-good", f"listed in disable_plugins ({config_file}:1)")
    assert other.exit_code == 0


def test_plugin_disabled_by_a_profile_says_so(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "team.toml"
    config_file.write_text('[profiles.ci]\nonly_plugins = ["myapp-faults"]\n')

    result = plugins(["--config", str(config_file), "--profile", "ci", "shout", "hi"])
    allowed = plugins(["--config", str(config_file), "--profile", "ci", "options"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == blocked(
        "shout", "myapp-good", f"not in only_plugins (profile 'ci' ({config_file}:2))", state="disabled by profile"
    )
    assert allowed.exit_code == 0


def test_user_config_file_sets_the_options_a_command_sees(
    plugins: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path / "config"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("debug = true\nverbose = 1\nno_plugins = false\n")

    result = plugins(["options"])

    assert result.exit_code == 0
    assert result.stdout == "debug=True no_plugins=False verbose_level=2 log_file=None\n"


def test_environment_and_options_win_over_the_config_file(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "team.toml"
    config_file.write_text(f'debug = true\nlog_file = "{tmp_path / "from-file.log"}"\n')

    result = plugins(
        ["--config", str(config_file), "--log-file", str(tmp_path / "from-option.log"), "options"],
        env={"MYAPP_DEBUG": "0"},
    )

    assert result.exit_code == 0
    assert result.stdout == f"debug=False no_plugins=False verbose_level=1 log_file={tmp_path / 'from-option.log'}\n"


def test_malformed_config_variable_file_exits_2_naming_line_and_column(
    plugins: Callable[..., Result], tmp_path: Path
) -> None:
    config_file = tmp_path / "broken.toml"
    config_file.write_text("verbose = 1\ndebug = tru\n")

    result = plugins(["shout", "hi"], env={"MYAPP_CONFIG": str(config_file)})

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"myapp: error: {config_file}:2:9: invalid value",
        "hint: fix the file; nothing was changed",
    ]


def test_config_value_of_the_wrong_type_exits_2_naming_file_line_and_key(
    plugins: Callable[..., Result], tmp_path: Path
) -> None:
    config_file = tmp_path / "wrong.toml"
    config_file.write_text('[hooks]\non_failure = "ignore"\n')

    result = plugins(["--config", str(config_file), "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        f"myapp: error: {config_file}:2: 'hooks.on_failure': expected 'fail' or 'warn', found 'ignore'\n"
    )


def test_missing_config_file_exits_2_naming_it(plugins: Callable[..., Result], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"

    result = plugins(["--config", str(missing), "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        f"myapp: error: config file '{missing}' does not exist\nhint: check --config or MYAPP_CONFIG\n"
    )


def test_config_folder_given_as_the_file_exits_2_naming_it(plugins: Callable[..., Result], tmp_path: Path) -> None:
    result = plugins(["--config", str(tmp_path), "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        f"myapp: error: config file '{tmp_path}' is not a file\nhint: check --config or MYAPP_CONFIG\n"
    )


def test_unreadable_config_file_is_one_line_without_a_traceback(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "binary.toml"
    config_file.write_bytes(b"debug = '\xff'\n")

    result = plugins(["--config", str(config_file), "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == f"myapp: error: {config_file}: cannot be read (not UTF-8 text)\n"


def test_debug_shows_the_traceback_of_an_error_before_the_options_are_applied(
    plugins: Callable[..., Result], tmp_path: Path
) -> None:
    config_file = tmp_path / "binary.toml"
    config_file.write_bytes(b"debug = '\xff'\n")

    result = plugins(["--debug", "--config", str(config_file), "shout", "hi"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert "UnicodeDecodeError: " in result.stderr
    assert result.stderr.endswith(f"\nmyapp: error: {config_file}: cannot be read (not UTF-8 text)\n")


def test_unknown_config_key_is_a_warning_on_the_app_stderr(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "typo.toml"
    config_file.write_text("debugg = true\n")

    result = plugins(["--config", str(config_file), "shout", "hi"])

    assert result.exit_code == 0
    assert result.stdout == "HI\n"
    assert result.stderr == (
        f"myapp: warning: {config_file}:1: unknown setting 'debugg' ignored; did you mean 'debug'?\n"
    )


def test_quiet_option_hides_the_unknown_config_key_warning(plugins: Callable[..., Result], tmp_path: Path) -> None:
    config_file = tmp_path / "typo.toml"
    config_file.write_text("debugg = true\n")

    result = plugins(["-q", "--config", str(config_file), "shout", "hi"])

    assert (result.exit_code, result.stdout, result.stderr) == (0, "HI\n", "")


# --- seeing and switching plugins ---------------------------------------------------------------------


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user config file (not created), in a folder ``MYAPP_CONFIG_DIR`` points at."""
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config" / "config.toml"


def test_plugin_disable_then_enable_round_trip_through_the_user_config_file(
    plugins: Callable[..., Result], user_config: Path
) -> None:
    user_config.parent.mkdir()
    user_config.write_text("# mine\ndebug = false  # keep\n")

    disabled = plugins(["plugin", "disable", "MyApp_Good", "-f", "value", "-c", "State", "-c", "Changed"])
    blocked_run = plugins(["shout", "hi"])
    again = plugins(["plugin", "disable", "myapp-good", "-f", "value", "-c", "Changed"])
    enabled = plugins(["plugin", "enable", "myapp-good", "-f", "value", "-c", "State", "-c", "Changed"])
    shout = plugins(["shout", "hi"])

    assert (disabled.exit_code, disabled.stdout) == (0, "disabled by config\nTrue\n")
    assert blocked_run.stderr == blocked("shout", "myapp-good", f"listed in disable_plugins ({user_config}:3)")
    assert again.stdout == "False\n"
    assert (enabled.exit_code, enabled.stdout) == (0, "enabled\nTrue\n")
    assert (shout.exit_code, shout.stdout) == (0, "HI\n")
    assert user_config.read_text().startswith("# mine\ndebug = false  # keep\n")


def test_plugin_enable_of_a_plugin_that_is_not_installed_suggests_one_and_writes_nothing(
    plugins: Callable[..., Result], user_config: Path
) -> None:
    result = plugins(["plugin", "enable", "myapp-goood"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "myapp: error: no installed plugin is called 'myapp-goood'; did you mean 'myapp-good'?\n"
        "hint: 'myapp plugin list' shows the installed plugins\n"
    )
    assert not user_config.exists()


def test_plugin_list_shows_each_plugin_s_state_and_reason(plugins: Callable[..., Result]) -> None:
    result = plugins(["--disable-plugin", "myapp-faults", "plugin", "list", "-f", "csv", "-c", "Name", "-c", "State"])

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        '"Name","State"',
        '"myapp-faults","disabled by config"',
        '"myapp-good","enabled"',
    ]


def test_no_plugins_runs_no_hook_scripts_either(plugins: Callable[..., Result], tmp_path: Path) -> None:
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir(mode=0o700)
    marker = tmp_path / "script-ran"
    script = hook_dir / "pre_command"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    env = {"MYAPP_HOOK_DIR": str(hook_dir)}

    safe = plugins(["--no-plugins", "config", "path"], env=env)
    ran_in_safe_mode = marker.exists()
    normal = plugins(["config", "path"], env=env)

    assert (safe.exit_code, normal.exit_code) == (0, 0)
    assert not ran_in_safe_mode
    assert marker.exists()


# --- running commands and their exit statuses ------------------------------------------------------


def test_command_output_goes_to_stdout(plugins: Callable[..., Result]) -> None:
    result = plugins(["shout", "hello", "world"])

    assert result.exit_code == ExitCode.OK
    assert result.stdout == "HELLO WORLD\n"
    assert result.stderr == ""


@pytest.mark.parametrize(("value", "status"), [("null", 0), ("0", 0), ("3", 3), ("255", 255)])
def test_command_result_is_the_exit_status(value: str, status: int, plugins: Callable[..., Result]) -> None:
    result = plugins(["retval", value])

    assert result.exit_code == status
    assert result.stdout == ""
    assert result.stderr == ""


@pytest.mark.parametrize("value", ["256", "-1", "[1]"])
def test_command_result_that_is_not_an_exit_status_is_a_failure(value: str, plugins: Callable[..., Result]) -> None:
    result = plugins(["retval", value])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert result.stderr == (
        f"myapp: error: command 'retval' of plugin 'myapp-good 1.0' returned {value}, "
        "which is not an exit status (an int from 0 to 255)\n"
        "hint: report it at https://example.invalid/good/issues with the output of 'myapp bug-report', "
        "or skip the plugin with '--disable-plugin myapp-good'\n"  # no traceback would say more
    )


def test_command_result_text_is_not_taken_for_an_error_message(plugins: Callable[..., Result]) -> None:
    result = plugins(["retval", '"quota reached"'])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert result.stderr.startswith(
        "myapp: error: command 'retval' of plugin 'myapp-good 1.0' returned 'quota reached', "
        "which is not an exit status (an int from 0 to 255)\nhint: "
    )


@pytest.mark.parametrize("value", ["true", "[0]", "1.0"])
def test_command_result_of_another_type_names_the_command_and_its_plugin(
    plugins: Callable[..., Result], value: str
) -> None:
    result = plugins(["retval", value])

    assert result.exit_code == ExitCode.FAILURE
    shown = {"true": "True"}.get(value, value)
    assert result.stderr.startswith(
        f"myapp: error: command 'retval' of plugin 'myapp-good 1.0' returned {shown}, which is not an exit status"
    )


def test_a_long_result_is_cut_short_in_the_message(plugins: Callable[..., Result]) -> None:
    result = plugins(["retval", '"' + "x" * 500 + '"'])

    first = result.stderr.splitlines()[0]
    assert "returned 'xxxx" in first and "...xxx" in first and len(first) < 250


def test_sys_exit_with_a_message_prints_it_as_python_does(plugins: Callable[..., Result]) -> None:
    result = plugins(["exit-text", "quota reached"])

    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.FAILURE, "", "myapp: error: quota reached\n")


def test_sys_exit_in_a_command_is_its_exit_status(plugins: Callable[..., Result]) -> None:
    result = plugins(["exit", "5"])

    assert result.exit_code == 5
    assert (result.stdout, result.stderr) == ("", "")


def test_sys_exit_with_an_out_of_range_status_is_a_failure_that_says_so(plugins: Callable[..., Result]) -> None:
    result = plugins(["exit", "300"])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stderr.startswith(
        "myapp: error: command 'exit' of plugin 'myapp-good 1.0' exited with 300, which is not an exit status"
    )


def test_unexpected_exception_is_one_line_blaming_the_plugin(plugins: Callable[..., Result]) -> None:
    result = plugins(["fail"])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: command 'fail' failed in plugin 'myapp-good 1.0' (ValueError: boom)\n"
        "hint: report it at https://example.invalid/good/issues with the output of 'myapp bug-report', "
        "or skip the plugin with '--disable-plugin myapp-good'; --debug shows the traceback\n"
    )


def test_debug_shows_the_traceback(plugins: Callable[..., Result]) -> None:
    result = plugins(["--debug", "fail"])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith(
        "ValueError: boom\nmyapp: error: command 'fail' failed in plugin 'myapp-good 1.0' (ValueError: boom)\n"
        "hint: report it at https://example.invalid/good/issues with the output of 'myapp bug-report', "
        "or skip the plugin with '--disable-plugin myapp-good'\n"
    )


def test_keyboard_interrupt_in_a_command_exits_130(plugins: Callable[..., Result]) -> None:
    result = plugins(["interrupt"])

    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.stdout == ""
    assert result.stderr == "\n"


def test_broken_pipe_in_a_command_exits_141_quietly(
    plugins: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    silenced: list[bool] = []
    monkeypatch.setattr("myapp._program.silence_stdout", lambda: silenced.append(True))

    result = plugins(["pipe"])

    assert result.exit_code == ExitCode.BROKEN_PIPE == 141
    assert result.stdout == ""
    assert result.stderr == ""
    assert silenced == []  # in-process, the host's stdout is not the app's to silence


@pytest.fixture
def restore_sigterm() -> Iterator[None]:
    """``main()`` installs a SIGTERM handler, as a program's entry point should; take it back."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def test_broken_pipe_in_main_exits_141_and_silences_stdout(
    plugin_site: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, restore_sigterm: None
) -> None:
    monkeypatch.syspath_prepend(str(plugin_site))
    silenced: list[bool] = []
    # The real one points the process's stdout at /dev/null; not in a test run.
    monkeypatch.setattr("myapp._program.silence_stdout", lambda: silenced.append(True))
    stdout, stderr = io.StringIO(), io.StringIO()

    status = main(["pipe"], path=[str(plugin_site)], stdout=stdout, stderr=stderr)

    assert status == ExitCode.BROKEN_PIPE == 141
    assert stdout.getvalue() == ""
    assert stderr.getvalue() == ""
    assert silenced == [True]


def test_broken_pipe_in_process_leaves_the_process_stdout_alone(
    plugins: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    process_stdout = (tmp_path / "process-stdout.txt").open("w")
    monkeypatch.setattr(sys, "stdout", process_stdout)
    try:
        result = plugins(["pipe"])
        os.write(process_stdout.fileno(), b"still here\n")
    finally:
        process_stdout.close()

    assert result.exit_code == ExitCode.BROKEN_PIPE
    assert (tmp_path / "process-stdout.txt").read_text() == "still here\n"


def test_error_hint_of_a_myapp_error_subclass_is_printed(plugins: Callable[..., Result]) -> None:
    result = plugins(["quota"])

    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert result.stderr == "myapp: error: over quota\nhint: ask an admin for more quota\n"


def test_hook_abort_exits_4_with_its_reason(plugins: Callable[..., Result]) -> None:
    result = plugins(["abort"])

    assert result.exit_code == ExitCode.HOOK_ABORT == 4
    assert result.stdout == ""
    assert result.stderr == "myapp: error: stopped by policy\n"


def test_unknown_command_is_a_usage_error_with_a_suggestion(plugins: Callable[..., Result]) -> None:
    result = plugins(["shouts"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "myapp: error: unknown command 'shouts'\nhint: did you mean 'shout'? 'myapp help' lists all commands\n"
    )


# --- plugins: laziness, clashes, broken ones ---------------------------------------------------------


def test_running_a_command_imports_no_other_plugin(
    install: Install, site_dir: Path, cache_dir: Path, marker_dir: Path
) -> None:
    install(GOOD)
    install(LAZY)

    result = run(["shout", "hi"], path=[str(site_dir)])

    assert result.exit_code == 0
    assert list(marker_dir.iterdir()) == []


def test_second_help_imports_no_plugin(install: Install, site_dir: Path, cache_dir: Path, marker_dir: Path) -> None:
    install(LAZY)
    first = run(["--help"], path=[str(site_dir)])
    assert (marker_dir / "lazy_plugin.imported").exists()
    (marker_dir / "lazy_plugin.imported").unlink()
    for name in [name for name in sys.modules if name.partition(".")[0] == "lazy_plugin"]:
        del sys.modules[name]  # as in a new process

    second = run(["--help"], path=[str(site_dir)])

    assert second == first
    assert command_rows(second.stdout)["lazy"] == "Prove that this module was imported (myapp-lazy)"
    assert list(marker_dir.iterdir()) == []


def test_builtin_wins_over_a_plugin_and_the_clash_is_a_warning(
    install: Install, site_dir: Path, cache_dir: Path
) -> None:
    install(CLASH_A)

    result = run(["help", "twin"], path=[str(site_dir)])

    assert result.exit_code == 0
    assert result.stdout.startswith("usage: myapp twin [-h]")
    assert result.stderr == (
        "myapp: warning: built-in command 'help' is also provided by 'myapp-clash-a'; using the one from 'myapp'\n"
    )


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_plugin_clash_goes_to_the_first_distribution_name_whatever_the_path_order(
    order: tuple[str, str], tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = {"a": tmp_path / "site-a", "b": tmp_path / "site-b"}
    install_into(CLASH_A, folders["a"])
    install_into(CLASH_B, folders["b"])
    for folder in folders.values():
        monkeypatch.syspath_prepend(str(folder))

    result = run(["twin"], path=[str(folders[key]) for key in order])

    assert result.exit_code == 0
    assert result.stdout == "myapp-clash-a\n"
    assert result.stderr == (
        "myapp: warning: command 'twin' is also provided by 'myapp-clash-b'; using the one from 'myapp-clash-a'\n"
    )


def test_broken_plugin_exits_3_naming_the_plugin_with_a_hint(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(BROKEN)

    result = run(["broken", "import"], path=[str(site_dir)])

    assert result.exit_code == ExitCode.PLUGIN == 3
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error.startswith("myapp: error: plugin 'myapp-broken' could not load 'broken_import = ")
    assert "ModuleNotFoundError" in error
    assert hint == (
        "hint: reinstall or fix it, or skip it with '--disable-plugin myapp-broken'; "
        "the 'plugin check' command lists every broken plugin"
    )


def test_broken_plugin_is_listed_and_others_still_run(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(BROKEN)
    install(GOOD)

    listing = run(["--help"], path=[str(site_dir)])
    shout = run(["shout", "still", "fine"], path=[str(site_dir)])

    assert listing.exit_code == 0
    assert command_rows(listing.stdout)["broken import"].startswith("[broken] plugin 'myapp-broken' could not load")
    assert (shout.exit_code, shout.stdout, shout.stderr) == (0, "STILL FINE\n", "")


def test_help_for_a_plugin_command_never_asks_importlib_for_all_distributions(
    plugins: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden() -> None:
        raise AssertionError("packages_distributions() scans every installed distribution")

    monkeypatch.setattr(cliff_command, "_dists_by_mods", None)
    monkeypatch.setattr(importlib.metadata, "packages_distributions", forbidden)
    monkeypatch.setattr(cliff_command, "packages_distributions", forbidden)

    result = plugins(["help", "shout"])

    assert result.exit_code == 0
    assert result.stdout.startswith("usage: myapp shout [-h] [words ...]\n")
    assert "This command is provided by the myapp-good plugin." in result.stdout
    assert result.stderr == ""


def test_in_process_runs_leave_no_logging_handlers_behind(plugins: Callable[..., Result]) -> None:
    handlers = list(logging.getLogger().handlers)

    plugins(["shout"])
    plugins(["shout"])

    assert logging.getLogger().handlers == handlers


# --- a second tool built on the framework ---------------------------------------------------------------


@pytest.fixture
def acme(install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """ACME and GOOD installed; ``run`` as the ``acme`` tool."""
    install(ACME)
    install(GOOD)
    monkeypatch.setenv("ACME_CACHE_DIR", str(tmp_path / "acme-cache"))
    tool = Identity("acme", description="The acme tool.")
    return lambda argv, **options: run(argv, identity=tool, path=[str(site_dir)], **options)


def test_second_tool_runs_its_own_plugins(acme: Callable[..., Result], tmp_path: Path) -> None:
    result = acme(["ping"])

    assert result.exit_code == 0
    assert result.stdout == "pong\n"
    assert result.stderr == ""
    assert list((tmp_path / "acme-cache").glob("entry-points-*.bin")) != []


def test_second_tool_does_not_see_myapp_plugins(acme: Callable[..., Result]) -> None:
    result = acme(["shout"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("acme: error: unknown command 'shout'\nhint: ")
    assert "'acme help' lists all commands" in result.stderr


def test_second_tool_lists_only_its_own_plugins(acme: Callable[..., Result]) -> None:
    result = acme(["--help"])

    assert result.exit_code == 0
    assert result.stdout.startswith("usage: acme ")
    assert "ACME_NO_PLUGINS=1" in result.stdout
    rows = command_rows(result.stdout)
    assert rows["help"] == "Show the options of a command, or list the commands (all of them, or a group's)"
    # Other built-ins come and go; the only plugin command is acme's own.
    assert {name: text for name, text in rows.items() if name not in BUILTIN_COMMANDS} == {
        "ping": "Answer pong (acme-ping)"
    }


def test_second_tool_reads_its_own_environment_variables(
    acme: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYAPP_NO_PLUGINS", "1")
    ignored = acme(["ping"])
    monkeypatch.setenv("ACME_NO_PLUGINS", "1")
    honoured = acme(["ping"])

    assert (ignored.exit_code, ignored.stdout) == (0, "pong\n")
    assert honoured.exit_code == ExitCode.USAGE
    assert honoured.stderr == (
        "acme: error: command 'ping' comes from plugin 'acme-ping', which is disabled by config: "
        "all plugins are off (ACME_NO_PLUGINS)\n"
        "hint: run it without ACME_NO_PLUGINS, which turns every plugin off\n"
    )


def test_second_tool_reports_invalid_values_by_its_own_variable_names(acme: Callable[..., Result]) -> None:
    result = acme(["ping"], env={"ACME_DEBUG": "maybe"})

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "acme: error: ACME_DEBUG='maybe' is not valid: expected 1, true, yes or on, or 0, false, no or off\n"
        "hint: unset ACME_DEBUG or correct it\n"
    )


def test_a_column_no_command_has_is_a_usage_error(plugins: Callable[..., Result]) -> None:
    result = plugins(["plugin", "list", "-c", "Nope"])

    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.startswith("myapp: error: plugin list: no recognized column names in ['Nope']. ")
    assert result.stderr.endswith(
        "hint: 'myapp help plugin list' lists its options; -c takes one of the recognized columns\n"
    )


def test_config_show_takes_setting_names_and_refuses_unknown_ones(plugins: Callable[..., Result]) -> None:
    shown = plugins(["config", "show", "use", "debug", "-f", "value", "-c", "Key"])
    unknown = plugins(["config", "show", "degub"])

    assert (shown.exit_code, shown.stdout) == (ExitCode.OK, "debug\nuse\n")
    assert (unknown.exit_code, unknown.stdout) == (ExitCode.USAGE, "")
    assert unknown.stderr == (
        "myapp: error: unknown setting 'degub'; did you mean 'debug'?\nhint: 'myapp config show' lists every setting\n"
    )
