"""--debug-plugins' trace: off by default at no cost, and what it says about imports and hooks."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator

import pytest

from myapp import pluginlog
from myapp._loading import import_target
from myapp.discovery import EntryPointInfo
from myapp.errors import PluginLoadError


@pytest.fixture(autouse=True)
def _stopped() -> Iterator[None]:
    yield
    pluginlog.stop()


def test_off_by_default_and_importing_does_nothing() -> None:
    entry_point = EntryPointInfo("dumps", "json:dumps", "myapp.commands", "somedist", "1.0")

    assert pluginlog.observer() is None
    assert isinstance(pluginlog.importing(entry_point), contextlib.nullcontext)


def test_an_import_is_reported_with_its_entry_point_plugin_and_duration() -> None:
    stream = io.StringIO()
    pluginlog.start(stream, "acme")

    import_target(EntryPointInfo("dumps", "json:dumps", "acme.commands", "somedist", "1.0"))

    assert re.fullmatch(
        r"acme: plugins: imported 'dumps = json:dumps' \(acme.commands\) of somedist in \d+\.\d ms\n",
        stream.getvalue(),
    )


def test_a_failed_import_is_reported_with_the_original_error() -> None:
    stream = io.StringIO()
    pluginlog.start(stream, "acme")

    with pytest.raises(PluginLoadError):
        import_target(EntryPointInfo("gone", "no_such_module_here:x", "acme.commands", "somedist", "1.0"))

    assert "import failed: 'gone = no_such_module_here:x'" in stream.getvalue()
    assert stream.getvalue().rstrip().endswith("(ModuleNotFoundError)")


def test_hook_calls_are_reported_with_outcome_and_duration() -> None:
    stream = io.StringIO()
    trace = pluginlog.start(stream, "acme")

    trace.hook_ran("pre_command", "dist:ok", 0.0012, None)
    trace.hook_ran("post_command", "dist:bad", 0.5, "hook exploded")

    assert stream.getvalue().splitlines() == [
        "acme: plugins: hook pre_command: dist:ok: ok in 1.2 ms",
        "acme: plugins: hook post_command: dist:bad: failed: hook exploded in 500.0 ms",
    ]


def test_stop_ends_the_trace() -> None:
    pluginlog.start(io.StringIO(), "acme")
    pluginlog.stop()

    assert pluginlog.observer() is None
