"""``--help`` and ``help``: every command, its description and provider, without imports."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.listing import command_rows
from tests.helpers.venvs import VirtualEnvironment


def test_help_lists_commands_with_description_and_distribution(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--help")
    assert result.returncode == 0
    rows = command_rows(result.stdout)
    assert rows["hello"] == "Greet someone by name (myapp-plugins-example)"
    assert rows["greeting list"] == "List the greetings this plugin knows (myapp-plugins-example)"
    assert rows["help"] == "Show the options of a command, or list the commands (all of them, or a group's)"


def test_help_command_without_arguments_matches_the_help_option(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "help").stdout == installed.run("myapp", "--help").stdout


def test_help_marks_broken_plugins_and_lists_the_rest(installed: VirtualEnvironment) -> None:
    rows = command_rows(installed.run("myapp", "--help").stdout)
    assert rows["broken import"].startswith("[broken] plugin 'myapp-broken' could not load")
    assert "ModuleNotFoundError" in rows["broken import"]
    assert rows["shout"] == "Print the words in capitals (myapp-good)"


def test_help_for_one_command_shows_its_options_and_provider(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "help", "hello")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: myapp hello [-h] [--shout] [--times N] [name]")
    assert "This command is provided by the myapp-plugins-example plugin." in " ".join(result.stdout.split())


def test_command_help_option_is_the_same_as_help_command(installed: VirtualEnvironment) -> None:
    assert (
        installed.run("myapp", "greeting", "show", "--help").stdout
        == installed.run("myapp", "help", "greeting", "show").stdout
    )


def test_help_of_an_unknown_command_is_a_usage_error(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "help", "nope")
    assert result.returncode == 2
    assert "myapp: error: unknown command 'nope'\nhint: 'myapp help' lists all commands\n" in result.stderr


def test_second_help_imports_no_plugin(installed: VirtualEnvironment, marker_dir: Path) -> None:
    installed.run("myapp", "--help")
    for marker in marker_dir.iterdir():
        marker.unlink()
    result = installed.run("myapp", "--help")
    assert result.returncode == 0
    assert "lazy" in command_rows(result.stdout)
    assert list(marker_dir.iterdir()) == []
