"""Progress of long work, for built-in commands and plugin authors.

A bar on a terminal (rich, imported only then), plain lines on stderr at most
every :data:`PLAIN_INTERVAL` seconds otherwise, nothing with ``-q``; stdout is
never touched. Usage: docs/plugin-guide.rst, "Showing progress".

.. versionadded:: 0.1
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, Final, TextIO, TypeVar

from ._process import PROGRESS

#: Off a terminal: the fewest seconds between two progress lines.
PLAIN_INTERVAL: Final = 1.0

_T = TypeVar("_T")


class Progress:
    """A context manager that shows how far some work has got; call :meth:`advance` as it goes.

    :param description: what is being done, e.g. ``"checking plugins"``.
    :param total: how many steps there are, if known.

    .. versionadded:: 0.1
    """

    def __init__(self, description: str = "working", total: int | None = None) -> None:
        self.description = description
        self.total = total
        #: steps done so far
        self.completed = 0
        self._stream = PROGRESS.stream or sys.stderr
        self._bar: Any = None
        self._task: Any = None
        self._started = self._last_line = 0.0
        #: plain lines written so far
        self._lines = 0

    @property
    def is_drawn(self) -> bool:
        """Whether a bar is on the terminal (rather than plain lines or nothing)."""
        return self._bar is not None

    def __enter__(self) -> Progress:
        self._started = self._last_line = time.monotonic()
        if not PROGRESS.quiet and _is_terminal(self._stream):
            self._start_bar()
        return self

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        console = Console(file=self._stream, no_color=not PROGRESS.colour, highlight=False)
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        self._bar = RichProgress(*columns, console=console)
        self._task = self._bar.add_task(self.description, total=self.total)
        self._bar.start()

    def advance(self, steps: int = 1) -> None:
        """Count *steps* more steps as done."""
        self.completed += steps
        if self._bar is not None:
            self._bar.update(self._task, completed=self.completed)
        elif not PROGRESS.quiet and time.monotonic() - self._last_line >= PLAIN_INTERVAL:
            self._write_line(self._count())

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self._lines:  # quick work stays silent off a terminal
            self._write_line(f"{self._count()} done in {time.monotonic() - self._started:.1f} s")

    def _count(self) -> str:
        if not self.total:
            return str(self.completed)
        return f"{self.completed}/{self.total} ({100 * self.completed // self.total}%)"

    def _write_line(self, text: str) -> None:
        self._last_line = time.monotonic()
        self._lines += 1
        self._stream.write(f"{self.description}: {text}\n")
        self._stream.flush()


def progress(iterable: Iterable[_T], description: str = "working", total: int | None = None) -> Iterator[_T]:
    """Yield the items of *iterable*, showing progress as they are taken.

    :param total: how many items there are; by default ``len(iterable)`` when it has one.

    .. versionadded:: 0.1
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    with Progress(description, total) as bar:
        for item in iterable:
            yield item
            bar.advance()


def _is_terminal(stream: TextIO) -> bool:
    """Whether a bar can be drawn on *stream*: a terminal that can redraw a line."""
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
