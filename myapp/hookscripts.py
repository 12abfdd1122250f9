"""Executable hook scripts: files in the hooks directory named after events.

A script called ``pre_command`` (or ``pre_command.py``, run with the tool's
own interpreter) runs at that event, after the Python hooks. It gets the
context in environment variables and the user's terminal. A pre-event script
that exits non-zero stops the command. A script, or a hooks directory, that
other users could write is refused: it would let them run code as you.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import HookAbort, MyappError

if TYPE_CHECKING:
    from .hooks import HookContext
    from .identity import Identity

LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HookScript:
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


def unsafe_reason(path: Path) -> str:
    """Why *path* must not be trusted (writable or owned by someone else), or ``""``."""
    try:
        info = path.stat()
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if info.st_uid not in (os.getuid(), 0):
        return f"is owned by another user (uid {info.st_uid}); run 'chown {os.getuid()} {path}'"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"is writable by other users; run 'chmod go-w {path}'"
    return ""


def find_scripts(directory: Path, event: str) -> list[HookScript]:
    """The scripts for *event* in *directory* that may run; refused ones are warned about."""
    candidates = [p for p in (directory / event, directory / f"{event}.py") if p.is_file()]
    if not candidates:
        return []
    problem = unsafe_reason(directory)
    if problem:
        LOG.warning("not running hook scripts in '%s': the directory %s", directory, problem)
        return []
    scripts = []
    for path in candidates:
        if not os.access(path, os.X_OK):
            LOG.debug("hook script %s is not executable; skipped", path)
            continue
        problem = unsafe_reason(path)
        if problem:
            LOG.warning("not running hook script '%s': it %s", path, problem)
            continue
        scripts.append(HookScript(path))
    return scripts


def script_environment(identity: Identity, context: HookContext) -> dict[str, str]:
    """The variables that tell a script about the event."""
    variables = {
        identity.env_name("event"): context.event,
        identity.env_name("command"): context.command or "",
        identity.env_name("argv"): json.dumps(list(context.argv)),
    }
    if context.exit_code is not None:
        variables[identity.env_name("exit_code")] = str(context.exit_code)
    return {**os.environ, **variables}


def run_script(script: HookScript, identity: Identity, context: HookContext, timeout: float | None) -> None:
    """Run one script; raise :class:`HookAbort` when a pre-event script says no.

    :raises MyappError: the script could not start, timed out or was killed.
    """
    from .hooks import is_pre_event

    try:
        completed = subprocess.run(
            script.command(), env=script_environment(identity, context), timeout=timeout or None, check=False
        )
    except subprocess.TimeoutExpired:
        raise MyappError(
            f"hook script '{script.path}' did not finish within {timeout:g} s and was stopped",
            hint="raise hooks.script_timeout in the configuration, or fix the script",
        ) from None
    except OSError as error:
        raise MyappError(f"hook script '{script.path}' could not start ({error.strerror})") from error
    status = completed.returncode
    if status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else str(-status)
        raise MyappError(f"hook script '{script.path}' was killed by signal {name}")
    if status and is_pre_event(context.event):
        raise HookAbort(f"hook script '{script.path}' stopped the command (exit status {status})")
    if status:
        raise MyappError(f"hook script '{script.path}' failed (exit status {status})")
