"""``--help`` and ``help``: every command, its description and provider, without imports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.venvs import VirtualEnvironment


def command_lines(help_text: str) -> dict[str, str]:
    """The rows under 'Commands:', by command name."""
    rows = help_text.split("\nCommands:\n", 1)[1].splitlines()
    return {line[2:].split("  ", 1)[0]: line.split("  ", 2)[-1].strip() for line in rows}


def test_help_lists_commands_with_description_and_distribution(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--help")
    assert result.returncode == 0
    rows = command_lines(result.stdout)
    assert rows["hello"] == "Greet someone by name (myapp-plugins-example)"
    assert rows["greeting list"] == "List the greetings this plugin knows (myapp-plugins-example)"
    assert rows["help"] == "Show the options of a command, or list every command"


def test_help_command_without_arguments_matches_the_help_option(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "help").stdout == installed.run("myapp", "--help").stdout


def test_help_marks_broken_plugins_and_lists_the_rest(installed: VirtualEnvironment) -> None:
    rows = command_lines(installed.run("myapp", "--help").stdout)
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
    assert "lazy" in command_lines(result.stdout)
    assert list(marker_dir.iterdir()) == []


# --- a plugin installed editable (pip install -e) ------------------------------------------------

EDITABLE_COMMAND = '''
from cliff.command import Command


class Edited(Command):
    """Say what the editable plugin says."""

    def take_action(self, parsed_args):
        self.app.stdout.write("edited ran\\n")
'''


@pytest.fixture
def editable_command(installed: VirtualEnvironment, tmp_path: Path) -> Iterator[Path]:
    """A plugin installed with ``pip install -e``; returns its command's module, which the test edits."""
    project = tmp_path / "project"
    module = project / "myapp_editable_help" / "commands.py"
    module.parent.mkdir(parents=True)
    (module.parent / "__init__.py").write_text("")
    module.write_text(EDITABLE_COMMAND)
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    (project / "setup.cfg").write_text(
        "[metadata]\nname = myapp-editable-help\nversion = 1.0\n\n[options]\npackages = myapp_editable_help\n\n"
        "[options.entry_points]\nmyapp.commands =\n    edited = myapp_editable_help.commands:Edited\n"
    )
    installed.pip("install", "--no-deps", "-e", str(project))
    yield module
    installed.pip("uninstall", "-y", "myapp-editable-help")


def edit(path: Path, text: str) -> None:
    """Save *path* as an editor would, a second later than before."""
    later = path.stat().st_mtime_ns + 1_000_000_000
    path.write_text(text)
    os.utime(path, ns=(later, later))


def test_an_editable_plugin_s_help_follows_its_code_when_it_breaks_and_when_it_is_fixed(
    installed: VirtualEnvironment, editable_command: Path
) -> None:
    working = installed.run("myapp", "--help")
    edit(editable_command, EDITABLE_COMMAND.replace("import Command", "import Commandd"))
    broken = installed.run("myapp", "--help")
    edit(editable_command, EDITABLE_COMMAND.replace("Say what", "Say, fixed, what"))
    fixed = installed.run("myapp", "--help")

    assert command_lines(working.stdout)["edited"] == "Say what the editable plugin says (myapp-editable-help)"
    assert command_lines(broken.stdout)["edited"].startswith("[broken] plugin 'myapp-editable-help' could not load")
    assert "myapp: warning: plugin 'myapp-editable-help' could not load 'edited = " in broken.stderr
    assert command_lines(fixed.stdout)["edited"] == "Say, fixed, what the editable plugin says (myapp-editable-help)"
    assert "myapp-editable-help" not in fixed.stderr
    assert installed.run("myapp", "edited").stdout == "edited ran\n"
    assert installed.run("myapp", "plugin", "check", "myapp-editable-help").returncode == 0


def test_an_editable_plugin_broken_from_the_start_is_listed_once_fixed(
    installed: VirtualEnvironment, editable_command: Path
) -> None:
    edit(editable_command, EDITABLE_COMMAND.replace("class Edited", "class Edited("))
    assert "[broken]" in command_lines(installed.run("myapp", "--help").stdout)["edited"]
    edit(editable_command, EDITABLE_COMMAND)

    fixed = installed.run("myapp", "--help")

    assert command_lines(fixed.stdout)["edited"] == "Say what the editable plugin says (myapp-editable-help)"
    assert "myapp-editable-help" not in fixed.stderr
