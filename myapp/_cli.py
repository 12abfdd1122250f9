"""The console script's entry point.

Start-up (imports, reading the entry-point index, parsing options) creates
tens of thousands of objects and no garbage cycles worth collecting, yet the
cyclic garbage collector would walk every live object several times while it
runs; with many plugins installed that is the largest cost that grows with
their number. The collector is therefore off until the command itself starts
(:meth:`myapp.app.App.run_subcommand` turns it back on), which keeps start-up
flat. Importing myapp as a library leaves the collector alone.
"""

import gc
import sys

gc.disable()

__all__ = ["console_main"]

#: The exit status of a run interrupted with Ctrl-C (128 + SIGINT).
_INTERRUPTED = 130


def console_main() -> None:
    """Run the program; a shell's completion request is answered without importing the app (and cliff).

    Ctrl-C or SIGTERM while the program is still being imported ends it with
    130 or 143 and no traceback, as they do later (see :mod:`myapp.app`).
    """
    try:
        import signal

        signal.signal(signal.SIGTERM, _exit_at_once)
        from .completion import is_request, serve

        if is_request(sys.argv[1:]):
            from .identity import MYAPP

            sys.exit(serve(MYAPP, sys.argv[1:]))
        from .app import console_main as run
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(_INTERRUPTED)
    run()


def _exit_at_once(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
