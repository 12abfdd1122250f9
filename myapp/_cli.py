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

gc.disable()

from .app import console_main  # noqa: E402

__all__ = ["console_main"]
