"""The console script's entry point.

The garbage collector is paused before anything else is imported (see
:func:`myapp._process.pause_garbage_collection`); a shell's completion request
is answered without importing the app and cliff (see :mod:`myapp._program`).
"""

import sys

from ._process import pause_garbage_collection

pause_garbage_collection()

__all__ = ["console_main"]


def console_main() -> None:
    """Run the program with the command line the shell gave."""
    try:
        from ._program import run_program
        from .identity import MYAPP
    except KeyboardInterrupt:  # Ctrl-C before the program could set up anything
        from .errors import ExitCode

        sys.stderr.write("\n")
        sys.exit(ExitCode.INTERRUPTED)
    sys.exit(run_program(MYAPP, sys.argv[1:], _make_app))


def _make_app(*args: object, **kwargs: object) -> object:
    """The cliff App, imported (with cliff) only for a run that needs one."""
    from .app import App

    return App(*args, **kwargs)  # type: ignore[arg-type]
