"""A broken plugin breaks only itself; clashes are settled and reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.plugins import BROKEN_KINDS
from tests.helpers.venvs import VirtualEnvironment


@pytest.mark.parametrize(("entry_point", "reason"), sorted(BROKEN_KINDS.items()))
def test_broken_command_exits_3_with_one_line_naming_plugin_and_fix(
    installed: VirtualEnvironment, entry_point: str, reason: str
) -> None:
    result = installed.run("myapp", *entry_point.split("_"))
    assert result.returncode == 3
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    # a load error names the plugin first; a contract mismatch names the command, then its plugin
    blamed = ("myapp: error: plugin 'myapp-broken'", "myapp: error: command 'broken type' (myapp-broken ")
    assert error.startswith(blamed)
    assert reason in error
    assert f"{entry_point} = broken_plugin." in error or f"command '{entry_point.replace('_', ' ')}'" in error
    assert hint == (
        "hint: reinstall or fix it, or skip it with '--disable-plugin myapp-broken'; "
        "the 'plugin check' command lists every broken plugin"
    )


def test_broken_command_shows_traceback_only_with_debug(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug", "broken", "raise")
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: exploded at import" in result.stderr


def test_other_commands_work_next_to_broken_plugins(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "shout", "still", "fine")
    assert (result.returncode, result.stdout, result.stderr) == (0, "STILL FINE\n", "")


def test_text_printed_at_import_goes_to_stderr_not_into_data(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "noisy")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "noise from import" in result.stderr


def test_json_output_stays_clean_next_to_a_noisy_plugin(installed: VirtualEnvironment) -> None:
    installed.run("myapp", "--help")  # imports every plugin once to describe it
    result = installed.run("myapp", "greeting", "list", "-f", "json")
    assert len(json.loads(result.stdout)) == 5


def test_running_a_command_imports_no_other_plugin(installed: VirtualEnvironment, marker_dir: Path) -> None:
    assert installed.run("myapp", "hello").returncode == 0
    assert list(marker_dir.iterdir()) == []
    assert installed.run("myapp", "lazy").stdout == "lazy ran\n"
    assert "lazy_plugin.imported" in [p.name for p in marker_dir.iterdir()]


def test_no_plugins_imports_no_plugin_code(installed: VirtualEnvironment, marker_dir: Path) -> None:
    result = installed.run("myapp", "--no-plugins", "--help")
    assert result.returncode == 0
    assert "hello" not in result.stdout and "lazy" not in result.stdout
    assert installed.run("myapp", "--no-plugins", "lazy").returncode == 2
    assert list(marker_dir.iterdir()) == []


def test_builtin_wins_a_clash_and_the_plugin_is_named(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "help", "hello")
    assert result.stdout.startswith("usage: myapp hello")
    assert result.stderr.splitlines() == [
        "myapp: warning: built-in command 'help' is also provided by 'myapp-clash-a'; using the one from 'myapp'"
    ]


def test_help_lists_every_clash(installed: VirtualEnvironment) -> None:
    stderr = installed.run("myapp", "--help").stderr
    assert "myapp: warning: built-in command 'help' is also provided by 'myapp-clash-a'" in stderr
    assert "myapp: warning: command 'twin' is also provided by 'myapp-clash-b'" in stderr


def test_two_plugins_with_one_name_are_settled_by_distribution_name(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "twin")
    assert result.stdout == "myapp-clash-a\n"
    assert (
        "myapp: warning: command 'twin' is also provided by 'myapp-clash-b'; using the one from 'myapp-clash-a'"
        in result.stderr
    )


def test_quiet_silences_clash_warnings_but_not_data(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-q", "twin")
    assert (result.stdout, result.stderr) == ("myapp-clash-a\n", "")


def test_the_hint_for_a_broken_plugin_works(installed: VirtualEnvironment) -> None:
    broken = ("myapp-broken", "myapp-contract-breaker", "myapp-faulty")
    result = installed.run("myapp", *(f"--disable-plugin={name}" for name in broken), "--help")
    assert result.returncode == 0
    assert "[broken]" not in result.stdout
    assert "myapp-broken" not in result.stderr


def test_disabled_plugin_commands_are_unknown(installed: VirtualEnvironment, marker_dir: Path) -> None:
    result = installed.run("myapp", "lazy", env={"MYAPP_DISABLE_PLUGINS": "myapp-good,myapp_lazy"})
    assert result.returncode == 2
    assert list(marker_dir.iterdir()) == []


def test_disabling_an_unknown_plugin_warns(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--disable-plugin", "nope", "hello")
    assert result.returncode == 0
    assert result.stderr == "myapp: warning: no installed plugin is called 'nope'\n"


def test_help_warns_once_per_command_that_cannot_be_imported(installed: VirtualEnvironment) -> None:
    stderr = installed.run("myapp", "--help").stderr
    blamed = ("myapp: warning: plugin 'myapp-broken'", "myapp: warning: command 'broken type' (myapp-broken ")
    warned = [line for line in stderr.splitlines() if line.startswith(blamed)]
    unimportable = {"import", "syntax", "attribute", "raise", "exit", "type"}
    assert len(warned) == len(unimportable)
    assert all(
        any(f"broken_{kind} =" in line or f"'broken {kind}'" in line for line in warned) for kind in unimportable
    )


def test_longer_command_of_another_plugin_says_how_to_reach_the_shorter(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", "world")
    assert result.stdout == "myapp-clash-b\n"
    assert result.stderr == (
        "myapp: warning: running 'hello world' from 'myapp-clash-b'; "
        "to pass 'world' to 'hello' instead, write 'myapp hello -- world'\n"
    )
    assert installed.run("myapp", "hello", "--", "world").stdout == "Hello, World!\n"
