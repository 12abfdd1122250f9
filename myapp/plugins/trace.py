"""``--debug-plugins``: an account, on stderr, of what happens to each plugin in this run.

What it prints: docs/user-guide.rst, "Seeing what plugins do". The trace is
an object handed down, as pluggy hands its tracer to its manager: the
session holds it (:attr:`myapp.session.Session.trace`) and gives it to the
places that report (the session once plugins are selected, the command
table, :func:`myapp.plugins.loading.import_target` through its callers, the
hook runner). While the option is off it is ``None`` and they do nothing more.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TextIO

from ..errors import counted

if TYPE_CHECKING:
    from ..index.records import EntryPointInfo
    from .state import Plugin


def importing(trace: PluginTrace | None, entry_point: EntryPointInfo) -> AbstractContextManager[None]:
    """Time the import of *entry_point*'s target on *trace*, when there is one."""
    return contextlib.nullcontext() if trace is None else trace.importing(entry_point)


class PluginTrace:
    """Writes ``<tool>: plugins: ...`` lines."""

    def __init__(self, stream: TextIO, tool: str) -> None:
        self.stream = stream
        self.prefix = f"{tool}: plugins: "

    def say(self, text: str) -> None:
        """Write one line of the trace."""
        self.stream.write(f"{self.prefix}{text}\n")
        self.stream.flush()

    def selected(self, plugins: Iterable[Plugin]) -> None:
        """What was discovered, and which plugins may run (and why the others may not)."""
        plugins = list(plugins)
        total = sum(len(plugin.entry_points) for plugin in plugins)
        self.say(f"discovered {counted(len(plugins), 'plugin distribution')} with {counted(total, 'entry point')}")
        for plugin in plugins:
            verdict = plugin.verdict
            state = "runs" if verdict.runs else f"skipped: {verdict.state.value}"
            reason = f" ({verdict.reason})" if verdict.reason else ""
            count = counted(len(plugin.entry_points), "entry point")
            self.say(f"  {plugin.name} {plugin.distribution.version}: {count}; {state}{reason}")

    @contextlib.contextmanager
    def importing(self, entry_point: EntryPointInfo) -> Iterator[None]:
        """Report the import around the ``with`` block: what, from which plugin, how long, how it ended."""
        what = f"'{entry_point.name} = {entry_point.value}' ({entry_point.group}) of {entry_point.distribution}"
        started = time.perf_counter()
        try:
            yield
        except BaseException as error:
            elapsed = _milliseconds(time.perf_counter() - started)
            self.say(f"import failed: {what} in {elapsed} ({type(error.__cause__ or error).__name__})")
            raise
        self.say(f"imported {what} in {_milliseconds(time.perf_counter() - started)}")

    def hook_ran(self, event: str, label: str, seconds: float, problem: str | None) -> None:
        """Report one hook call of *event*."""
        outcome = "ok" if problem is None else f"failed: {problem}"
        self.say(f"hook {event}: {label}: {outcome} in {_milliseconds(seconds)}")


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
