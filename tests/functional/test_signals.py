"""Interruptions and closed pipes end with their documented status and no traceback."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

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
