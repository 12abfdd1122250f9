"""Running the tool as a process: completion requests, signals, the app, and the exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._process import stop_on_sigterm
from .errors import ExitCode, Terminated

if TYPE_CHECKING:
    from .identity import Identity

#: Makes the tool's cliff App: ``make_app(identity, **app_options)``.
AppFactory = Callable[..., Any]


def run_program(identity: Identity, argv: Sequence[str], make_app: AppFactory, **app_options: Any) -> int:
    """Run one command line of the tool *identity* names and return the exit status for ``sys.exit``.

    A shell's completion request is answered without building the app (see
    :mod:`myapp.completion`). Ctrl-C and SIGTERM end the run with 130 and 143
    and no traceback, at any point.

    :param make_app: builds the app; the console script passes one that imports cliff only then.
    :param app_options: what the app is built with (see :class:`myapp.app.App`).
    """
    arguments = list(argv)
    try:
        stop_on_sigterm()
        from .completion import serve

        status = serve(identity, arguments, make_app=make_app, **app_options)
        if status is not None:
            return status
        app = make_app(identity, **app_options)
    except KeyboardInterrupt:  # before the app can report anything itself
        sys.stderr.write("\n")
        return ExitCode.INTERRUPTED
    except Terminated:
        return ExitCode.TERMINATED
    return _finished(app, app.run(arguments))


def _finished(app: Any, status: int) -> int:
    """Flush the app's output; a reader that went away makes the status 141, and exit stays quiet."""
    try:
        app.stdout.flush()
    except BrokenPipeError:
        status = ExitCode.BROKEN_PIPE
    except (OSError, ValueError):
        pass
    if status == ExitCode.BROKEN_PIPE:
        _silence_stdout()
    return status


def _silence_stdout() -> None:
    """Point stdout at the null device, so flushing it at exit cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
