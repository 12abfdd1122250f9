"""Hook scripts: finding them, refusing unsafe ones, their environment, and how they end."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from myapp.errors import ExitCode, HookAbort
from myapp.hooks.context import HookContext
from myapp.hooks.scripts import (
    HookScript,
    HookScriptError,
    events_with_scripts,
    find_scripts,
    run_script,
    script_candidates,
    script_environment,
    unsafe_reason,
)
from myapp.identity import MYAPP, Identity

#: The app a context carries; scripts never see it.
APP: Any = object()


def context_for(event: str, exit_code: int | None = None) -> HookContext:
    return HookContext(event, APP, "plugin list", ("plugin", "list", "--long"), exit_code=exit_code)


def script(folder: Path, name: str, body: str = "#!/bin/sh\nexit 0\n", mode: int = 0o755) -> Path:
    path = folder / name
    path.write_text(body)
    path.chmod(mode)
    return path


def run(path: Path, event: str = "pre_thing", timeout: float | None = None) -> None:
    run_script(HookScript(path), MYAPP, context_for(event, 0 if event.startswith("post") else None), timeout)


@pytest.fixture
def hook_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "hooks"
    folder.mkdir(mode=0o700)
    return folder


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o755, 0o700, 0o644, 0o500])
def test_files_only_their_owner_can_write_are_safe(hook_dir: Path, mode: int) -> None:
    assert unsafe_reason(script(hook_dir, "pre_thing", mode=mode)) == ""


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777, 0o620])
def test_files_others_can_write_are_unsafe(hook_dir: Path, mode: int) -> None:
    path = script(hook_dir, "pre_thing", mode=mode)

    assert unsafe_reason(path) == f"is writable by other users; run 'chmod go-w {path}'"


@pytest.mark.parametrize(("mode", "reason"), [(0o755, ""), (0o700, ""), (0o770, "is writable"), (0o777, "is writable")])
def test_directories_others_can_write_are_unsafe(hook_dir: Path, mode: int, reason: str) -> None:
    hook_dir.chmod(mode)

    assert unsafe_reason(hook_dir).startswith(reason)


def test_missing_file_cannot_be_read(hook_dir: Path) -> None:
    assert unsafe_reason(hook_dir / "absent") == "cannot be read (No such file or directory)"


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a file away")
def test_file_owned_by_another_user_is_unsafe(hook_dir: Path) -> None:
    path = script(hook_dir, "pre_thing")
    os.chown(path, 12345, -1)

    assert unsafe_reason(path) == "is owned by another user (uid 12345); run the tool as that user"  # not: chown 0


# --- finding scripts -----------------------------------------------------------------------------


def test_candidates_are_the_event_name_with_or_without_py(hook_dir: Path) -> None:
    plain, python = script(hook_dir, "pre_thing"), script(hook_dir, "pre_thing.py")
    script(hook_dir, "pre_thing.sh")
    script(hook_dir, "pre_other")

    assert script_candidates(hook_dir, "pre_thing") == [(plain, ""), (python, "")]


def test_no_candidates_in_a_missing_directory(tmp_path: Path) -> None:
    assert script_candidates(tmp_path / "absent", "pre_thing") == []
    assert find_scripts(tmp_path / "absent", "pre_thing") == []


@pytest.mark.parametrize("event", ["pre_x/../../outside", "../outside", "/abs/outside", ".hidden", "pre_\x00"])
def test_an_event_name_that_reads_as_a_path_finds_nothing_outside_the_folder(hook_dir: Path, event: str) -> None:
    (hook_dir / "pre_x").mkdir()
    outside = script(hook_dir.parent, "outside")
    assert outside.exists()
    script(hook_dir, ".hidden")

    assert script_candidates(hook_dir, event) == []
    assert find_scripts(hook_dir, event) == []


def test_a_directory_named_after_the_event_is_not_a_candidate(hook_dir: Path) -> None:
    (hook_dir / "pre_thing").mkdir()

    assert script_candidates(hook_dir, "pre_thing") == []


def test_non_executable_candidate_says_how_to_enable_it(hook_dir: Path) -> None:
    path = script(hook_dir, "pre_thing", mode=0o644)

    assert script_candidates(hook_dir, "pre_thing") == [(path, f"not executable; run 'chmod +x {path}' to enable it")]


def test_writable_candidate_is_refused(hook_dir: Path) -> None:
    path = script(hook_dir, "pre_thing", mode=0o777)

    ((found, problem),) = script_candidates(hook_dir, "pre_thing")

    assert found == path
    assert problem == f"refused: it is writable by other users; run 'chmod go-w {path}'"


def test_every_candidate_in_a_writable_directory_is_refused(hook_dir: Path) -> None:
    script(hook_dir, "pre_thing")
    script(hook_dir, "pre_thing.py", mode=0o644)
    hook_dir.chmod(0o777)

    problems = [problem for _, problem in script_candidates(hook_dir, "pre_thing")]

    assert problems == [f"refused: the directory is writable by other users; run 'chmod go-w {hook_dir}'"] * 2


def test_find_scripts_returns_the_runnable_ones(hook_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = script(hook_dir, "pre_thing")

    assert find_scripts(hook_dir, "pre_thing") == [HookScript(path)]
    assert caplog.records == []


def test_find_scripts_warns_about_refused_scripts(hook_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = script(hook_dir, "pre_thing", mode=0o757)

    assert find_scripts(hook_dir, "pre_thing") == []

    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            "myapp.hooks.scripts",
            logging.WARNING,
            f"not running hook script '{path}': refused: it is writable by other users; run 'chmod go-w {path}'",
        )
    ]


def test_find_scripts_skips_non_executable_ones_silently(hook_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    script(hook_dir, "pre_thing", mode=0o644)
    python = script(hook_dir, "pre_thing.py")

    assert find_scripts(hook_dir, "pre_thing") == [HookScript(python)]
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


def test_events_with_scripts_skips_hidden_files_and_templates(hook_dir: Path) -> None:
    for name in ("pre_command", "post_hello.py", "initialize", ".hidden", "pre_command.sample", "notes.txt.py"):
        script(hook_dir, name, mode=0o644)

    assert events_with_scripts(hook_dir) == {"pre_command", "post_hello", "initialize"}


def test_events_with_scripts_of_a_missing_directory_is_empty(tmp_path: Path) -> None:
    assert events_with_scripts(tmp_path / "absent") == set()


def test_events_with_scripts_ignores_sub_directories(hook_dir: Path) -> None:
    (hook_dir / "old").mkdir()
    (hook_dir / "pre_command.py").mkdir()

    assert events_with_scripts(hook_dir) == set()


def test_events_with_scripts_skips_source_events(hook_dir: Path) -> None:
    script(hook_dir, "post_command_source")
    script(hook_dir, "pre_hello_source.py")
    script(hook_dir, "post_command")

    assert events_with_scripts(hook_dir) == {"post_command"}


@pytest.mark.parametrize("name", ["post_command_source", "post_command_source.py"])
def test_no_script_runs_for_a_source_event(hook_dir: Path, name: str) -> None:
    script(hook_dir, name)

    assert script_candidates(hook_dir, "post_command_source") == []
    assert find_scripts(hook_dir, "post_command_source") == []


def test_a_script_for_the_event_itself_still_runs_beside_a_source_file(hook_dir: Path) -> None:
    script(hook_dir, "post_command_source")
    path = script(hook_dir, "post_command")

    assert script_candidates(hook_dir, "post_command") == [(path, "")]


# --- how a script is run -------------------------------------------------------------------------


def test_label_names_the_file() -> None:
    assert HookScript(Path("/hooks/pre_thing.py")).label == "script:pre_thing.py"


def test_python_scripts_run_with_this_interpreter() -> None:
    assert HookScript(Path("/hooks/pre_thing.py")).command() == [sys.executable, "/hooks/pre_thing.py"]
    assert HookScript(Path("/hooks/pre_thing")).command() == ["/hooks/pre_thing"]


def test_environment_describes_the_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNRELATED", "kept")

    environment = script_environment(MYAPP, context_for("pre_plugin_list"))

    assert environment["MYAPP_EVENT"] == "pre_plugin_list"
    assert environment["MYAPP_COMMAND"] == "plugin list"
    assert json.loads(environment["MYAPP_ARGV"]) == ["plugin", "list", "--long"]
    assert "MYAPP_EXIT_CODE" not in environment
    assert environment["UNRELATED"] == "kept"


def test_environment_after_a_command_has_its_exit_code() -> None:
    assert script_environment(MYAPP, context_for("post_plugin_list", exit_code=1))["MYAPP_EXIT_CODE"] == "1"
    assert script_environment(MYAPP, context_for("post_command", exit_code=0))["MYAPP_EXIT_CODE"] == "0"


def test_environment_gives_an_exit_code_of_the_enum_as_its_number() -> None:
    # On Python 3.10 str() of an IntEnum member is its name ('ExitCode.INTERRUPTED'), from 3.11 its number.
    context = context_for("post_command", exit_code=ExitCode.INTERRUPTED)
    assert script_environment(MYAPP, context)["MYAPP_EXIT_CODE"] == "130"


def test_environment_of_initialize_has_an_empty_command() -> None:
    context = HookContext("initialize", APP, None, ("hello",))

    assert script_environment(MYAPP, context)["MYAPP_COMMAND"] == ""


def test_environment_names_follow_the_identity() -> None:
    environment = script_environment(Identity("acme-tool"), context_for("pre_command"))

    assert environment["ACME_TOOL_EVENT"] == "pre_command"
    assert "MYAPP_EVENT" not in environment


def test_pre_event_scripts_never_see_an_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_EXIT_CODE", "1")  # e.g. myapp run from another myapp's post_command script

    assert "MYAPP_EXIT_CODE" not in script_environment(MYAPP, context_for("pre_command"))
    assert "MYAPP_EXIT_CODE" not in script_environment(MYAPP, HookContext("initialize", APP, None, ()))


def test_post_event_scripts_see_their_own_exit_code_not_an_inherited_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_EXIT_CODE", "1")

    assert script_environment(MYAPP, context_for("post_command", exit_code=0))["MYAPP_EXIT_CODE"] == "0"


def test_another_tool_s_exit_code_variable_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_EXIT_CODE", "1")  # a myapp run started acme

    environment = script_environment(Identity("acme"), context_for("pre_command"))

    assert environment["MYAPP_EXIT_CODE"] == "1"
    assert "ACME_EXIT_CODE" not in environment


def test_script_gets_the_environment(hook_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "seen.json"
    path = script(
        hook_dir,
        "post_thing.py",
        "import json, os\n"
        "names = ('MYAPP_EVENT', 'MYAPP_COMMAND', 'MYAPP_ARGV', 'MYAPP_EXIT_CODE')\n"
        f"json.dump({{name: os.environ.get(name) for name in names}}, open({str(output)!r}, 'w'))\n",
    )

    run(path, "post_thing")

    assert json.loads(output.read_text()) == {
        "MYAPP_EVENT": "post_thing",
        "MYAPP_COMMAND": "plugin list",
        "MYAPP_ARGV": '["plugin", "list", "--long"]',
        "MYAPP_EXIT_CODE": "0",
    }


@pytest.mark.parametrize("event", ["pre_thing", "post_thing", "initialize"])
def test_script_that_exits_0_is_fine(hook_dir: Path, event: str) -> None:
    run(script(hook_dir, event), event)


@pytest.mark.parametrize("event", ["pre_thing", "initialize"])
def test_nonzero_exit_before_a_command_stops_it(hook_dir: Path, event: str) -> None:
    path = script(hook_dir, event, "#!/bin/sh\nexit 3\n")

    with pytest.raises(HookAbort) as raised:
        run(path, event)

    assert raised.value.message == f"hook script '{path}' stopped the command (exit status 3)"
    assert raised.value.exit_code == ExitCode.HOOK_ABORT


def test_nonzero_exit_after_a_command_is_a_failure(hook_dir: Path) -> None:
    path = script(hook_dir, "post_thing", "#!/bin/sh\nexit 7\n")

    with pytest.raises(HookScriptError) as raised:
        run(path, "post_thing")

    assert raised.value.message == f"hook script '{path}' failed (exit status 7)"
    assert raised.value.exit_code == ExitCode.PLUGIN


@pytest.mark.parametrize("event", ["pre_thing", "post_thing"])
def test_script_killed_by_a_signal_says_which(hook_dir: Path, event: str) -> None:
    path = script(hook_dir, event, "#!/bin/sh\nkill -KILL $$\n")

    with pytest.raises(HookScriptError) as raised:
        run(path, event)

    assert raised.value.message == f"hook script '{path}' was killed by signal SIGKILL"
    assert raised.value.exit_code == ExitCode.PLUGIN


def test_script_with_a_missing_interpreter_could_not_start(hook_dir: Path) -> None:
    path = script(hook_dir, "pre_thing", "#!/nonexistent/interpreter\n")

    with pytest.raises(HookScriptError) as raised:
        run(path)

    assert raised.value.message == f"hook script '{path}' could not start (No such file or directory)"
    assert raised.value.exit_code == ExitCode.PLUGIN
    assert isinstance(raised.value.__cause__, OSError)


def is_gone(pid: int) -> bool:
    """Whether *pid* has ended (a zombie waiting for a reaper counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


def test_hung_script_is_stopped_at_the_timeout_with_what_it_started(hook_dir: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    path = script(hook_dir, "post_thing", f"#!/bin/sh\nsleep 30 &\necho $! > {pid_file}\nsleep 30\n")
    started = time.monotonic()

    with pytest.raises(HookScriptError) as raised:
        run(path, "post_thing", timeout=0.3)

    assert time.monotonic() - started < 5
    assert raised.value.message == f"hook script '{path}' did not finish within 0.3 s and was stopped"
    assert "hooks.script_timeout" in (raised.value.hint or "")
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 2
    while not is_gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert is_gone(grandchild)
