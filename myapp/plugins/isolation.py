"""Importing plugin code in child processes: a plugin that ends the process or never returns costs only itself.

``--help`` reads the descriptions it has not cached, and ``plugin check``
tries every import, through :func:`run_isolated`: forked copies of this
process work through the entry points and send one JSON line per entry point
back through a pipe. An entry point whose import ends its child
(``os._exit()``, a crash, a signal) or is still running when the time limit
(the ``import_timeout`` setting) has passed since the child's previous line
is reported with what happened, the child is stopped, and a new one goes on
with the rest; entry points of the same module share the report without
being tried again.

A fork costs a millisecond or two, and the child starts with everything this
process has imported and with its ``sys.path``, so the imports themselves are
all it pays for. With many entry points, one child per processor works at
once, each on whole top-level packages (a plugin's modules often import each
other). Where there is no ``fork`` (Windows), or where other threads run (a
fork would copy a lock one of them may hold), the work is done in this
process, as it was before.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

if TYPE_CHECKING:
    from ..index.records import EntryPointInfo
    from .trace import PluginTrace

LOG = logging.getLogger(__name__)

#: What a child does with one entry point; it returns a JSON-ready record.
Work = Callable[["EntryPointInfo"], dict[str, Any]]

#: A second child is worth its fork only with at least this many entry points for each.
ENTRY_POINTS_PER_CHILD = 8


class Outcome(NamedTuple):
    """What came of one entry point: the work's record, or what happened to the process instead."""

    entry_point: EntryPointInfo
    #: what the work returned; ``None`` when the import ended or stalled the child
    record: dict[str, Any] | None
    #: what happened when there is no record: ``it ended the process with status 3 while being imported``
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
    lanes = [_Lane(todo) for todo in _shares(entry_points, _processors())]
    if trace is not None:
        children = "a child process" if len(lanes) == 1 else f"{len(lanes)} child processes"
        limit = f"{time_limit:g} s each" if time_limit else "no time limit"
        trace.say(f"importing {len(entry_points)} entry points in {children} ({limit})")
    found: dict[int, Outcome] = {}
    _Run(entry_points, work, time_limit, trace, found).through(lanes)
    return [found[index] for index in range(len(entry_points))]


def can_fork() -> bool:
    """Whether this process can fork safely: the platform has ``fork``, and no other thread runs."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")  # not imported: then there is one thread
    return threading is None or threading.active_count() == 1


def _processors() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _shares(entry_points: Sequence[EntryPointInfo], processors: int) -> list[list[int]]:
    """The indexes of *entry_points* split into one share per child: whole top-level packages, sizes balanced."""
    packages: dict[str, list[int]] = {}
    for index, entry_point in enumerate(entry_points):
        packages.setdefault(entry_point.module.partition(".")[0], []).append(index)
    count = max(1, min(processors, len(packages), len(entry_points) // ENTRY_POINTS_PER_CHILD))
    shares: list[list[int]] = [[] for _ in range(count)]
    for package in sorted(packages.values(), key=len, reverse=True):
        min(shares, key=len).extend(package)
    return [sorted(share) for share in shares]


class _Lane:
    """The entry points that one child after another works through, in order."""

    def __init__(self, todo: list[int]) -> None:
        self.todo = todo
        self.child: _Child | None = None
        #: when the child's current import overruns the time limit (``None``: no limit)
        self.deadline: float | None = None


class _Run:
    """Children working through lanes at once, their records gathered in *found* by index."""

    def __init__(
        self,
        entry_points: Sequence[EntryPointInfo],
        work: Work,
        time_limit: float,
        trace: PluginTrace | None,
        found: dict[int, Outcome],
    ) -> None:
        self.entry_points = entry_points
        self.work = work
        self.time_limit = time_limit
        self.trace = trace
        self.found = found

    def through(self, lanes: list[_Lane]) -> None:
        """Run children until every lane is done; whatever happens, none is left running."""
        with selectors.DefaultSelector() as selector:
            try:
                while self._start_children(lanes, selector):
                    self._wait(lanes, selector)
            finally:
                for lane in lanes:
                    self._stop(lane, selector)

    def _start_children(self, lanes: list[_Lane], selector: selectors.BaseSelector) -> bool:
        """Start a child for each lane with work left and none running; whether any child runs."""
        for lane in lanes:
            if lane.todo and lane.child is None:
                try:
                    lane.child = _Child.start(self.entry_points, list(lane.todo), self.work)
                except OSError as error:  # no process to spare: this lane's work is done here, as without fork
                    LOG.debug("cannot fork (%s); importing %d entry points in this process", error, len(lane.todo))
                    for index in lane.todo:
                        self.found[index] = Outcome(self.entry_points[index], self.work(self.entry_points[index]))
                    lane.todo = []
                    continue
                lane.deadline = self._deadline()
                selector.register(lane.child.connection, selectors.EVENT_READ, lane)
        return any(lane.child is not None for lane in lanes)

    def _wait(self, lanes: list[_Lane], selector: selectors.BaseSelector) -> None:
        """Take in what the children sent until the nearest deadline; stop a child that ended or overran it."""
        deadlines = [lane.deadline for lane in lanes if lane.child is not None and lane.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        for key, _ in selector.select(timeout):
            lane: _Lane = key.data
            assert lane.child is not None
            lines, ended = lane.child.read()
            if not self._take(lane, lines):
                self._stop(lane, selector)
            elif ended:
                if lane.todo:
                    self._fail(lane, lane.child.ending(lane.deadline, self.time_limit))
                self._stop(lane, selector)
        now = time.monotonic()
        for lane in lanes:
            if lane.child is not None and lane.deadline is not None and now >= lane.deadline:
                self._fail(lane, _overran(self.time_limit))
                self._stop(lane, selector)

    def _take(self, lane: _Lane, lines: list[bytes]) -> bool:
        """Keep the records in *lines*; ``False`` when one is not the record of the lane's next entry point.

        That happens only when plugin code wrote into the pipe, or forked and
        went on in two processes: the entry point is then reported instead.
        """
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not (lane.todo and isinstance(record, dict) and record.get("index") == lane.todo[0]):
                if lane.todo:
                    self._fail(lane, "its process sent something other than a record while it was being imported")
                return False
            index = lane.todo.pop(0)
            self.found[index] = Outcome(self.entry_points[index], record.get("record"), record.get("problem", ""))
            lane.deadline = self._deadline()
        return True

    def _fail(self, lane: _Lane, problem: str) -> None:
        """The lane's next entry point, and the others of its module, had *problem* instead of a record."""
        failed = self.entry_points[lane.todo[0]]
        for index in [index for index in lane.todo if self.entry_points[index].module == failed.module]:
            self.found[index] = Outcome(self.entry_points[index], None, problem)
            lane.todo.remove(index)
        if self.trace is not None:
            self.trace.say(
                f"import stopped: '{failed.name} = {failed.value}' ({failed.group}) of {failed.distribution}: {problem}"
            )

    def _stop(self, lane: _Lane, selector: selectors.BaseSelector) -> None:
        if lane.child is not None:
            selector.unregister(lane.child.connection)
            lane.child.stop()
            lane.child = None

    def _deadline(self) -> float | None:
        return time.monotonic() + self.time_limit if self.time_limit else None


class _Child:
    """A forked process working through entry points, and the pipe its records come back through."""

    def __init__(self, pid: int, connection: int) -> None:
        self.pid = pid
        self.connection = connection
        self._received = b""

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

    def read(self) -> tuple[list[bytes], bool]:
        """The whole lines the child sent since the last read, and whether its end of the pipe is closed."""
        chunk = os.read(self.connection, 65536)
        self._received += chunk
        *lines, self._received = self._received.split(b"\n")
        return lines, not chunk

    def ending(self, deadline: float | None, time_limit: float) -> str:
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
        os.close(self.connection)
        if self.pid:
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
        _flush(sys.stderr)  # what plugins printed last; the parent's stdout buffer is never flushed here
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
