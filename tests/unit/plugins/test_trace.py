"""--debug-plugins' trace: off by default at no cost, and what it says about imports and hooks."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from cliff.command import Command

from myapp.errors import PluginLoadError
from myapp.index.records import EntryPointInfo
from myapp.plugins.loading import import_target
from myapp.plugins.trace import PluginTrace, importing
from myapp.testing import FakePlugin, run


def test_off_by_default_and_importing_does_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    entry_point = EntryPointInfo("dumps", "json:dumps", "myapp.commands", "somedist", "1.0")

    assert isinstance(importing(None, entry_point), contextlib.nullcontext)
    import_target(entry_point)
    assert capsys.readouterr() == ("", "")


def test_an_import_is_reported_with_its_entry_point_plugin_and_duration() -> None:
    stream = io.StringIO()
    trace = PluginTrace(stream, "acme")

    import_target(EntryPointInfo("dumps", "json:dumps", "acme.commands", "somedist", "1.0"), trace=trace)

    assert re.fullmatch(
        r"acme: plugins: imported 'dumps = json:dumps' \(acme.commands\) of somedist in \d+\.\d ms\n",
        stream.getvalue(),
    )


def test_a_failed_import_is_reported_with_the_original_error() -> None:
    stream = io.StringIO()
    trace = PluginTrace(stream, "acme")

    with pytest.raises(PluginLoadError):
        import_target(EntryPointInfo("gone", "no_such_module_here:x", "acme.commands", "somedist", "1.0"), trace=trace)

    assert "import failed: 'gone = no_such_module_here:x'" in stream.getvalue()
    assert stream.getvalue().rstrip().endswith("(ModuleNotFoundError)")


def test_hook_calls_are_reported_with_outcome_and_duration() -> None:
    stream = io.StringIO()
    trace = PluginTrace(stream, "acme")

    trace.hook_ran("pre_command", "dist:ok", 0.0012, None)
    trace.hook_ran("post_command", "dist:bad", 0.5, "hook exploded")

    assert stream.getvalue().splitlines() == [
        "acme: plugins: hook pre_command: dist:ok: ok in 1.2 ms",
        "acme: plugins: hook post_command: dist:bad: failed: hook exploded in 500.0 ms",
    ]


def test_a_traced_run_leaves_no_trace_to_the_next_run_in_the_process() -> None:
    class Hello(Command):
        def take_action(self, parsed_args: object) -> int:
            return 0

    plugin = FakePlugin("traced-plugin", commands={"hello": Hello})

    traced = run(["--debug-plugins", "hello"], plugins=[plugin])
    untraced = run(["hello"], plugins=[plugin])

    assert "plugins: imported" in traced.stderr
    assert "plugins:" not in untraced.stderr


def test_one_plugin_with_one_entry_point_is_counted_in_the_singular() -> None:
    class Hello(Command):
        def take_action(self, parsed_args: object) -> int:
            return 0

    one = run(["--debug-plugins", "hello"], plugins=[FakePlugin("lone-plugin", commands={"hello": Hello})])
    two = run(
        ["--debug-plugins", "hello"],
        plugins=[
            FakePlugin("pair-plugin", commands={"hello": Hello}),
            FakePlugin("other-plugin", commands={"bye": Hello}),
        ],
    )

    assert "plugins: discovered 1 plugin distribution with 1 entry point\n" in one.stderr
    assert "plugins:   lone-plugin 1.0: 1 entry point; runs\n" in one.stderr
    assert "plugins: discovered 2 plugin distributions with 2 entry points\n" in two.stderr
