"""Importing plugin code in a child process: a plugin that ends the process or never returns costs only itself.

``--help`` reads the descriptions it has not cached, and ``plugin check``
tries every import, through :func:`run_isolated`: a forked copy of this
process works through the entry points in order and sends one JSON line per
entry point back through a pipe. An entry point whose import ends the child
(``os._exit()``, a crash, a signal) or is still running when the time limit
(the ``import_timeout`` setting) has passed since the previous line is
reported with what happened, the child is stopped, and a new one goes on
with the rest; entry points of the same module share the report without
being tried again.

A fork costs a millisecond or two, and the child starts with everything this
process has imported and with its ``sys.path``, so the imports themselves are
all it pays for. Where there is no ``fork`` (Windows), or where other threads
run (a fork would copy a lock one of them may hold), the work is done in this
process, as it was before.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

if TYPE_CHECKING:
    from ..index.discovery import EntryPointInfo
    from .trace import PluginTrace

LOG = logging.getLogger(__name__)

#: What the child does with one entry point; it returns a JSON-ready record.
Work = Callable[["EntryPointInfo"], dict[str, Any]]


class Outcome(NamedTuple):
    """What came of one entry point: the work's record, or what happened to the process instead."""

    entry_point: EntryPointInfo
    #: what the work returned; ``None`` when the import ended or stalled the child
    record: dict[str, Any] | None
    #: what happened when there is no record: ``ended the process with status 3 while being imported``
    problem: str = ""

    @property
    def message(self) -> str:
        """The load error, worded as :func:`myapp.plugins.loading.import_target` words the others."""
        entry_point = self.entry_point
        return (
            f"plugin '{entry_point.distribution}' could not load "
            f"'{entry_point.name} = {entry_point.value}' ({self.problem})"
        )


def run_isolated(
    entry_points: Sequence[EntryPointInfo], work: Work, time_limit: float, trace: PluginTrace | None = None
) -> list[Outcome]:
    """Do *work* for each of *entry_points* in child processes, each import bounded by *time_limit*.

    :param time_limit: seconds one entry point may take; 0 means no limit.
    :returns: one outcome per entry point, in their order.
    """
    if not entry_points:
        return []
    if not can_fork():
        LOG.debug("importing %d entry points in this process: it cannot fork safely", len(entry_points))
        return [Outcome(entry_point, work(entry_point)) for entry_point in entry_points]
    if trace is not None:
        limit = f"{time_limit:g} s each" if time_limit else "no time limit"
        trace.say(f"importing {len(entry_points)} entry points in a child process ({limit})")
    found: dict[int, Outcome] = {}
    todo = list(range(len(entry_points)))
    while todo:
        failed, problem = _work_through(entry_points, todo, work, time_limit, found)
        if failed is None:
            break
        module = entry_points[failed].module
        for index in [i for i in todo if entry_points[i].module == module]:
            found[index] = Outcome(entry_points[index], None, problem)
            todo.remove(index)
        if trace is not None:
            what = entry_points[failed]
            trace.say(f"import stopped: '{what.name} = {what.value}' ({what.group}) of {what.distribution}: {problem}")
    return [found[index] for index in range(len(entry_points))]


def _work_through(
    entry_points: Sequence[EntryPointInfo],
    todo: list[int],
    work: Work,
    time_limit: float,
    found: dict[int, Outcome],
) -> tuple[int | None, str]:
    """Let one child work through *todo* (emptied as records arrive, into *found*).

    :returns: the entry point the child failed on and what happened, or ``None`` when it did them all.
    """
    try:
        child = _Child.start(entry_points, list(todo), work)
    except OSError as error:  # no process to spare: the rest is done here, as without fork
        LOG.debug("cannot fork (%s); importing %d entry points in this process", error, len(todo))
        found.update((index, Outcome(entry_points[index], work(entry_points[index]))) for index in todo)
        return None, ""
    try:
        while todo:
            line = child.receive(time_limit)
            if line is None:
                return todo[0], child.ending
            index = line["index"]
            found[index] = Outcome(entry_points[index], line.get("record"), line.get("problem", ""))
            todo.remove(index)
        return None, ""
    finally:
        child.stop()


def can_fork() -> bool:
    """Whether this process can fork safely: the platform has ``fork``, and no other thread runs."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")  # not imported: then there is one thread
    return threading is None or threading.active_count() == 1


class _Child:
    """A forked process working through entry points, and the pipe its records come back through."""

    def __init__(self, pid: int, connection: int) -> None:
        self.pid = pid
        self._connection = connection
        self._received = b""
        #: how the child ended, once :meth:`receive` returned ``None``
        self.ending = ""

    @classmethod
    def start(cls, entry_points: Sequence[EntryPointInfo], todo: list[int], work: Work) -> _Child:
        """Fork a child that does *work* for the entry points *todo* indexes, in that order."""
        for stream in (sys.stdout, sys.stderr):  # what is buffered now must not be written twice
            _flush(stream)
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reading)
            _serve(entry_points, todo, work, writing)
        os.close(writing)
        return cls(pid, reading)

    def receive(self, time_limit: float) -> dict[str, Any] | None:
        """The child's next record; ``None`` when it ended or overran *time_limit* (:attr:`ending` says which)."""
        import selectors

        deadline = time.monotonic() + time_limit if time_limit else None
        with selectors.DefaultSelector() as selector:
            selector.register(self._connection, selectors.EVENT_READ)
            while b"\n" not in self._received:
                if not selector.select(None if deadline is None else max(0.0, deadline - time.monotonic())):
                    self.ending = _overran(time_limit)
                    return None
                chunk = os.read(self._connection, 65536)
                if not chunk:
                    self.ending = self._ended(deadline, time_limit)
                    return None
                self._received += chunk
        line, _, self._received = self._received.partition(b"\n")
        record: dict[str, Any] = json.loads(line)
        return record

    def _ended(self, deadline: float | None, time_limit: float) -> str:
        """How the child ended, once its end of the pipe closed: waited for until *deadline*."""
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pid = 0
                return _describe_end(os.waitstatus_to_exitcode(status))
            if deadline is not None and time.monotonic() >= deadline:
                return _overran(time_limit)
            time.sleep(0.002)

    def stop(self) -> None:
        """Kill the child if it still runs, and collect it."""
        os.close(self._connection)
        if self.pid:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended on its own in the meantime
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0


def _overran(time_limit: float) -> str:
    return f"it was still importing after {time_limit:g} s, the import_timeout limit"


def _describe_end(status: int) -> str:
    """What a child that ended with *status* (negative: killed by that signal) did, for a load error."""
    if status >= 0:
        return f"it ended the process with status {status} while being imported"
    import signal

    try:
        name = signal.Signals(-status).name
    except ValueError:
        name = f"signal {-status}"
    return f"the process importing it was killed by {name}"


def _serve(entry_points: Sequence[EntryPointInfo], todo: list[int], work: Work, connection: int) -> NoReturn:
    """The child: do *work* for each entry point *todo* indexes, send each record, and end without clean-up.

    Whatever the plugins print reaches stderr, through ``sys.stdout`` or its
    descriptor alike: the parent's stdout carries data only. Nothing the
    parent set up runs at the child's exit (``os._exit``).
    """
    status = 0
    try:
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        for index in todo:
            try:
                line: dict[str, Any] = {"index": index, "record": work(entry_points[index])}
            except Exception as error:  # noqa: BLE001 - the work failed, not the process: said, and the child goes on
                from .loading import describe_exception

                line = {"index": index, "problem": f"it could not be examined ({describe_exception(error)})"}
            _send(connection, json.dumps(line).encode() + b"\n")
    except BaseException:  # noqa: BLE001 - Ctrl-C, a lost parent: the parent reads the status
        status = 1
    finally:
        os._exit(status)


def _send(connection: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(connection, view) :]


def _flush(stream: object) -> None:
    try:
        stream.flush()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):  # no stream, a closed or full one: the run reports that later
        pass
