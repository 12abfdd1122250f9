"""Firing events: Python hooks in order then scripts, the failure policy, tracing and ``_source`` hooks."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from myapp.errors import ExitCode, HookAbort, MyappError, PluginLoadError
from myapp.hooks import runner as hookrunner
from myapp.hooks.context import HookContext, HookFailure, LoadedHook, hook
from myapp.hooks.order import HookOrderError
from myapp.hooks.runner import HookPolicy, HookRunner
from myapp.hooks.scripts import HookScriptError
from myapp.identity import MYAPP
from myapp.index.discovery import load_index
from myapp.index.pluginindex import PluginIndex
from myapp.index.records import EntryPointInfo
from myapp.plugins.trace import PluginTrace
from tests.helpers.distributions import Distribution

HERE = __name__
#: Where Python hooks and hook scripts of one test append a line each, so their order shows.
LOG_VARIABLE = "HOOKRUNNER_TEST_LOG"


class Recorder:
    """The app a context carries; the hooks here note what they saw on it."""

    def __init__(self) -> None:
        self.calls: list[str] = []


# Hook targets the in-memory index points at.


def first(context: HookContext) -> None:
    context.app.calls.append(f"first:{context.event}")


@hook(priority=10)
def urgent(context: HookContext) -> None:
    context.app.calls.append(f"urgent:{context.event}")


def last(context: HookContext) -> None:
    context.app.calls.append(f"last:{context.event}")


def explode(context: HookContext) -> None:
    context.app.calls.append("explode")
    raise ValueError("boom")


def veto(context: HookContext) -> None:
    context.app.calls.append("veto")
    raise HookAbort("not today", hint="try tomorrow")


def log_line(context: HookContext) -> None:
    with open(os.environ[LOG_VARIABLE], "a") as log:
        log.write(f"python:{context.event}\n")


def export_a(context: HookContext) -> str:
    context.app.calls.append(f"export_a:{context.event}")
    return "export A=1"


def export_b(context: HookContext) -> str:
    return "export B=2\n"


def number(context: HookContext) -> int:
    return 42


def blank(context: HookContext) -> str:
    return "  \n"


def no_shell_code(context: HookContext) -> str:
    raise RuntimeError("no shell code")


@hook(after=["b-dist"])
def cyclic_a(context: HookContext) -> None:
    context.app.calls.append("cyclic_a")


@hook(after=["a-dist"])
def cyclic_b(context: HookContext) -> None:
    context.app.calls.append("cyclic_b")


# Building blocks.


def entry(event: str, target: str, distribution: str = "myapp-test") -> EntryPointInfo:
    return EntryPointInfo(target, f"{HERE}:{target}", MYAPP.hook_namespace(event), distribution, "1.0")


def index_of(*entry_points: EntryPointInfo) -> PluginIndex:
    """An in-memory index with one row per distribution, in the order given."""
    distributions = dict.fromkeys(ep.distribution for ep in entry_points)
    rows = tuple((name, "1.0", "", f"/site/{name}.dist-info", ()) for name in distributions)
    groups: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    for ep in entry_points:
        groups.setdefault(ep.group, {}).setdefault(ep.name, []).append((ep.value, ep.distribution, ep.version))
    return PluginIndex((), rows, groups)


def runner_of(
    index: PluginIndex | None,
    hook_dir: Path,
    is_allowed: Callable[[EntryPointInfo], bool] = lambda entry_point: True,
    **policy: object,
) -> HookRunner:
    return HookRunner(MYAPP, index, is_allowed, HookPolicy(hook_dir=hook_dir, **policy))  # type: ignore[arg-type]


def context_for(event: str) -> HookContext:
    return HookContext(event, Recorder(), "thing", ("thing", "--flag"))  # type: ignore[arg-type]


def logged(error: MyappError) -> str:
    """What the runner logs for a failure that does not stop the command: its line, then its hint."""
    return f"{error.message}\nhint: {error.hint}" if error.hint else error.message


def calls(context: HookContext) -> list[str]:
    return context.app.calls  # type: ignore[attr-defined, no-any-return]


def script(folder: Path, name: str, body: str, mode: int = 0o755) -> Path:
    path = folder / name
    path.write_text(body)
    path.chmod(mode)
    return path


@pytest.fixture
def hook_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "hooks"
    folder.mkdir(mode=0o700)
    return folder


# --- running in order ----------------------------------------------------------------------------


def test_python_hooks_run_in_order_then_scripts(
    hook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log"
    monkeypatch.setenv(LOG_VARIABLE, str(log))
    script(hook_dir, "pre_thing", f'#!/bin/sh\necho "script:$MYAPP_EVENT" >> "${LOG_VARIABLE}"\n')
    index = index_of(entry("pre_thing", "first", "b-dist"), entry("pre_thing", "log_line", "a-dist"))
    runner = runner_of(index, hook_dir)
    context = context_for("pre_command")

    assert runner.fire("pre_thing", context) == []

    assert calls(context) == ["first:pre_thing"]
    assert log.read_text() == "python:pre_thing\nscript:pre_thing\n"
    assert context.event == "pre_thing"


def test_python_hooks_follow_priority_then_distribution(hook_dir: Path) -> None:
    index = index_of(
        entry("pre_thing", "last", "c-dist"), entry("pre_thing", "first", "b-dist"), entry("pre_thing", "urgent", "z")
    )
    context = context_for("pre_thing")

    runner_of(index, hook_dir).fire("pre_thing", context)

    assert calls(context) == ["urgent:pre_thing", "first:pre_thing", "last:pre_thing"]


def test_config_order_from_the_policy_applies_to_its_event_only(hook_dir: Path) -> None:
    index = index_of(
        entry("pre_thing", "first", "a-dist"),
        entry("pre_thing", "last", "b-dist"),
        entry("post_thing", "first", "a-dist"),
        entry("post_thing", "last", "b-dist"),
    )
    runner = runner_of(index, hook_dir, order={"pre_thing": ("b-dist",)})

    assert [p.hook.label for p in runner.python_hooks("pre_thing")] == ["b-dist:last", "a-dist:first"]
    assert [p.hook.label for p in runner.python_hooks("post_thing")] == ["a-dist:first", "b-dist:last"]


def test_without_plugins_only_scripts_run(hook_dir: Path, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    script(hook_dir, "post_thing", f"#!/bin/sh\ntouch {ran}\n")
    runner = runner_of(None, hook_dir)

    assert runner.python_hooks("post_thing") == []
    assert runner.fire("post_thing", context_for("post_thing")) == []
    assert ran.exists()


def test_safe_mode_runs_no_scripts_but_still_the_python_hooks_it_is_given(hook_dir: Path, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    for event in ("pre_thing", "post_thing"):
        script(hook_dir, event, f"#!/bin/sh\ntouch {ran}\n")
    runner = runner_of(index_of(entry("post_thing", "first")), hook_dir, safe_mode=True)
    context = context_for("post_thing")

    assert runner.scripts("pre_thing") == runner.scripts("post_thing") == []
    assert runner.fire("pre_thing", context_for("pre_thing")) == []
    assert runner.fire("post_thing", context) == []
    assert calls(context) == ["first:post_thing"]
    assert not ran.exists()


def test_without_safe_mode_the_same_scripts_are_found(hook_dir: Path) -> None:
    path = script(hook_dir, "pre_thing", "#!/bin/sh\nexit 0\n")

    assert [s.path for s in runner_of(None, hook_dir).scripts("pre_thing")] == [path]
    assert HookPolicy().safe_mode is False


def test_scripts_live_in_the_config_dir_unless_the_policy_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path / "config"))

    assert HookRunner(MYAPP, None, lambda ep: True, HookPolicy()).script_directory == tmp_path / "config" / "hooks"
    assert runner_of(None, tmp_path / "mine").script_directory == tmp_path / "mine"


@pytest.mark.parametrize("source", ["policy", "config dir"])
def test_a_relative_scripts_folder_is_refused_with_one_warning_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, source: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "pre_thing").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "hooks" / "pre_thing").chmod(0o755)
    if source == "policy":
        runner = runner_of(None, Path("hooks"))
    else:
        monkeypatch.setenv("MYAPP_CONFIG_DIR", ".")
        runner = HookRunner(MYAPP, None, lambda ep: True, HookPolicy())

    failures = runner.fire("pre_thing", HookContext("pre_thing", None))  # type: ignore[arg-type]
    runner.fire("post_thing", HookContext("post_thing", None))  # type: ignore[arg-type]

    assert (failures, runner.script_directory, runner.scripts("pre_thing")) == ([], None, [])
    folder = "hooks" if source == "policy" else os.path.join(".", "hooks")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"ignoring hook folder '{Path(folder)}': give an absolute path (or start it with ~)"
    ]


# --- failures before a command -------------------------------------------------------------------


def test_pre_event_failure_stops_the_event_when_the_policy_is_fail(hook_dir: Path) -> None:
    index = index_of(entry("pre_thing", "explode", "a-dist"), entry("pre_thing", "last", "b-dist"))
    context = context_for("pre_thing")

    with pytest.raises(
        HookFailure, match=r"^hook 'a-dist:explode' of plugin 'a-dist 1.0' failed \(ValueError: boom\)$"
    ):
        runner_of(index, hook_dir).fire("pre_thing", context)

    assert calls(context) == ["explode"]


def test_pre_event_failure_is_warned_and_returned_when_the_policy_is_warn(
    hook_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = index_of(entry("pre_thing", "explode", "a-dist"), entry("pre_thing", "last", "b-dist"))
    context = context_for("pre_thing")

    failures = runner_of(index, hook_dir, on_failure="warn").fire("pre_thing", context)

    assert [type(f) for f in failures] == [HookFailure]
    assert calls(context) == ["explode", "last:pre_thing"]
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("myapp.hooks.runner", logging.WARNING, logged(failures[0]))
    ]
    assert caplog.records[0].exc_info is None


def test_broken_pre_event_hook_stops_the_event_with_its_load_error(hook_dir: Path) -> None:
    broken = EntryPointInfo("broken", "myapp_tests_no_such_module:hook", MYAPP.hook_namespace("pre_thing"), "bad", "1")
    context = context_for("pre_thing")

    with pytest.raises(PluginLoadError, match="ModuleNotFoundError") as raised:
        runner_of(index_of(broken, entry("pre_thing", "last")), hook_dir).fire("pre_thing", context)

    assert raised.value.exit_code == ExitCode.PLUGIN
    assert calls(context) == []


@pytest.mark.parametrize("on_failure", ["fail", "warn"])
def test_hook_abort_always_stops_a_pre_event(hook_dir: Path, on_failure: str) -> None:
    index = index_of(entry("pre_thing", "veto", "a-dist"), entry("pre_thing", "last", "b-dist"))
    context = context_for("pre_thing")

    with pytest.raises(HookAbort) as raised:
        runner_of(index, hook_dir, on_failure=on_failure).fire("pre_thing", context)

    assert raised.value.message == "hook 'a-dist:veto' stopped the command: not today"
    assert raised.value.hint == "try tomorrow"
    assert calls(context) == ["veto"]


@pytest.mark.parametrize("on_failure", ["fail", "warn"])
def test_pre_event_script_with_nonzero_exit_always_stops_the_command(hook_dir: Path, on_failure: str) -> None:
    script(hook_dir, "initialize", "#!/bin/sh\nexit 1\n")

    with pytest.raises(HookAbort, match=r"stopped the command \(exit status 1\)"):
        runner_of(None, hook_dir, on_failure=on_failure).fire("initialize", context_for("initialize"))


# --- around a command ----------------------------------------------------------------------------


def test_the_events_around_a_command_nest_the_general_ones_outermost(hook_dir: Path) -> None:
    events = ("pre_command", "pre_thing", "post_thing", "post_command")
    runner = runner_of(index_of(*(entry(event, "first") for event in events)), hook_dir)
    context = context_for("pre_command")

    def run() -> int:
        calls(context).append("command")
        return 3

    result, error, failures = runner.around_command(context, run, lambda caught: 99)

    assert (result, error, failures) == (3, None, [])
    assert calls(context) == [
        "first:pre_command",
        "first:pre_thing",
        "command",
        "first:post_thing",
        "first:post_command",
    ]
    assert (context.exit_code, context.exception) == (3, None)


def test_a_stopped_command_is_reported_and_its_post_events_still_fire(hook_dir: Path) -> None:
    index = index_of(
        entry("pre_thing", "veto", "a-dist"), entry("post_command", "last"), entry("post_thing", "explode")
    )
    context = context_for("pre_command")
    reported: list[BaseException] = []

    def report(caught: BaseException) -> int:
        reported.append(caught)
        return ExitCode.HOOK_ABORT

    result, error, failures = runner_of(index, hook_dir).around_command(context, lambda: 0, report)

    assert isinstance(error, HookAbort) and reported == [error]
    assert result == context.exit_code == ExitCode.HOOK_ABORT
    assert context.exception is error
    assert calls(context) == ["veto", "explode", "last:post_command"]
    assert [type(failure) for failure in failures] == [HookFailure]


# --- failures after a command --------------------------------------------------------------------


def test_post_event_failures_are_logged_as_errors_and_returned(
    hook_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    script(hook_dir, "post_thing", "#!/bin/sh\nexit 5\n")
    index = index_of(
        entry("post_thing", "explode", "a-dist"),
        entry("post_thing", "veto", "b-dist"),
        entry("post_thing", "last", "c"),
    )
    context = context_for("post_thing")

    failures = runner_of(index, hook_dir).fire("post_thing", context)

    assert [type(f) for f in failures] == [HookFailure, HookAbort, HookScriptError]
    assert calls(context) == ["explode", "veto", "last:post_thing"]
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(logging.ERROR, logged(f)) for f in failures]
    assert failures[2].message.endswith("failed (exit status 5)")


def test_debug_policy_logs_the_hooks_traceback(hook_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    runner = runner_of(index_of(entry("post_thing", "explode")), hook_dir, debug=True)

    runner.fire("post_thing", context_for("post_thing"))

    (record,) = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError


# --- which hooks load, and when ------------------------------------------------------------------


def test_hooks_that_are_not_allowed_are_neither_loaded_nor_run(hook_dir: Path) -> None:
    broken = EntryPointInfo("x", "myapp_tests_no_such_module:x", MYAPP.hook_namespace("pre_thing"), "myapp-off", "1")
    index = index_of(broken, entry("pre_thing", "urgent", "myapp-off"), entry("pre_thing", "first", "myapp-on"))
    context = context_for("pre_thing")
    runner = runner_of(index, hook_dir, lambda entry_point: entry_point.distribution != "myapp-off")

    assert runner.fire("pre_thing", context) == []

    assert calls(context) == ["first:pre_thing"]
    assert [p.hook.label for p in runner.python_hooks("pre_thing")] == ["myapp-on:first"]


COUNTED = Distribution(
    name="myapp-counted",
    files={
        "myapp_tests_counted/__init__.py": "",
        "myapp_tests_counted/pre.py": """
            import os
            import pathlib

            with pathlib.Path(os.environ["MYAPP_TEST_MARKER_DIR"], "pre.imported").open("a") as marker:
                marker.write("imported\\n")


            def hook(context):
                context.app.calls.append("counted:" + context.event)
        """,
        "myapp_tests_counted/post.py": """
            import os
            import pathlib

            pathlib.Path(os.environ["MYAPP_TEST_MARKER_DIR"], "post.imported").touch()


            def hook(context):
                context.app.calls.append("post")
        """,
    },
    entry_points={
        "myapp.hooks.pre_thing": {"counted": "myapp_tests_counted.pre:hook"},
        "myapp.hooks.post_thing": {"counted": "myapp_tests_counted.post:hook"},
    },
)


@pytest.fixture
def counted_runner(install: Callable[[Distribution], Path], site_dir: Path, hook_dir: Path) -> HookRunner:
    install(COUNTED)
    return runner_of(load_index(MYAPP.namespace_prefix, None, [str(site_dir)]), hook_dir)


def test_hooks_of_an_event_are_loaded_once_per_runner(
    counted_runner: HookRunner, marker_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    load_hook = hookrunner.load_hook

    def counting_load_hook(entry_point: EntryPointInfo, trace: PluginTrace | None = None) -> LoadedHook:
        loads.append(entry_point.name)
        return load_hook(entry_point, trace)

    monkeypatch.setattr(hookrunner, "load_hook", counting_load_hook)
    context = context_for("pre_thing")

    counted_runner.fire("pre_thing", context)
    counted_runner.fire("pre_thing", context)

    assert loads == ["counted"]
    assert calls(context) == ["counted:pre_thing", "counted:pre_thing"]
    assert (marker_dir / "pre.imported").read_text() == "imported\n"


def test_events_without_hooks_import_nothing(counted_runner: HookRunner, marker_dir: Path) -> None:
    assert counted_runner.fire("pre_other", context_for("pre_other")) == []
    assert counted_runner.python_hooks("pre_other") == []
    assert list(marker_dir.iterdir()) == []
    assert "myapp_tests_counted.pre" not in sys.modules


def test_only_the_hooks_of_the_event_that_fires_are_imported(counted_runner: HookRunner, marker_dir: Path) -> None:
    counted_runner.fire("pre_thing", context_for("pre_thing"))

    assert [p.name for p in marker_dir.iterdir()] == ["pre.imported"]
    assert "myapp_tests_counted.post" not in sys.modules


def test_a_cycle_among_pre_event_hooks_stops_the_event(hook_dir: Path) -> None:
    index = index_of(entry("pre_thing", "cyclic_a", "a-dist"), entry("pre_thing", "cyclic_b", "b-dist"))

    with pytest.raises(HookOrderError, match="a-dist:cyclic_a") as raised:
        runner_of(index, hook_dir).fire("pre_thing", context_for("pre_thing"))

    assert raised.value.exit_code == ExitCode.PLUGIN


def test_a_cycle_is_reported_every_time_the_event_fires(hook_dir: Path) -> None:
    index = index_of(entry("pre_thing", "cyclic_a", "a-dist"), entry("pre_thing", "cyclic_b", "b-dist"))
    runner = runner_of(index, hook_dir)
    with pytest.raises(HookOrderError):
        runner.fire("pre_thing", context_for("pre_thing"))

    with pytest.raises(HookOrderError):
        runner.fire("pre_thing", context_for("pre_thing"))
    with pytest.raises(HookOrderError):
        runner.python_hooks("pre_thing")


def test_a_cycle_among_post_event_hooks_is_reported_and_returned(
    hook_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = index_of(entry("post_thing", "cyclic_a", "a-dist"), entry("post_thing", "cyclic_b", "b-dist"))
    runner = runner_of(index, hook_dir)
    context = context_for("post_thing")

    failures = runner.fire("post_thing", context)
    again = runner.fire("post_thing", context)

    assert [type(f) for f in failures] == [type(f) for f in again] == [HookOrderError]
    assert calls(context) == []
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("myapp.hooks.runner", logging.ERROR, logged(failures[0])),
        ("myapp.hooks.runner", logging.ERROR, logged(again[0])),
    ]


def test_a_cycle_in_one_post_event_leaves_the_other_events_alone(hook_dir: Path) -> None:
    index = index_of(
        entry("post_thing", "cyclic_a", "a-dist"),
        entry("post_thing", "cyclic_b", "b-dist"),
        entry("post_command", "first", "a-dist"),
    )
    runner = runner_of(index, hook_dir)
    context = context_for("post_thing")

    runner.fire("post_thing", context)

    assert runner.fire("post_command", context) == []
    assert calls(context) == ["first:post_command"]


def test_a_cycle_among_source_hooks_of_a_post_event_is_reported_and_returned(
    hook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYAPP_SOURCE_FILE", str(tmp_path / "source.sh"))
    index = index_of(entry("post_thing_source", "cyclic_a", "a-dist"), entry("post_thing_source", "cyclic_b", "b-dist"))

    failures = runner_of(index, hook_dir).fire("post_thing", context_for("post_thing"))

    assert [type(f) for f in failures] == [HookOrderError]


# --- tracing -------------------------------------------------------------------------------------


def test_trace_gets_one_line_per_hook_with_its_outcome_and_time(hook_dir: Path) -> None:
    script(hook_dir, "post_thing", "#!/bin/sh\nexit 0\n")
    index = index_of(entry("post_thing", "first", "a-dist"), entry("post_thing", "explode", "b-dist"))
    lines: list[str] = []

    failures = runner_of(index, hook_dir).fire("post_thing", context_for("post_thing"), trace=lines.append)

    assert len(lines) == 3
    assert re.fullmatch(r"post_thing: a-dist:first: ok \(\d+\.\d ms\)", lines[0])
    assert re.fullmatch(rf"post_thing: b-dist:explode: {re.escape(failures[0].message)} \(\d+\.\d ms\)", lines[1])
    assert re.fullmatch(r"post_thing: script:post_thing: ok \(\d+\.\d ms\)", lines[2])


# --- _source hooks -------------------------------------------------------------------------------

SOURCE_HOOKS = (
    entry("post_thing_source", "export_a", "a-dist"),
    entry("post_thing_source", "number", "b-dist"),
    entry("post_thing_source", "blank", "c-dist"),
    entry("post_thing_source", "export_b", "d-dist"),
)


def test_source_hooks_append_their_shell_code_to_the_source_file(
    hook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_file = tmp_path / "source.sh"
    source_file.write_text("# before\n")
    monkeypatch.setenv("MYAPP_SOURCE_FILE", str(source_file))
    index = index_of(entry("post_thing", "first"), *SOURCE_HOOKS)
    context = context_for("post_thing")

    assert runner_of(index, hook_dir).fire("post_thing", context) == []

    assert source_file.read_text() == "# before\nexport A=1\nexport B=2\n"
    assert calls(context) == ["first:post_thing", "export_a:post_thing_source"]
    assert context.event == "post_thing"


def test_failing_source_hooks_are_warned_and_returned_even_before_a_command(
    hook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    source_file = tmp_path / "source.sh"
    monkeypatch.setenv("MYAPP_SOURCE_FILE", str(source_file))
    index = index_of(entry("pre_thing_source", "no_shell_code", "a-dist"), entry("pre_thing_source", "export_b", "b"))

    failures = runner_of(index, hook_dir).fire("pre_thing", context_for("pre_thing"))

    assert [type(f) for f in failures] == [HookFailure]
    assert "(RuntimeError: no shell code)" in failures[0].message
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(logging.WARNING, logged(failures[0]))]
    assert source_file.read_text() == "export B=2\n"


def test_source_hooks_do_not_run_without_a_source_file(hook_dir: Path) -> None:
    index = index_of(entry("post_thing", "first"), *SOURCE_HOOKS)
    context = context_for("post_thing")

    assert runner_of(index, hook_dir).fire("post_thing", context) == []

    assert calls(context) == ["first:post_thing"]


def test_source_file_is_not_created_when_no_hook_has_shell_code(
    hook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_file = tmp_path / "source.sh"
    monkeypatch.setenv("MYAPP_SOURCE_FILE", str(source_file))
    index = index_of(entry("post_thing_source", "number"), entry("post_thing_source", "blank", "b"))

    assert runner_of(index, hook_dir).fire("post_thing", context_for("post_thing")) == []

    assert not source_file.exists()
