"""The process-wide switches: gc, SIGTERM, NO_COLOR, and cliff's table of which distribution a package comes from."""

from __future__ import annotations

import gc
import os
import signal
import types
from collections.abc import Iterator

import pytest
from cliff import command as cliff_command

from myapp import _process
from myapp.errors import ExitCode, Terminated


def module_named(name: str) -> types.ModuleType:
    return types.ModuleType(name)


@pytest.fixture
def fresh_cliff_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cliff_command, "_dists_by_mods", None)


@pytest.mark.usefixtures("fresh_cliff_table")
def test_cliff_is_told_the_distribution_of_a_package_without_scanning(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> dict[str, list[str]]:
        raise AssertionError("packages_distributions() scans every installed distribution")

    monkeypatch.setattr("importlib.metadata.packages_distributions", forbidden)
    _process.tell_cliff_distribution("acme_tools", "acme-tools")

    assert cliff_command._get_distribution_for_module(module_named("acme_tools.commands")) == "acme-tools"


@pytest.mark.usefixtures("fresh_cliff_table")
def test_cliff_still_answers_truly_for_a_package_it_was_not_told_about() -> None:
    _process.tell_cliff_distribution("acme_tools", "acme-tools")

    # what cliff itself would answer: pytest's package comes from the pytest distribution
    assert cliff_command._get_distribution_for_module(module_named("_pytest.main")) == "pytest"
    assert cliff_command._get_distribution_for_module(module_named("no_such_package_anywhere")) is None


@pytest.mark.usefixtures("fresh_cliff_table")
def test_the_installed_metadata_is_read_once_for_every_package_not_told(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[bool] = []

    def counted() -> dict[str, list[str]]:
        reads.append(True)
        return {"one": ["dist-one"], "two": ["dist-two"]}

    monkeypatch.setattr("importlib.metadata.packages_distributions", counted)
    _process.tell_cliff_distribution("told", "told-dist")

    answers = [cliff_command._get_distribution_for_module(module_named(name)) for name in ("one", "two", "told")]

    assert answers == ["dist-one", "dist-two", "told-dist"]
    assert reads == [True]


@pytest.fixture
def collector_state() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_state")
def test_a_paused_collector_resumes_with_start_up_objects_frozen() -> None:
    _process.pause_garbage_collection()
    assert not gc.isenabled()
    frozen_before = gc.get_freeze_count()

    _process.resume_garbage_collection()

    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen_before


@pytest.mark.usefixtures("collector_state")
def test_a_collector_nobody_paused_is_left_alone() -> None:
    gc.enable()
    frozen_before = gc.get_freeze_count()

    _process.resume_garbage_collection()

    assert gc.get_freeze_count() == frozen_before


def test_sigterm_raises_terminated_so_clean_up_runs() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    try:
        _process.stop_on_termination_signals()
        with pytest.raises(Terminated):
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs as soon as kill returns
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_sighup_raises_terminated_that_exits_129() -> None:
    previous = signal.getsignal(signal.SIGHUP), signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        _process.stop_on_termination_signals()
        with pytest.raises(Terminated) as caught:
            os.kill(os.getpid(), signal.SIGHUP)
    finally:
        signal.signal(signal.SIGHUP, previous[0])
        signal.signal(signal.SIGTERM, previous[1])

    assert caught.value.exit_code == ExitCode.HANGUP == 129
    assert Terminated(signal.SIGTERM).exit_code == Terminated().exit_code == ExitCode.TERMINATED


def test_an_ignored_sighup_stays_ignored_as_nohup_asked() -> None:
    previous = signal.getsignal(signal.SIGHUP), signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        _process.stop_on_termination_signals()
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def test_no_colour_is_asked_of_the_programs_the_process_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)

    _process.ask_for_no_colour()

    assert os.environ["NO_COLOR"] == "1"


def test_stevedore_is_served_the_given_entry_points() -> None:
    from importlib.metadata import EntryPoint

    import stevedore

    found = [EntryPoint("table", "cliff.formatters.table:TableFormatter", "myapp.test.formatters")]

    _process.serve_entry_points("myapp.test.formatters", iter(found))

    assert stevedore.ExtensionManager.ENTRY_POINT_CACHE["myapp.test.formatters"] == found
