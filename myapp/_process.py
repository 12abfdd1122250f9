"""Process-wide switches: the one module that changes state shared by everything in the process.

Signals, the cyclic garbage collector, the standard streams, the
``NO_COLOR`` convention, where progress goes, and the two caches of cliff
and stevedore that the framework answers from its entry-point index instead
of letting them scan every installed distribution.
"""

from __future__ import annotations

import gc
import io
import os
import signal
import sys

# The console script imports this module first, to pause the collector before anything else is
# imported: only modules built into the interpreter are imported here, and typing not at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from importlib.metadata import EntryPoint
    from types import FrameType
    from typing import Any, Final, TextIO


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
    from .errors import Terminated

    raise Terminated(signum)


#: The standard streams: descriptor, name in :mod:`sys`, how the null device is opened for it.
_STANDARD_STREAMS: Final = ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY))


def open_closed_standard_streams() -> list[str]:
    """Give each standard stream the program started without (``>&-``) the null device; return their names.

    A closed descriptor 0, 1 or 2 would be taken by the next file the process
    opens (a cache file, a pipe to a hook script), and whatever is meant for
    the stream would land in that file. Python leaves ``sys.stdout`` and the
    others ``None`` for a closed descriptor, so the usual case costs nothing.
    """
    closed = []
    for number, name, flags in _STANDARD_STREAMS:
        if getattr(sys, name) is not None:
            continue
        null = os.open(os.devnull, flags)
        if null == number:
            os.set_inheritable(number, True)  # programs the run starts get it too (os.open's files are not inherited)
        else:
            os.dup2(null, number)
            os.close(null)
        writes = flags == os.O_WRONLY
        stream = open(
            number, "w" if writes else "r", buffering=1 if writes else -1, errors="backslashreplace", closefd=False
        )
        setattr(sys, name, stream)
        closed.append(name)
    return closed


class _OutputFailure:
    """The first error writing standard output met in this run, until someone reports it."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: OSError | None = None


_OUTPUT_FAILURE: Final = _OutputFailure()


class _WatchedOutput(io.FileIO):
    """Standard output's file: remembers a write error that the layers above might lose.

    A failed flush drops what was buffered, and callers such as argparse's
    ``--version`` swallow the error; a full disk would then go unnoticed.
    A reader that went away (``EPIPE``) is not remembered: it ends the run
    with 141 as it is raised.
    """

    def write(self, data: Any, /) -> int:
        try:
            return super().write(data)
        except OSError as error:
            if _OUTPUT_FAILURE.error is None and not isinstance(error, BrokenPipeError):
                _OUTPUT_FAILURE.error = error
            raise


def watch_standard_output() -> None:
    """Route ``sys.stdout`` through a file that remembers write errors (see :func:`take_output_failure`).

    The text layer keeps the encoding, error handling and buffering Python
    chose; what is written reaches the file in blocks, so the watch costs one
    call per block. A ``sys.stdout`` someone replaced (a test capturing it) is left alone.
    """
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return
    try:
        raw = _WatchedOutput(stream.fileno(), "w", closefd=False)
    except (OSError, ValueError):
        return
    unbuffered = isinstance(stream.buffer, io.RawIOBase)  # python -u
    sys.stdout = io.TextIOWrapper(
        raw if unbuffered else io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )


def take_output_failure() -> OSError | None:
    """The error writing standard output met in this run, handed out once; ``None`` when there was none.

    Standard output then leads to the null device, so that flushing it at
    exit cannot fail (and print Python's own complaint) again.
    """
    error, _OUTPUT_FAILURE.error = _OUTPUT_FAILURE.error, None
    if error is not None:
        silence_stdout()
    return error


def silence_stdout() -> None:
    """Point standard output at the null device, so flushing it at exit cannot fail again."""
    silence(sys.stdout)


def silence(stream: TextIO) -> None:
    """Point *stream*'s file at the null device (it could not be written: flushing it at exit must not fail again)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


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


class TimeLimit:
    """A ``with`` block that raises :class:`TimeoutError` after *seconds*, to bound a call that blocks.

    It uses ``SIGALRM``, so only the main thread gets a limit; elsewhere the call may block on.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._previous: Any = None
        self._armed = False

    def __enter__(self) -> None:
        try:
            self._previous = signal.signal(signal.SIGALRM, _raise_timeout)
        except ValueError:  # not the main thread
            return
        self._armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc_info: object) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError


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
