"""Work on entry points done in forked children: records come back in order; an exit, a signal or a hang is told."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from myapp.index.records import EntryPointInfo
from myapp.plugins import isolation
from myapp.plugins.isolation import Outcome, can_fork, run_isolated
from myapp.plugins.trace import PluginTrace


def point(name: str, module: str = "") -> EntryPointInfo:
    """An entry point whose name says what :func:`work` does with it; each in a module of its own unless told."""
    return EntryPointInfo(name, f"{module or 'mod_' + name}:Cmd", "myapp.commands", "myapp-test", "1.0")


def work(entry_point: EntryPointInfo) -> dict[str, Any]:
    """Behave as the entry point's name asks, as a plugin's import might."""
    action = entry_point.name.rstrip("0123456789")
    if action == "exits":
        os._exit(5)
    if action == "hangs":
        time.sleep(60)
    if action == "raises":
        raise ValueError("boom")
    if action == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "prints":
        print("printed by the plugin")
        os.write(1, b"written to descriptor 1\n")
        print("a line not ended yet", end="")
    return {"name": entry_point.name, "pid": os.getpid()}


def test_records_come_back_in_order_from_one_child() -> None:
    outcomes = run_isolated([point("one"), point("two"), point("three")], work, 10)

    assert [outcome.record and outcome.record["name"] for outcome in outcomes] == ["one", "two", "three"]
    pids = {outcome.record["pid"] for outcome in outcomes if outcome.record}
    assert len(pids) == 1
    assert os.getpid() not in pids


def test_an_exit_is_told_and_a_new_child_does_the_rest() -> None:
    before, ended, after = run_isolated([point("one"), point("exits"), point("two")], work, 10)

    assert ended == Outcome(point("exits"), None, "it ended the process with status 5 while being imported")
    assert ended.message == (
        "plugin 'myapp-test' could not load 'exits = mod_exits:Cmd' "
        "(it ended the process with status 5 while being imported)"
    )
    assert before.record is not None and after.record is not None
    assert before.record["pid"] != after.record["pid"]


def test_a_child_killed_by_a_signal_is_told() -> None:
    [outcome] = run_isolated([point("killed")], work, 10)

    assert outcome.problem == "the process importing it was killed by SIGKILL"


def test_a_hang_is_stopped_at_the_time_limit() -> None:
    started = time.monotonic()
    hung, after = run_isolated([point("hangs"), point("one")], work, 0.3)

    assert hung.problem == "it was still importing after 0.3 s, the import_timeout limit"
    assert after.record is not None and after.record["name"] == "one"
    assert time.monotonic() - started < 10


def test_the_time_limit_counts_from_the_previous_record() -> None:
    def slow(entry_point: EntryPointInfo) -> dict[str, Any]:
        time.sleep(0.2)
        return {}

    outcomes = run_isolated([point(f"one{n}") for n in range(4)], slow, 0.5)  # 0.8 s in all, 0.2 s each

    assert [outcome.problem for outcome in outcomes] == ["", "", "", ""]


def test_entry_points_of_a_module_that_stopped_the_child_share_its_outcome_without_another_try(
    tmp_path: Path,
) -> None:
    tries = tmp_path / "tries"

    def counted(entry_point: EntryPointInfo) -> dict[str, Any]:
        with tries.open("a") as file:
            file.write(entry_point.name + "\n")
        return work(entry_point)

    entry_points = [point("hangs", "shared"), point("hangs2", "shared"), point("one")]
    outcomes = run_isolated(entry_points, counted, 0.3)

    assert [outcome.problem for outcome in outcomes[:2]] == [outcomes[0].problem] * 2
    assert outcomes[0].problem.startswith("it was still importing")
    assert outcomes[2].record is not None
    assert tries.read_text() == "hangs\none\n"


def test_a_failure_of_the_work_itself_is_told_and_the_same_child_goes_on() -> None:
    failed, after = run_isolated([point("raises"), point("one")], work, 10)

    assert failed == Outcome(point("raises"), None, "it could not be examined (ValueError: boom)")
    assert after.record is not None


def test_what_the_child_prints_goes_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    run_isolated([point("prints")], work, 10)

    out, err = capfd.readouterr()
    assert out == ""
    assert "printed by the plugin\n" in err
    assert "written to descriptor 1\n" in err
    assert err.endswith("a line not ended yet")


def test_no_time_limit_still_contains_an_exit() -> None:
    [outcome] = run_isolated([point("exits")], work, 0)

    assert outcome.record is None and "status 5" in outcome.problem


def test_the_trace_says_what_went_to_a_child_and_what_stopped_it() -> None:
    stream = io.StringIO()
    run_isolated([point("one"), point("exits")], work, 2.5, PluginTrace(stream, "myapp"))

    assert stream.getvalue().splitlines() == [
        "myapp: plugins: importing 2 entry points in a child process (2.5 s each)",
        "myapp: plugins: import stopped: 'exits = mod_exits:Cmd' (myapp.commands) of myapp-test: "
        "it ended the process with status 5 while being imported",
    ]


def test_nothing_to_do_starts_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fork", None)

    assert run_isolated([], work, 10) == []


def test_without_a_safe_fork_the_work_is_done_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "can_fork", lambda: False)

    [outcome] = run_isolated([point("one")], work, 10)

    assert outcome.record == {"name": "one", "pid": os.getpid()}


def test_a_failed_fork_does_the_rest_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fail)

    [outcome] = run_isolated([point("one")], work, 10)

    assert outcome.record == {"name": "one", "pid": os.getpid()}


def test_a_process_with_another_thread_running_does_not_fork() -> None:
    assert can_fork()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


# --- several children at once ----------------------------------------------------------------------


def test_many_entry_points_are_shared_by_one_child_per_processor_whole_packages_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(isolation, "_processors", lambda: 2)
    entry_points = [point(f"one{n}", f"package{n // 3}.module{n % 2}") for n in range(30)]  # 10 packages of 3

    outcomes = run_isolated(entry_points, work, 10)

    assert [outcome.record and outcome.record["name"] for outcome in outcomes] == [f"one{n}" for n in range(30)]
    pids: dict[str, set[int]] = {}
    for outcome in outcomes:
        assert outcome.record is not None
        pids.setdefault(outcome.entry_point.module.partition(".")[0], set()).add(outcome.record["pid"])
    assert all(len(used) == 1 for used in pids.values())  # a package is imported in one child only
    assert len(set.union(*pids.values())) == 2


def test_a_child_that_ends_stops_only_its_own_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_processors", lambda: 2)
    entry_points = [point(f"one{n}", f"package{n}") for n in range(20)]
    entry_points[3] = point("hangs", "package3")

    started = time.monotonic()
    outcomes = run_isolated(entry_points, work, 0.5)

    assert [index for index, outcome in enumerate(outcomes) if outcome.record is None] == [3]
    assert time.monotonic() - started < 10


def test_few_entry_points_go_to_one_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_processors", lambda: 8)

    outcomes = run_isolated([point(f"one{n}") for n in range(15)], work, 10)

    assert len({outcome.record and outcome.record["pid"] for outcome in outcomes}) == 1


# --- the lines a child sends -----------------------------------------------------------------------


def lane_after(*lines: bytes) -> tuple[bool, dict[int, Outcome], list[int]]:
    """Feed *lines* to a lane that waits for the records of three entry points: kept?, what was found, what is left."""
    found: dict[int, Outcome] = {}
    run = isolation._Run([point("one"), point("two"), point("three")], work, 10, None, found)
    lane = isolation._Lane([0, 1, 2])
    return run._take(lane, list(lines)), found, lane.todo


def test_records_are_taken_in_order_with_what_the_work_returned_or_its_problem() -> None:
    kept, found, left = lane_after(b'{"index": 0, "record": {"a": 1}}', b'{"index": 1, "problem": "it could not"}')

    assert kept
    assert found == {0: Outcome(point("one"), {"a": 1}), 1: Outcome(point("two"), None, "it could not")}
    assert left == [2]


@pytest.mark.parametrize("line", [b"garbage", b"[1, 2]", b'{"index": 2, "record": {}}', b'{"record": {}}'], ids=str)
def test_a_line_that_is_not_the_next_record_fails_the_entry_point_being_imported(line: bytes) -> None:
    kept, found, left = lane_after(b'{"index": 0, "record": {}}', line)

    assert not kept
    assert found[1] == Outcome(
        point("two"), None, "its process sent something other than a record while it was being imported"
    )
    assert left == [2]
