"""Executable hook scripts: files in the hooks directory named after events.

A script called ``pre_command`` (or ``pre_command.py``, run with the tool's
own interpreter) runs at that event, after the Python hooks. It gets the
context in environment variables and the user's terminal; what it writes to
its standard output goes to the tool's stderr, since stdout carries the
command's data only (and a process the script leaves running must not hold
the tool's stdout open). A pre-event script that exits non-zero stops the
command. A script, or a hooks directory, that other users could write is
refused: it would let them run code as you.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from ..errors import HookAbort, Terminated
from ..errors import HookScriptError as HookScriptError  # re-exported: its home before myapp.errors
from ..index.names import unsafe_name_problem
from ..trust import unsafe_reason

if TYPE_CHECKING:
    import subprocess

    from ..identity import Identity
    from .context import HookContext

LOG = logging.getLogger(__name__)

#: Seconds an interrupted script has to end after SIGINT, SIGTERM or SIGHUP before its process group is killed.
STOP_GRACE_SECONDS: Final = 2.0
#: Where a script's standard output goes: the tool's standard error.
_STDERR: Final = 2
#: The signals that end a run: held back while a script starts, passed on to its group when they arrive.
_STOPPING_SIGNALS: Final = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


class HookScript(NamedTuple):
    """One executable file in the hooks directory."""

    path: Path

    @property
    def label(self) -> str:
        """How messages and ``hooks list`` name the script."""
        return f"script:{self.path.name}"

    def command(self) -> list[str]:
        """The command line that runs it; ``.py`` files use this very interpreter."""
        if self.path.suffix == ".py":
            return [sys.executable, str(self.path)]
        return [str(self.path)]


def script_candidates(directory: Path, event: str) -> list[tuple[Path, str]]:
    """Files in *directory* for *event*, each with why it will not run (``""`` when it will).

    Shell-code events (``*_source``) belong to Python hooks only: no script runs for them.
    An event whose name could be read as a path (``../x``) has none: the
    lookup never leaves *directory*.
    """
    if event.endswith("_source") or unsafe_name_problem(event):
        return []
    candidates = [p for p in (directory / event, directory / f"{event}.py") if p.is_file()]
    if not candidates:
        return []
    problem = unsafe_reason(directory)
    if problem:
        return [(path, f"refused: the directory {problem}") for path in candidates]
    found = []
    for path in candidates:
        problem = unsafe_reason(path)
        if problem:
            found.append((path, f"refused: it {problem}"))
        elif not os.access(path, os.X_OK):
            found.append((path, f"not executable; run 'chmod +x {path}' to enable it"))
        else:
            found.append((path, ""))
    return found


def find_scripts(directory: Path, event: str) -> list[HookScript]:
    """The scripts for *event* in *directory* that may run; refused ones are warned about."""
    scripts = []
    for path, problem in script_candidates(directory, event):
        if problem.startswith("refused"):
            LOG.warning("not running hook script '%s': %s", path, problem)
        elif problem:
            LOG.debug("hook script %s is %s", path, problem)
        else:
            scripts.append(HookScript(path))
    return scripts


def events_with_scripts(directory: Path) -> set[str]:
    """The events that have a script file in *directory* (hidden files, folders and ``*_source`` excepted)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return set()
    events = set()
    for entry in entries:
        event = entry.name.removesuffix(".py")
        if entry.is_file() and not entry.name.startswith(".") and "." not in event and not event.endswith("_source"):
            events.add(event)
    return events


def script_environment(identity: Identity, context: HookContext) -> dict[str, str]:
    """The variables that tell a script about the event."""
    import json

    variables = {
        identity.env_name("event"): context.event,
        identity.env_name("command"): context.command or "",
        identity.env_name("argv"): json.dumps(list(context.argv)),
    }
    environment = {**os.environ, **variables}
    if context.exit_code is None:  # not inherited from an outer run either
        environment.pop(identity.env_name("exit_code"), None)
    else:
        # int(): on Python 3.10 the str() of an ExitCode is its name, not its number
        environment[identity.env_name("exit_code")] = str(int(context.exit_code))
    return environment


def run_script(script: HookScript, identity: Identity, context: HookContext, timeout: float | None) -> None:
    """Run one script; raise :class:`HookAbort` when a pre-event script says no.

    The script runs in a session and process group of its own, so that
    everything it started can be stopped with it: when the time limit is
    reached, and when the run is interrupted (Ctrl-C, SIGTERM) while it runs.

    :raises HookScriptError: the script could not start, timed out, was killed,
        or failed after the command.
    """
    import subprocess  # only runs with scripts pay for it

    from .context import is_pre_event

    # Ctrl-C, SIGTERM or SIGHUP while the script starts would leave it running unknown to us: hold them back
    # until the script is known (the script itself starts with the signals as they were).
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING_SIGNALS)
    try:
        process = subprocess.Popen(
            script.command(),
            stdout=_STDERR,
            env=script_environment(identity, context),
            start_new_session=True,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, mask),
        )
    except OSError as error:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise HookScriptError(f"hook script '{script.path}' could not start ({error.strerror})") from error
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held back is raised here
        status = process.wait(timeout=timeout or None)
    except subprocess.TimeoutExpired:
        _stop_group(process, signal.SIGKILL)
        raise HookScriptError(
            f"hook script '{script.path}' did not finish within {timeout:g} s and was stopped",
            hint="raise hooks.script_timeout in the configuration, or fix the script",
        ) from None
    except BaseException as interruption:  # Ctrl-C, SIGTERM or SIGHUP reached this process, not the script's group
        _stop_group(process, _passed_on(interruption))
        raise
    if status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else str(-status)
        raise HookScriptError(f"hook script '{script.path}' was killed by signal {name}")
    if status and is_pre_event(context.event):
        raise HookAbort(f"hook script '{script.path}' stopped the command (exit status {status})")
    if status:
        raise HookScriptError(f"hook script '{script.path}' failed (exit status {status})")


def _passed_on(interruption: BaseException) -> int:
    """The signal the script's group gets when *interruption* ends the run: the one this process got."""
    if isinstance(interruption, KeyboardInterrupt):
        return signal.SIGINT
    if isinstance(interruption, Terminated) and interruption.args:
        return int(interruption.args[0])
    return signal.SIGTERM


def _stop_group(process: subprocess.Popen[bytes], signal_number: int) -> None:
    """Send *signal_number* to the script's process group, then kill whatever in it outlives the grace period."""
    import subprocess

    _signal_group(process, signal_number)
    try:
        if signal_number != signal.SIGKILL:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_GRACE_SECONDS)
    finally:  # also after a second Ctrl-C: nothing of the script may be left running
        # Members that ignore the signal, or that the script left behind when it ended. While any of
        # them lives, POSIX keeps the group's id from being reused, so this reaches no other process.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signal_number: int) -> None:
    with contextlib.suppress(OSError):  # the group is gone already
        os.killpg(process.pid, signal_number)
