"""Running installed plugin commands through the real ``myapp`` executable."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from tests.helpers.venvs import VirtualEnvironment


def test_version_names_the_tool_and_release(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "myapp 0.1.0"


def test_hello_greets_the_world_by_default(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello")
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello, World!\n", "")


def test_hello_greets_by_name(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "hello", "Ada").stdout == "Hello, Ada!\n"


@pytest.mark.parametrize("output_format", ["json", "yaml", "csv", "value", "table"])
def test_lister_supports_every_cliff_format(installed: VirtualEnvironment, output_format: str) -> None:
    result = installed.run("myapp", "greeting", "list", "-f", output_format)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if output_format == "json":
        assert {"Code": "fr", "Language": "French", "Greeting": "Bonjour"} in json.loads(result.stdout)
    elif output_format == "yaml":
        assert {"Code": "fr", "Language": "French", "Greeting": "Bonjour"} in yaml.safe_load(result.stdout)
    elif output_format == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["Code", "Language", "Greeting"] and ["fr", "French", "Bonjour"] in rows
    elif output_format == "value":
        assert "fr French Bonjour" in result.stdout.splitlines()
    else:
        assert "Bonjour" in result.stdout and result.stdout.startswith("+")


def test_show_one_prints_fields_as_json(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "greeting", "show", "ja", "-f", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"Code": "ja", "Language": "Japanese", "Greeting": "Konnichiwa"}


def test_plugin_error_is_one_line_with_a_hint_and_exit_1(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "greeting", "show", "xx")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "myapp: error: unknown language code 'xx'",
        "hint: known codes: de, en, es, fr, ja",
    ]


def test_unexpected_exception_names_the_plugin_and_exits_1(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "fail")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "myapp: error: command 'fail' failed in plugin 'myapp-good 1.0' (ValueError: boom)",
        "hint: report it at https://example.invalid/good/issues with the output of 'myapp bug-report', "
        "or skip the plugin with '--disable-plugin myapp-good'; --debug shows the traceback",
    ]


def test_debug_adds_the_traceback(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug", "fail")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise ValueError("boom")' in result.stderr


@pytest.mark.parametrize(
    ("value", "status"),
    [("0", 0), ("null", 0), ("3", 3), ("255", 255), ("256", 1), ("-1", 1), ('"text"', 1), ("2.5", 1)],
)
def test_command_result_becomes_a_valid_exit_status(installed: VirtualEnvironment, value: str, status: int) -> None:
    result = installed.run("myapp", "retval", value)
    assert result.returncode == status
    if status == 1:
        assert "myapp: error:" in result.stderr


def test_command_calling_sys_exit_keeps_its_status(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "exit", "5").returncode == 5


def test_unknown_command_suggests_a_close_name_on_stderr(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "helo")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "myapp: error: unknown command 'helo'",
        "hint: did you mean 'hello' or 'help'? 'myapp help' lists all commands",
    ]


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["plugn", "list"], "did you mean 'plugin list'? 'myapp help' lists all commands"),
        (["greting", "list"], "did you mean 'greeting list'? 'myapp help' lists all commands"),
        (["greting"], "did you mean 'greeting'? 'myapp help' lists all commands"),
        (["plugin", "lst"], "did you mean 'plugin list'? 'myapp help plugin' lists its commands"),
        (["help", "nonexistent"], "'myapp help' lists all commands"),
        (["plugin", "nonexistent"], "'myapp help plugin' lists its commands"),
    ],
)
def test_hints_read_every_word_of_the_command_line(installed: VirtualEnvironment, argv: list[str], hint: str) -> None:
    result = installed.run("myapp", *argv)

    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr.splitlines()[-1] == f"hint: {hint}"
    )  # after a warning about 'help', which a plugin clashes with


def test_unknown_global_option_is_a_usage_error(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--no-plugin", "hello")
    assert result.returncode == 2
    assert result.stderr.startswith("myapp: error: unknown option '--no-plugin'\nhint: did you mean '--no-plugins'?")


def test_bad_command_arguments_exit_2(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", "a", "b")
    assert result.returncode == 2
    assert (
        result.stderr == "myapp: error: hello: unrecognized arguments: b\nhint: 'myapp help hello' lists its options\n"
    )
    assert result.stdout == ""


def test_no_subcommand_without_a_terminal_prints_help_and_exits_2(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Commands:" in result.stderr


def test_bug_report_names_the_variables_the_user_set_not_the_run_s_own(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "bug-report", "-f", "json", env={"MYAPP_PROFILE": ""})
    assert result.returncode == 0
    variables = json.loads(result.stdout)["Environment"]
    assert "MYAPP_PROFILE" in variables and "MYAPP_DEPTH" not in variables  # the run sets MYAPP_DEPTH itself
