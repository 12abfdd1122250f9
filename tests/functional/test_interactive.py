"""The interactive shell, driven in a real terminal (tmux) and read off the screen."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, install_into
from tests.helpers.terminal import PROMPT, Shell, Terminal
from tests.helpers.venvs import VirtualEnvironment


@pytest.fixture
def terminal(installed: VirtualEnvironment, tmp_path: Path) -> Iterator[Terminal]:
    """``myapp`` started on a real terminal; closed after the test."""
    terminal = Terminal(tmp_path / "terminal", [str(installed.bin / "myapp")])
    yield terminal
    terminal.close()


@pytest.fixture
def shell(terminal: Terminal) -> Shell:
    return Shell(terminal)


def test_commands_run_in_the_shell_and_print_their_data(shell: Shell) -> None:
    shell.run("shout a b", "A B")
    shell.run("greeting list -f value -c Language", "English")

    assert shell.leave() == 0


@pytest.mark.parametrize("keys", [(), ("q", "u", "i", "t", "Enter"), ("C-d",)], ids=["exit", "quit", "ctrl-d"])
def test_exit_quit_and_ctrl_d_leave_with_status_0(shell: Shell, keys: tuple[str, ...]) -> None:
    assert shell.leave(*keys) == 0


@pytest.mark.parametrize(
    ("typed", "completed", "rest", "printed"),
    [
        pytest.param("sho", "shout", "completed", "COMPLETED", id="a plugin command"),
        pytest.param("greeting sh", "greeting show", "--help", "usage: greeting show", id="the next word of a name"),
        # --shout comes from the example plugin's CommandHook: the command's own parser is asked.
        pytest.param("hello --sh", "hello --shout", "ann", "ANN!", id="an option of the command"),
    ],
)
def test_tab_completes(shell: Shell, typed: str, completed: str, rest: str, printed: str) -> None:
    shell.terminal.type(typed)
    shell.terminal.press("Tab")
    shell.terminal.wait_for(f"{PROMPT} {completed}")
    shell.terminal.type(rest)
    shell.terminal.press("Enter")

    shell.output(printed)
    assert shell.leave() == 0


def test_hooks_fire_around_every_command(shell: Shell) -> None:
    printed = shell.run("order", "pre_order:a_first", "command:name=renamed-by-hook")
    assert printed.index("pre_order:b_before_a") < printed.index("pre_order:a_first") < printed.index("command:")
    shell.run("order --fail", "pre_order:a_first", "post_order:a_post exit=1")

    assert shell.leave() == 0


def test_a_hook_that_stops_a_command_keeps_the_session(shell: Shell) -> None:
    shell.run("veto", "myapp: error: hook 'myapp-hooks-a:veto' stopped the command: not today")
    shell.run("shout still here", "STILL HERE")

    assert shell.leave() == 0


def test_a_broken_plugin_and_a_failing_command_keep_the_session(shell: Shell) -> None:
    shell.run("broken_import", "myapp: error: plugin 'myapp-broken' could not load")
    shell.run("broken_exit", "SystemExit: exit status 7")
    shell.run("fail", "myapp: error: command 'fail' failed", "ValueError: boom")
    shell.run("frobnicate", "myapp: error: unknown command 'frobnicate'")
    shell.run("shout alive", "ALIVE")

    assert shell.leave() == 0


def test_a_group_of_commands_lists_them_in_the_shell(shell: Shell) -> None:
    bare = shell.run("greeting", "usage: greeting COMMAND [ARGS]", "  greeting list ")
    asked = shell.run("greeting --help", "usage: greeting COMMAND [ARGS]")
    helped = shell.run("help greeting", "usage: greeting COMMAND [ARGS]")

    assert (
        bare.splitlines()[-1]
        == "myapp: error: 'greeting' is a group of commands; name one of them, e.g. 'greeting count'"
    )
    listing = bare.split("usage: ", 1)[1].rsplit("\n", 1)[
        0
    ]  # after a warning about 'help', which a plugin clashes with
    assert asked.split("usage: ", 1)[1] == helped.split("usage: ", 1)[1] == listing
    assert shell.leave() == 0


def test_bad_arguments_are_one_error_line_and_keep_the_session(shell: Shell) -> None:
    printed = shell.run("hello --shot")
    shell.run("hello --shout again", "Hello, AGAIN!")

    assert [line for line in printed.splitlines() if not line.startswith(PROMPT)] == [
        "myapp: error: hello: unrecognized arguments: --shot",
        "hint: did you mean '--shout'? 'myapp help hello' lists its options",
    ]
    assert shell.leave() == 0


def test_plugin_disable_and_enable_take_effect_at_once(shell: Shell) -> None:
    shell.run("plugin disable myapp-good -f value -c State", "disabled")
    shell.run("shout gone", "myapp: error: command 'shout' comes from plugin 'myapp-good', which is disabled")
    shell.run("plugin enable myapp-good -f value -c State", "enabled")
    shell.run("shout back", "BACK")

    assert shell.leave() == 0


def test_ctrl_c_at_the_prompt_cancels_the_line(shell: Shell) -> None:
    shell.terminal.type("shout never")
    shell.terminal.press("C-c")
    printed = shell.output()  # a fresh prompt; where '^C' is echoed depends on the line editor
    shell.run("shout next", "NEXT")

    assert "NEVER" not in printed
    assert shell.leave() == 0


def test_ctrl_c_during_a_command_stops_the_command_not_the_shell(shell: Shell) -> None:
    shell.terminal.type("wait")
    shell.terminal.press("Enter")
    shell.terminal.wait_for("ready")
    shell.terminal.press("C-c")
    shell.output()
    shell.run("shout after", "AFTER")

    assert shell.leave() == 0


@pytest.mark.parametrize("running", [False, True], ids=["at-the-prompt", "during-a-command"])
def test_sigterm_ends_the_shell_with_143(shell: Shell, running: bool) -> None:
    if running:
        shell.terminal.type("wait")
        shell.terminal.press("Enter")
        shell.terminal.wait_for("ready")

    os.kill(shell.terminal.program_pid(), signal.SIGTERM)

    assert shell.terminal.exit_status() == 143
    assert "Traceback" not in shell.terminal.screen


def test_history_is_saved_in_the_data_dir_and_read_by_the_next_session(
    installed: VirtualEnvironment, tmp_path: Path, isolated_home: Path
) -> None:
    first = Terminal(tmp_path / "first", [str(installed.bin / "myapp")])
    try:
        Shell(first).run("shout remembered line", "REMEMBERED LINE")
        assert Shell(first).leave() == 0
    finally:
        first.close()
    history = isolated_home / ".local" / "share" / "myapp" / "shell-history"
    assert history.is_file()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600  # the lines typed can hold tokens

    second = Terminal(tmp_path / "second", [str(installed.bin / "myapp")])
    try:
        shell = Shell(second)
        second.press("Up", "Up")  # 'exit', then the line before it
        second.wait_for(f"{PROMPT} shout remembered line")
        second.press("Enter")
        shell.output("REMEMBERED LINE")
        assert shell.leave() == 0
    finally:
        second.close()


def test_output_redirection_writes_the_commands_data_to_a_file(shell: Shell, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    shell.run(f"shout into file > {target}")

    assert shell.leave() == 0
    assert target.read_text() == "INTO FILE\n"


def test_without_a_terminal_myapp_alone_prints_help_and_exits_2(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", timeout=30)  # stdin is the null device

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Commands:" in result.stderr


def test_with_stdin_on_a_terminal_but_stdout_piped_myapp_alone_does_not_wait(installed: VirtualEnvironment) -> None:
    controller, terminal = os.openpty()
    try:
        result = subprocess.run(
            [str(installed.bin / "myapp")], stdin=terminal, capture_output=True, text=True, timeout=30, check=False
        )
    finally:
        os.close(controller)
        os.close(terminal)

    assert result.returncode == 2
    assert "Commands:" in result.stderr


STALLING_PARSER = Distribution(
    name="myapp-stall",
    files={
        "stall_plugin/__init__.py": "",
        "stall_plugin/commands.py": """
            import time

            from cliff.command import Command


            class Stall(Command):
                \"\"\"A command whose parser never comes back.\"\"\"

                def get_parser(self, prog_name):
                    time.sleep(3600)

                def take_action(self, parsed_args):
                    return 0
        """,
    },
    entry_points={"myapp.commands": {"stall": "stall_plugin.commands:Stall"}},
)


def test_ctrl_c_interrupts_tab_on_a_command_whose_parser_hangs_and_the_shell_goes_on(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    install_into(STALLING_PARSER, site)
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", "")]))
    terminal = Terminal(tmp_path / "terminal", [str(installed.bin / "myapp")], env={"PYTHONPATH": path})
    try:
        shell = Shell(terminal)
        terminal.type("stall --")
        terminal.press("Tab")
        time.sleep(1)  # the parser is asked, and does not answer
        terminal.press("C-c")
        shell.output()  # a new prompt
        shell.run("shout still here", "STILL HERE")
        terminal.type("stall --")
        terminal.press("Tab")  # asked again: nothing to offer while the first answer is awaited, at once
        terminal.press("C-c")
        shell.output()
        assert shell.leave() == 0
    finally:
        terminal.close()
