"""Running the tool as a process: completion requests, signals, the app, and the exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ._process import (
    open_closed_standard_streams,
    silence_stdout,
    stop_on_termination_signals,
    take_output_failure,
    watch_standard_output,
)
from .errors import ExitCode, MyappError, OutputError, Terminated, UsageError, unwrapped_interruption

if TYPE_CHECKING:
    from .identity import Identity

#: Makes the tool's cliff App: ``make_app(identity, **app_options)``.
AppFactory = Callable[..., Any]


#: How many runs of a tool may be nested in each other: a hook (or a command) that runs the tool again,
#: which fires the hook again, stops here instead of filling the machine with processes.
MAX_NESTED_RUNS: Final = 8


def run_program(identity: Identity, argv: Sequence[str], make_app: AppFactory, **app_options: Any) -> int:
    """Run one command line of the tool *identity* names and return the exit status for ``sys.exit``.

    A shell's completion request is answered without building the app (see
    :mod:`myapp.completion`). Ctrl-C and SIGTERM (or SIGHUP) end the run with
    130 and 143 (129) and no traceback, at any point. A run started with
    standard output closed does nothing and exits 2; one whose output cannot
    be written (a full disk) says so and exits 1 (see :func:`_finished`). A
    run nested deeper than :data:`MAX_NESTED_RUNS` in runs of the same tool
    (``MYAPP_DEPTH``, which every run sets for what it starts) stops with a
    usage error.

    :param make_app: builds the app; the console script passes one that imports cliff only then.
    :param app_options: what the app is built with (see :class:`myapp.app.App`).
    """
    if "stdout" in open_closed_standard_streams():
        hint = "send it somewhere instead, e.g. '>/dev/null' to discard it"
        return _say(identity, UsageError("standard output is closed", hint=hint))
    watch_standard_output()
    variable = identity.env_name("depth")
    outer = os.environ.get(variable)
    depth = int(outer) + 1 if outer and outer.isdigit() and len(outer) < 4 else 1
    if depth > MAX_NESTED_RUNS:
        sys.stderr.write(
            f"{identity.name}: error: {identity.name} runs {identity.name}, nested {depth} deep; "
            f"stopping at {MAX_NESTED_RUNS}\n"
            f"hint: a hook or command runs '{identity.name}' again, which runs it again; "
            f"{variable} counts the runs\n"
        )
        return ExitCode.USAGE
    os.environ[variable] = str(depth)  # what this run starts (hooks, their scripts, commands) is one level deeper
    try:
        return _run(identity, list(argv), make_app, app_options)
    finally:  # an in-process run (tests, a tool that calls main()) leaves the environment as it found it
        if outer is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = outer


def _run(identity: Identity, arguments: list[str], make_app: AppFactory, app_options: dict[str, Any]) -> int:
    try:
        stop_on_termination_signals()
        from .completion import serve

        try:
            status = serve(identity, arguments, make_app=make_app, **app_options)
            if status is not None:
                sys.stdout.flush()
        except OSError as error:  # the answer could not be written (serve reports nothing else)
            return _unwritten(identity, error)
        if status is not None:
            return status
        app = make_app(identity, **app_options)
    except (KeyboardInterrupt, Terminated, RuntimeError) as error:  # before the app can report anything itself
        return _interrupted(unwrapped_interruption(error))
    return _finished(app, app.run(arguments))


def _interrupted(interruption: BaseException) -> int:
    """The status of a run that Ctrl-C or a termination signal ended before it could report it."""
    if isinstance(interruption, Terminated):
        return interruption.exit_code
    if not isinstance(interruption, KeyboardInterrupt):
        raise interruption
    sys.stderr.write("\n")
    return ExitCode.INTERRUPTED


def _finished(app: Any, status: int) -> int:
    """Flush the app's output; exit stays quiet whatever happened to it.

    A reader that went away makes the status 141. Output that could not be
    written (a full disk, even where the writer swallowed the error, as
    argparse's ``--version`` does) is reported, once, and makes it 1.
    """
    try:
        app.stdout.flush()
    except BrokenPipeError:
        status = ExitCode.BROKEN_PIPE
    except (OSError, ValueError):
        pass  # an error on standard output was remembered (see myapp._process.watch_standard_output)
    if status == ExitCode.BROKEN_PIPE:
        silence_stdout()
        return status
    failure = take_output_failure()
    return status if failure is None else int(app.report(OutputError(failure)))


def _unwritten(identity: Identity, error: OSError) -> int:
    """The status of a completion request whose answer could not be written: 141 for a reader that went away."""
    if isinstance(error, BrokenPipeError):
        silence_stdout()
        return ExitCode.BROKEN_PIPE
    return _say(identity, OutputError(take_output_failure() or error))


def _say(identity: Identity, error: MyappError) -> int:
    """Report *error* as the app would (one line and a hint), for a run that ends before there is an app."""
    sys.stderr.write(f"{identity.name}: error: {error.message}\n")
    if error.hint:
        sys.stderr.write(f"hint: {error.hint}\n")
    return int(error.exit_code)
