"""Process-wide switches: the one module that changes state shared by everything in the process.

Signals, the cyclic garbage collector, the ``NO_COLOR`` convention, where
progress goes, and the two caches of cliff and stevedore that the framework
answers from its entry-point index instead of letting them scan every
installed distribution.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, TextIO

from .errors import Terminated

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint


def pause_garbage_collection() -> None:
    """Turn the cyclic collector off for start-up.

    Start-up creates tens of thousands of objects and no garbage cycles worth
    collecting, yet the collector would walk every live object several times
    while it runs: with many plugins that is the largest cost that grows with
    their number. Only the console script pauses it; a library import leaves it alone.
    """
    gc.disable()


def resume_garbage_collection() -> None:
    """Turn the collector back on when the command starts, if start-up paused it.

    What start-up built lives as long as the process, so it is frozen first:
    the collector never walks it again.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def stop_on_termination_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`~myapp.errors.Terminated`, so clean-up code runs before exit 143 or 129.

    SIGHUP (the terminal closed) is left alone when it is ignored: ``nohup`` asked for that.
    """
    signal.signal(signal.SIGTERM, _raise_terminated)
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is not None and signal.getsignal(hangup) is signal.SIG_DFL:
        signal.signal(hangup, _raise_terminated)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def escape_unencodable_output() -> None:
    """Write characters stdout's encoding cannot hold as escapes (``\\xe9``) instead of failing.

    Python does so for stderr already. Without it, a command that has done
    its work (changed the config file, say) would fail while reporting it,
    on a terminal or pipe whose locale is not UTF-8.
    """
    import io

    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="backslashreplace")


def ask_for_no_colour() -> None:
    """Set ``NO_COLOR`` for the libraries and programs (pip) this process runs that follow the convention."""
    os.environ["NO_COLOR"] = "1"


class ProgressOutput:
    """Where progress is shown in this run (see :mod:`myapp.progressbar`), as the app's options say."""

    __slots__ = ("colour", "quiet", "stream")

    def __init__(self) -> None:
        #: the app's stderr; ``None``: ``sys.stderr``
        self.stream: TextIO | None = None
        #: ``-q``: show nothing
        self.quiet = False
        #: whether a bar may use colour
        self.colour = True


#: The process's one progress output: plugins call :func:`myapp.progress` without an app at hand.
PROGRESS: Final = ProgressOutput()


def direct_progress(stream: TextIO | None, *, quiet: bool, colour: bool) -> None:
    """Set where progress goes for this run; the app calls this once its options are known."""
    PROGRESS.stream, PROGRESS.quiet, PROGRESS.colour = stream, quiet, colour


def serve_entry_points(namespace: str, entry_points: Iterable[EntryPoint]) -> None:
    """Answer stevedore's lookups of *namespace* with *entry_points*, instead of a scan of every distribution."""
    import stevedore

    stevedore.ExtensionManager.ENTRY_POINT_CACHE[namespace] = list(entry_points)


def tell_cliff_distribution(package: str, distribution: str) -> None:
    """Tell cliff that the top-level *package* comes from *distribution*.

    cliff names a command's distribution in its help epilog from a table of
    every installed package, whose building reads every distribution's
    files. The table is replaced by one that knows what the framework told it
    and asks the installed metadata, once, as cliff would, for anything else:
    cliff's answers stay true, and a run pays nothing for them.
    """
    from cliff import command as cliff_command

    table = cliff_command._dists_by_mods
    if not isinstance(table, _ModuleDistributions):
        table = _ModuleDistributions(_installed_distributions)
        cliff_command._dists_by_mods = table  # type: ignore[assignment]  # cliff types it as its own dict
    table.told[package] = distribution


class _ModuleDistributions(dict[str, str]):
    """cliff's ``_dists_by_mods``: what the framework told it, else what the installed metadata says."""

    def __init__(self, installed: Callable[[], dict[str, str]]) -> None:
        super().__init__()
        self.told: dict[str, str] = {}
        self._installed = installed
        self._read = False

    def get(self, package: str, default: Any = None) -> Any:
        """The distribution of *package*: as told, else from the installed metadata (read on the first miss)."""
        if package in self.told:
            return self.told[package]
        if not self._read:
            self.update(self._installed())
            self._read = True
        return super().get(package, default)


def _installed_distributions() -> dict[str, str]:
    """Top-level package -> its (first) distribution, as cliff builds its own table."""
    from importlib.metadata import packages_distributions

    try:
        return {package: names[0] for package, names in packages_distributions().items()}
    except FileNotFoundError:
        return {}
