"""Interruptions and closed pipes end with their documented status and no traceback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.plugins import SLOW_IMPORT_VARIABLE
from tests.helpers.venvs import VirtualEnvironment


@pytest.mark.parametrize(
    ("signal_number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_signal_during_a_command(installed: VirtualEnvironment, signal_number: int, status: int) -> None:
    process = installed.start("myapp", "wait")
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == status
    assert "Traceback" not in stderr


def test_closed_pipe_exits_141_without_a_traceback(installed: VirtualEnvironment) -> None:
    process = installed.start("myapp", "flood", "-f", "value")
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


@pytest.mark.parametrize(("signal_number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_the_program_is_imported_ends_it_without_a_traceback(
    installed: VirtualEnvironment, signal_number: int, status: int
) -> None:
    """Signals at many moments of start-up: each run ends with the status, or before Python ran any of our code."""
    outcomes = []
    for delay in (0.02, 0.04, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2):
        process = installed.start("myapp", "--no-plugins", "help")
        with process:
            time.sleep(delay)
            process.send_signal(signal_number)
            _, stderr = process.communicate(timeout=30)
        # Before myapp's code runs (the interpreter starting, pip's console-script wrapper importing what it
        # needs, and the package itself, whose __init__ only imports its version before the console script's
        # module can act), the signal is Python's business: it ends the process with its default behaviour.
        # From myapp._cli on, until the program has set up, Ctrl-C ends it the same way, quietly.
        ours = set(re.findall(r"/site-packages/myapp/([\w/]+\.py)", stderr))
        before_our_code = process.returncode == -signal_number and ours <= {"__init__.py", "_version.py"}
        if not before_our_code and "Fatal Python error: init_" not in stderr and process.returncode != 0:
            outcomes.append((delay, process.returncode, "Traceback" in stderr))
            assert (process.returncode, "Traceback" in stderr) == (status, False), stderr  # 0: after the run
    assert outcomes, "no signal landed while the program ran: the delays need adjusting"


def test_ctrl_c_at_start_up_while_a_plugin_is_imported(installed: VirtualEnvironment, marker_dir: Path) -> None:
    process = installed.start("myapp", "slow", env={SLOW_IMPORT_VARIABLE: "60"})
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
    # a new session: a terminal's Ctrl-C reaches the whole foreground group
    process = installed.start("myapp", "shout", "never", env={"MYAPP_HOOK_DIR": str(hook_dir)}, new_session=True)
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert (process.returncode, stdout) == (130, "")
    assert "Traceback" not in stderr
    assert told.read_text() == "130\n"


def is_running(pid: int) -> bool:
    """Whether process *pid* exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    if not Path("/proc/self/stat").exists():
        return True  # no /proc to tell a zombie apart; where there is none, orphans are reaped at once
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:  # it ended in between
        return False


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while is_running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def start_with_hook_script(installed: VirtualEnvironment, hook_dir: Path, body: str) -> subprocess.Popen[str]:
    """``myapp shout`` with *body* as its ``pre_shout`` script, in a process group of its own like a terminal job."""
    hook_dir.mkdir(mode=0o700)
    script = hook_dir / "pre_shout"
    script.write_text(body)
    script.chmod(0o755)
    return installed.start("myapp", "shout", "never", env={"MYAPP_HOOK_DIR": str(hook_dir)}, new_session=True)


def interrupt(process: subprocess.Popen[str], signal_number: int) -> None:
    """Ctrl-C as a terminal sends it (to the whole foreground group); SIGTERM as ``kill`` does (to myapp only)."""
    if signal_number == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal_number)


INTERRUPTIONS = pytest.mark.parametrize(
    ("signal_number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)


@INTERRUPTIONS
def test_interrupted_hook_script_that_ignores_signals_is_stopped_with_all_it_started(
    installed: VirtualEnvironment, tmp_path: Path, signal_number: int, status: int
) -> None:
    pids = tmp_path / "pids"
    body = f"""#!/bin/sh
trap '' INT TERM HUP
sleep 30 &
echo "$$ $!" > {pids}
echo ready >&2
wait
"""
    process = start_with_hook_script(installed, tmp_path / "hooks", body)
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        interrupt(process, signal_number)
        stdout, stderr = process.communicate(timeout=30)
    assert (process.returncode, stdout) == (status, "")
    assert "Traceback" not in stderr
    script, background = map(int, pids.read_text().split())
    assert gone_within(script, 5), "the script is still running"
    assert gone_within(background, 5), "what the script started in the background is still running"


@INTERRUPTIONS
def test_interrupted_hook_script_is_told_first_and_may_clean_up(
    installed: VirtualEnvironment, tmp_path: Path, signal_number: int, status: int
) -> None:
    told = tmp_path / "told"
    body = f"""#!/bin/sh
trap 'echo INT > {told}; exit 1' INT
trap 'echo TERM > {told}; exit 1' TERM
trap 'echo HUP > {told}; exit 1' HUP
echo ready >&2
while :; do sleep 0.1; done
"""
    process = start_with_hook_script(installed, tmp_path / "hooks", body)
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        interrupt(process, signal_number)
        process.communicate(timeout=30)
    assert process.returncode == status
    assert told.read_text() == f"{signal.Signals(signal_number).name.removeprefix('SIG')}\n"


def test_sighup_runs_finally_blocks_and_post_hooks_then_exits_129(
    installed: VirtualEnvironment, tmp_path: Path, marker_dir: Path
) -> None:
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir(mode=0o700)
    told = tmp_path / "told"
    (hook_dir / "post_wait").write_text(f'#!/bin/sh\necho "$MYAPP_EXIT_CODE" > {told}\n')
    (hook_dir / "post_wait").chmod(0o755)
    process = installed.start("myapp", "wait", env={"MYAPP_HOOK_DIR": str(hook_dir)})
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        process.send_signal(signal.SIGHUP)
        stdout, stderr = process.communicate(timeout=30)

    assert (process.returncode, stdout, stderr) == (129, "", "")
    assert (marker_dir / "wait.finally").exists()
    assert told.read_text() == "129\n"


def test_sighup_ignored_by_nohup_stays_ignored(installed: VirtualEnvironment) -> None:
    process = subprocess.Popen(
        ["sh", "-c", f"trap '' HUP; exec {installed.bin / 'myapp'} wait"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert process.poll() is None, "SIGHUP ended a run that nohup asked to keep going"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 143


def test_a_hook_script_that_runs_myapp_again_stops_at_the_documented_depth(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir(mode=0o700)
    (hook_dir / "pre_shout").write_text(f"#!/bin/sh\nexec {installed.bin / 'myapp'} shout again\n")
    (hook_dir / "pre_shout").chmod(0o755)
    started = time.monotonic()

    result = installed.run("myapp", "shout", "once", env={"MYAPP_HOOK_DIR": str(hook_dir)}, timeout=120)

    assert result.returncode == 4  # the outermost run: its pre_shout script failed
    assert result.stdout == ""
    nested = [line for line in result.stderr.splitlines() if "nested" in line]
    assert nested == ["myapp: error: myapp runs myapp, nested 9 deep; stopping at 8"]
    assert "hint: a hook or command runs 'myapp' again, which runs it again; MYAPP_DEPTH counts the runs" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60


def test_runs_that_nest_within_the_depth_work(installed: VirtualEnvironment, tmp_path: Path) -> None:
    result = installed.run("myapp", "shout", "deep", env={"MYAPP_DEPTH": "7"})

    assert (result.returncode, result.stdout, result.stderr) == (0, "DEEP\n", "")
