"""Progress: a bar on a terminal, plain lines on stderr otherwise, nothing with -q; colour only when allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.plugins import SLOW_IMPORT_VARIABLE
from tests.helpers.terminal import Terminal
from tests.helpers.venvs import VirtualEnvironment

#: A colour (foreground, background, 256 or true colour) in an SGR escape sequence.
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])[0-9;]*m")
#: The characters rich draws a bar with.
BAR = "━"


def test_off_a_terminal_progress_is_plain_lines_on_stderr_and_data_stays_on_stdout(
    installed: VirtualEnvironment,
) -> None:
    result = installed.run("myapp", "greeting", "count", "4", "--delay", "0.45", "-f", "value")

    assert result.returncode == 0
    assert result.stdout.splitlines() == [f"{n} Hello, guest {n}!" for n in range(1, 5)]
    lines = result.stderr.splitlines()
    # At most one line a second while it runs (~1.8 s here), then the final one.
    assert 2 <= len(lines) <= 3
    assert all(line.startswith("greeting guests: ") for line in lines)
    assert re.fullmatch(r"greeting guests: 4/4 \(100%\) done in \d+\.\d s", lines[-1])
    assert BAR not in result.stderr


def test_q_silences_progress(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-q", "greeting", "count", "3", "-f", "value")

    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 3


def test_plugin_check_reports_progress_off_a_terminal_and_nothing_with_q(installed: VirtualEnvironment) -> None:
    plugins = ("myapp-faulty", "myapp-good", "myapp-lazy")
    slow = {SLOW_IMPORT_VARIABLE: "1.2"}  # myapp-faulty takes that long to import: long enough for a line
    loud = installed.run("myapp", "plugin", "check", *plugins, "-f", "value", env=slow)
    quiet = installed.run("myapp", "-q", "plugin", "check", *plugins, "-f", "value", env=slow)
    fast = installed.run("myapp", "plugin", "check", "myapp-good")

    assert loud.returncode == quiet.returncode
    assert loud.stdout == quiet.stdout
    assert re.search(r"^checking plugins: 1/3 \(33%\)$", loud.stderr, re.MULTILINE)
    assert re.search(r"^checking plugins: 3/3 \(100%\) done in \d+\.\d s$", loud.stderr, re.MULTILINE)
    assert "checking plugins" not in quiet.stderr
    assert fast.stderr == "no problems found\n"  # quick work prints no progress off a terminal


@pytest.fixture
def terminal_run(installed: VirtualEnvironment, tmp_path: Path) -> Iterator[object]:
    """Start ``myapp ARGS`` on a real terminal; every terminal is closed after the test."""
    started: list[Terminal] = []

    def start(*arguments: str, env: dict[str, str] | None = None) -> Terminal:
        # Through env(1): tmux sets TERM in the terminal itself.
        variables = [f"{name}={value}" for name, value in (env or {}).items()]
        argv = ["env", *variables, str(installed.bin / "myapp"), *arguments]
        terminal = Terminal(tmp_path / f"terminal{len(started)}", argv)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def test_on_a_terminal_a_bar_is_drawn(terminal_run) -> None:  # type: ignore[no-untyped-def]
    terminal = terminal_run("greeting", "count", "5", "--delay", "0.2", "-f", "value")

    assert terminal.exit_status() == 0
    screen = terminal.screen
    bar_line = next(line for line in screen.splitlines() if line.startswith("greeting guests"))
    assert BAR in bar_line
    assert "5/5" in bar_line
    assert "5 Hello, guest 5!" in screen
    assert "done in" not in screen  # the plain lines are for files and pipes


def test_on_a_terminal_the_bar_has_colour_unless_colour_is_off(terminal_run) -> None:  # type: ignore[no-untyped-def]
    coloured = terminal_run("greeting", "count", "2", "-f", "value")
    plain = [
        terminal_run("--no-color", "greeting", "count", "2", "-f", "value"),
        terminal_run("greeting", "count", "2", "-f", "value", env={"NO_COLOR": "1"}),
        terminal_run("greeting", "count", "2", "-f", "value", env={"MYAPP_NO_COLOR": "1"}),
    ]

    assert coloured.exit_status() == 0
    assert COLOUR.search("\n".join(coloured.lines(escapes=True)))
    for terminal in plain:
        assert terminal.exit_status() == 0
        screen = "\n".join(terminal.lines(escapes=True))
        assert BAR in screen
        assert not COLOUR.search(screen)


def test_on_a_dumb_terminal_progress_is_plain_lines(terminal_run) -> None:  # type: ignore[no-untyped-def]
    terminal = terminal_run("greeting", "count", "2", "--delay", "0.6", "-f", "value", env={"TERM": "dumb"})

    assert terminal.exit_status() == 0
    assert "greeting guests: 2/2 (100%) done in" in terminal.screen
    assert BAR not in terminal.screen


def test_q_on_a_terminal_draws_no_bar(terminal_run) -> None:  # type: ignore[no-untyped-def]
    terminal = terminal_run("-q", "greeting", "count", "2", "-f", "value")

    assert terminal.exit_status() == 0
    assert "greeting guests" not in terminal.screen
    assert "2 Hello, guest 2!" in terminal.screen
