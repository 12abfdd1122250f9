"""Interruptions and closed pipes end with their documented status and no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.plugins import SLOW_IMPORT_VARIABLE
from tests.helpers.venvs import VirtualEnvironment


def start(installed: VirtualEnvironment, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(installed.bin / "myapp"), *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


@pytest.mark.parametrize(("signal_number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_a_command(installed: VirtualEnvironment, signal_number: int, status: int) -> None:
    process = start(installed, "wait")
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == status
    assert "Traceback" not in stderr


def test_closed_pipe_exits_141_without_a_traceback(installed: VirtualEnvironment) -> None:
    process = start(installed, "flood", "-f", "value")
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == "0\n"
    process.stdout.close()
    with process:
        stderr = process.stderr.read()
        process.wait(timeout=30)
    assert process.returncode == 141
    assert stderr == ""


def test_lister_piped_into_head_prints_no_traceback(installed: VirtualEnvironment) -> None:
    shell = f"'{installed.bin / 'myapp'}' flood -f csv | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert result.stdout == '"Number"\n'
    assert result.returncode == 141
    assert result.stderr == ""


def test_ctrl_c_at_start_up_while_a_plugin_is_imported(installed: VirtualEnvironment, marker_dir: Path) -> None:
    process = subprocess.Popen(
        [str(installed.bin / "myapp"), "slow"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, SLOW_IMPORT_VARIABLE: "60"},
    )
    with process:
        deadline = time.monotonic() + 30
        while not (marker_dir / "faulty_plugin.slow.imported").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert (process.returncode, stdout) == (130, "")
    assert "Traceback" not in stderr


def test_ctrl_c_in_a_hook_script_stops_the_command_and_post_hooks_are_told(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir(mode=0o700)
    told = tmp_path / "told"
    for name, body in (
        ("pre_shout", "#!/bin/sh\necho ready >&2\nexec sleep 60\n"),
        ("post_shout", f'#!/bin/sh\necho "$MYAPP_EXIT_CODE" > {told}\n'),
    ):
        (hook_dir / name).write_text(body)
        (hook_dir / name).chmod(0o755)
    process = subprocess.Popen(
        [str(installed.bin / "myapp"), "shout", "never"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MYAPP_HOOK_DIR": str(hook_dir)},
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole foreground group
    )
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert (process.returncode, stdout) == (130, "")
    assert "Traceback" not in stderr
    assert told.read_text() == "130\n"
