"""Broken standard streams: stdout closed or full, stderr or stdin closed. One line, a documented status, no hang."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, install_into
from tests.helpers.venvs import VirtualEnvironment

#: What a run whose output cannot be written says, whatever the command.
FULL = "myapp: error: cannot write to standard output (No space left on device)\n"
CLOSED = "myapp: error: standard output is closed\nhint: send it somewhere instead, e.g. '>/dev/null' to discard it\n"

#: Commands that write and deal with write errors in their own ways.
WRITERS = Distribution(
    name="myapp-writers",
    files={
        "writers_plugin.py": """
            from cliff.command import Command


            class Swallow(Command):
                \"\"\"Write a lot and carry on whatever happens.\"\"\"

                def take_action(self, parsed_args):
                    for _ in range(100):
                        try:
                            self.app.stdout.write("x" * 1000 + "\\n")
                        except OSError:
                            pass


            class Printer(Command):
                \"\"\"Print a little with print(), as scripts do.\"\"\"

                def take_action(self, parsed_args):
                    print("a little")
        """
    },
    entry_points={"myapp.commands": {"swallow": "writers_plugin:Swallow", "printer": "writers_plugin:Printer"}},
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    install_into(WRITERS, folder)
    return folder


def shell(installed: VirtualEnvironment, line: str, *, env: dict[str, str] | None = None, timeout: float = 60):
    """Run *line* in bash with the venv's programs first on PATH, stdout and stderr captured."""
    path = f"{installed.bin}{os.pathsep}{os.environ['PATH']}"
    return installed.command(["bash", "-c", line], env={"PATH": path, **(env or {})}, timeout=timeout)


COMMANDS = {
    "--version": "--version",
    "--help": "--help",
    "help": "help hello",
    "a plugin command": "hello",
    "a lister": "greeting list -f json",
    "a lot of output": "flood -f value",
    "plugin list": "plugin list",
    "bug-report": "bug-report",
    "completion": "completion bash",
    "a completion request": "__complete bash -- myapp he",
    "python -m": "-m",
}


def program(command: str) -> str:
    """The shell words that run *command* (``-m``: ``python -m myapp --version``)."""
    return "python -m myapp --version" if command == "-m" else f"myapp {command}"


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_closed_stdout_runs_nothing_and_says_so_in_one_error(installed: VirtualEnvironment, command: str) -> None:
    result = shell(installed, f"{program(command)} >&-")
    assert (result.returncode, result.stderr) == (2, CLOSED)


def test_closed_stdout_leaves_the_config_file_alone(installed: VirtualEnvironment, isolated_home: Path) -> None:
    result = shell(installed, "myapp plugin disable myapp-good >&-")
    assert (result.returncode, result.stderr) == (2, CLOSED)
    assert not (isolated_home / ".config" / "myapp").exists()  # nothing ran: the edit was not made


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_full_stdout_is_one_error_that_blames_no_plugin(installed: VirtualEnvironment, command: str) -> None:
    result = shell(installed, f"{program(command)} >/dev/full")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("myapp: error") or "Traceback" in line]
    assert errors == [FULL.rstrip("\n")]
    # --help may also warn about broken test plugins other tests installed, never about the full device
    assert [line for line in lines if "No space" in line] == errors
    assert result.stderr.endswith(FULL)
    assert "hint:" not in result.stderr and "Exception ignored" not in result.stderr


@pytest.mark.parametrize("command", ["swallow", "printer"])
def test_full_stdout_is_reported_even_when_the_writer_swallowed_the_error(
    installed: VirtualEnvironment, site: Path, command: str
) -> None:
    result = shell(installed, f"myapp {command} >/dev/full", env={"PYTHONPATH": str(site)})
    assert (result.returncode, result.stderr) == (1, FULL)


def test_full_stdout_reaches_the_post_hooks_as_the_commands_failure(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir(mode=0o700)
    told = tmp_path / "told"
    script = hooks / "post_command"
    script.write_text(f'#!/bin/sh\necho "$MYAPP_EXIT_CODE" > {shlex.quote(str(told))}\n')
    script.chmod(0o755)
    result = shell(installed, "myapp hello >/dev/full", env={"MYAPP_HOOK_DIR": str(hooks)})
    assert (result.returncode, result.stderr) == (1, FULL)
    assert told.read_text() == "1\n"


@pytest.mark.parametrize(
    ("command", "status"),
    [("hello", 0), ("helo", 2), ("fail", 1), ("broken syntax", 3), ("plugin check", 3), ("--help", 0)],
)
def test_closed_stderr_changes_no_status_and_nothing_hangs(
    installed: VirtualEnvironment, command: str, status: int
) -> None:
    result = shell(installed, f"myapp {command} 2>&- >/dev/null", timeout=30)
    assert (result.returncode, result.stderr) == (status, "")


@pytest.mark.parametrize(
    ("command", "status"),
    [("hello", 0), ("helo", 2), ("fail", 1), ("--debug fail", 1), ("broken syntax", 3), ("plugin check", 3)],
)
def test_a_full_stderr_changes_no_status(installed: VirtualEnvironment, command: str, status: int) -> None:
    result = shell(installed, f"myapp {command} 2>/dev/full >/dev/null", timeout=30)
    assert (result.returncode, result.stderr) == (status, "")


def test_closed_stderr_lends_its_number_to_no_file(installed: VirtualEnvironment, tmp_path: Path) -> None:
    """A hook script writes to stderr while myapp has its log file open: the log must not get the script's text."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(mode=0o700)
    script = hooks / "pre_hello"
    script.write_text("#!/bin/sh\necho 'from the script' >&2\n")
    script.chmod(0o755)
    log = tmp_path / "myapp.log"
    line = f"myapp --log-file {shlex.quote(str(log))} hello 2>&-"
    result = shell(installed, line, env={"MYAPP_HOOK_DIR": str(hooks)}, timeout=30)
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")
    assert "from the script" not in log.read_text()


def test_closed_stdin_reads_as_empty(installed: VirtualEnvironment) -> None:
    result = subprocess.run(
        ["bash", "-c", f"'{installed.bin / 'myapp'}' hello <&-"], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello, World!\n", "")
