"""``--help`` and ``help``: every command, its description and provider, without imports."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.listing import command_rows
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment


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


def test_the_hooks_page_shows_the_help_of_hello_as_it_is_today(installed: VirtualEnvironment) -> None:
    page = (REPOSITORY / "docs" / "hooks.rst").read_text(encoding="utf-8")
    after = page.partition("\n    $ myapp help hello\n")[2]
    # The output is the indented lines (and blank ones) up to the first line of prose.
    block = after[: next((m.start() for m in re.finditer(r"^\S", after, re.MULTILINE)), len(after))]
    shown = "".join(line.removeprefix("    ") + "\n" for line in block.rstrip("\n").splitlines())

    assert shown.startswith("usage: myapp hello ")  # the page still has the example this test reads
    assert installed.run("myapp", "help", "hello", env={"COLUMNS": "80"}).stdout == shown


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


# --- groups of commands ----------------------------------------------------------------------------


def test_a_group_without_a_command_lists_its_commands_on_stderr_and_exits_2(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: myapp plugin COMMAND [ARGS]\n\nCommands:\n  plugin check  ")
    rows = command_rows(result.stderr)
    assert {"plugin check", "plugin list", "plugin new", "plugin sync"} <= set(rows)
    assert all(name.startswith("plugin ") for name in rows)
    assert rows["plugin list"] == "List installed plugins: version, what they provide, and whether they run"
    assert result.stderr.endswith(
        "\nmyapp: error: 'plugin' is a group of commands; name one of them, e.g. 'plugin check'\n"
    )


@pytest.mark.parametrize(
    "argv", [["help", "greeting"], ["greeting", "--help"], ["greeting", "-h"], ["--help", "greeting"]]
)
def test_help_of_a_group_lists_its_commands_with_descriptions_and_providers(
    installed: VirtualEnvironment, argv: list[str]
) -> None:
    result = installed.run("myapp", *argv)

    assert result.returncode == 0
    assert "error" not in result.stderr  # a test plugin's 'help' clashes with the built-in one: a warning
    assert result.stdout.startswith("usage: myapp greeting COMMAND [ARGS]\n\nCommands:\n")
    rows = command_rows(result.stdout)
    assert {"greeting count", "greeting list", "greeting show", "greeting styles"} <= set(rows)
    assert all(name.startswith("greeting ") for name in rows)
    assert rows["greeting list"] == "List the greetings this plugin knows (myapp-plugins-example)"


# --- fitting the terminal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["help", "hello"], ["help", "plugin", "freeze"], ["help", "plugin", "list"], ["help", "greeting"]],
)
def test_help_fits_80_columns_off_a_terminal_and_the_width_columns_gives(
    installed: VirtualEnvironment, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)

    piped = installed.run("myapp", *argv)  # stdout is a pipe: no terminal to ask, so 80 columns
    at_80 = installed.run("myapp", *argv, env={"COLUMNS": "80"})
    at_120 = installed.run("myapp", *argv, env={"COLUMNS": "120"})

    assert piped.returncode == at_80.returncode == at_120.returncode == 0
    assert piped.stdout == at_80.stdout
    assert max(map(len, at_80.stdout.splitlines())) <= 80
    assert max(map(len, at_120.stdout.splitlines())) <= 120


def test_a_wider_terminal_gets_wider_help(installed: VirtualEnvironment) -> None:
    at_80 = installed.run("myapp", "--help", env={"COLUMNS": "80"}).stdout.splitlines()
    at_120 = installed.run("myapp", "--help", env={"COLUMNS": "120"}).stdout.splitlines()

    assert max(map(len, at_120)) > 80
    assert len(at_120) < len(at_80)


def test_a_long_description_wraps_under_its_own_column(installed: VirtualEnvironment) -> None:
    lines = installed.run("myapp", "--help", env={"COLUMNS": "80"}).stdout.split("\nCommands:\n")[1].splitlines()

    at = next(index for index, line in enumerate(lines) if line.startswith("  greeting count  "))
    column = lines[at].index("Greet a crowd")
    assert lines[at + 1][:column].isspace() and not lines[at + 1][column].isspace()
    rows = command_rows("\nCommands:\n" + "\n".join(lines))
    assert rows["greeting count"] == (
        "Greet a crowd of N guests one by one, showing progress (slowly, with --delay) (myapp-plugins-example)"
    )


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

    assert command_rows(working.stdout)["edited"] == "Say what the editable plugin says (myapp-editable-help)"
    assert command_rows(broken.stdout)["edited"].startswith("[broken] plugin 'myapp-editable-help' could not load")
    assert "myapp: warning: plugin 'myapp-editable-help' could not load 'edited = " in broken.stderr
    assert command_rows(fixed.stdout)["edited"] == "Say, fixed, what the editable plugin says (myapp-editable-help)"
    assert "myapp-editable-help" not in fixed.stderr
    assert installed.run("myapp", "edited").stdout == "edited ran\n"
    assert installed.run("myapp", "plugin", "check", "myapp-editable-help").returncode == 0


def test_an_editable_plugin_broken_from_the_start_is_listed_once_fixed(
    installed: VirtualEnvironment, editable_command: Path
) -> None:
    edit(editable_command, EDITABLE_COMMAND.replace("class Edited", "class Edited("))
    assert "[broken]" in command_rows(installed.run("myapp", "--help").stdout)["edited"]
    edit(editable_command, EDITABLE_COMMAND)

    fixed = installed.run("myapp", "--help")

    assert command_rows(fixed.stdout)["edited"] == "Say what the editable plugin says (myapp-editable-help)"
    assert "myapp-editable-help" not in fixed.stderr
