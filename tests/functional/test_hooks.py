"""Hooks from installed plugins and hook scripts, around real commands."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.venvs import VirtualEnvironment


def trace(stderr: str) -> list[str]:
    """The lines hooks and commands of the test plugins printed, in order."""
    return [line for line in stderr.splitlines() if not line.startswith(("myapp:", "hint:"))]


def test_hooks_of_three_plugins_run_in_priority_and_constraint_order(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "order")
    assert result.returncode == 0
    assert trace(result.stderr) == [
        "pre_order:a_async",
        "pre_order:b_before_a",
        "pre_order:a_first",
        "pre_order:b_plain",
        "pre_order:c_plain",
        "pre_order:a_after_c",
        "command:name=renamed-by-hook",
        "post_order:a_post exit=0 exception=NoneType",
    ]


def test_initialize_fires_once_before_the_command(installed: VirtualEnvironment, tmp_path: Path) -> None:
    log = tmp_path / "initialize.log"
    result = installed.run("myapp", "hello", "Ada", env={"MYAPP_TEST_INITIALIZE_LOG": str(log)})
    assert result.stdout == "Hello, Ada!\n"
    assert log.read_text() == "initialize command=None argv=['hello', 'Ada']\n"


def test_config_order_goes_first(installed: VirtualEnvironment, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[hooks.order]\npre_order = ["myapp-hooks-c", "myapp-hooks-a:a_after_c"]\n')
    result = installed.run("myapp", "--config", str(config), "order")
    assert trace(result.stderr)[:3] == ["pre_order:c_plain", "pre_order:a_after_c", "pre_order:a_async"]


def test_post_hooks_see_a_failed_command_exit_code(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "order", "--fail")
    assert result.returncode == 1
    assert trace(result.stderr)[-1] == "post_order:a_post exit=1 exception=NoneType"


def test_veto_by_a_python_hook_exits_4_and_post_hooks_still_run(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "veto")
    assert result.returncode == 4
    assert "command:name" not in result.stderr
    veto = "myapp: error: hook 'myapp-hooks-a:veto' stopped the command: not today\nhint: try tomorrow\n"
    assert veto in result.stderr
    assert trace(result.stderr) == ["post_veto:a_post exit=4 exception=HookAbort"]


def test_hook_that_raises_fails_closed_with_exit_3(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "fragile")
    assert result.returncode == 3
    assert "command ran" not in result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "myapp: error: hook 'myapp-hooks-bad:raises' of plugin 'myapp-hooks-bad 1.0' failed (ValueError: hook exploded)"
        in result.stderr
    )
    hint = (
        "hint: report it to the plugin's authors with the output of 'myapp bug-report', "
        "or skip the plugin with '--disable-plugin myapp-hooks-bad'; --debug shows the traceback"
    )
    assert hint in result.stderr
    assert trace(result.stderr) == ["post_fragile:exit=3"]


def test_warn_policy_lets_the_command_run_after_a_failing_pre_hook(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "fragile", env={"MYAPP_HOOKS_ON_FAILURE": "warn"})
    assert result.returncode == 0
    assert "myapp: warning: hook 'myapp-hooks-bad:raises'" in result.stderr
    assert "command ran" in result.stderr


def test_hook_with_a_bad_signature_is_reported_as_broken(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "badsig")
    assert result.returncode == 3
    assert (
        "myapp: error: hook 'two_arguments' (myapp-hooks-bad 1.0, entry point two_arguments = "
        "hooks_bad:two_arguments): cannot be called with the documented arguments; "
        "expected hook(context), found two_arguments(context, extra)"
    ) in result.stderr
    assert "command ran" not in result.stderr


def test_failing_post_hook_is_reported_but_keeps_the_exit_status(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "postfail")
    assert result.returncode == 0
    assert "command ran" in result.stderr
    assert "myapp: error: hook 'myapp-hooks-bad:raises'" in result.stderr


def test_failing_post_hook_under_strict_plugins_exits_3(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "--strict-plugins", "postfail").returncode == 3


def test_cycle_of_constraints_is_an_error_naming_the_cycle(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "cycle")
    assert result.returncode == 3
    assert "have contradictory before/after constraints: myapp-hooks-bad:" in result.stderr
    assert "myapp-hooks-bad:x" in result.stderr and "myapp-hooks-bad:y" in result.stderr


def test_only_the_hooks_of_fired_events_are_imported(installed: VirtualEnvironment, marker_dir: Path) -> None:
    assert installed.run("myapp", "order").returncode == 0
    assert "hooks_lazy.imported" not in os.listdir(marker_dir)
    installed.run("myapp", "lazy")
    assert "hooks_lazy.imported" in os.listdir(marker_dir)


def test_disabled_plugin_hooks_do_not_run(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--disable-plugin", "myapp-hooks-b", "order")
    assert "pre_order:b_plain" not in result.stderr


def test_ctrl_c_inside_a_hook_exits_130_and_post_hooks_are_told(installed: VirtualEnvironment) -> None:
    process = installed.start("myapp", "sleepy")
    with process:
        assert process.stderr is not None
        assert process.stderr.readline() == "ready\n"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert "post_sleepy:exit=130" in stderr


def test_what_python_hooks_print_goes_to_stderr(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "noisy", "list", "-f", "json")
    assert (result.returncode, json.loads(result.stdout)) == (0, [{"Name": "one"}, {"Name": "two"}])
    assert "noise from a hook as it runs (pre_noisy_list)\n" in result.stderr
    assert "noise from a program a hook started (pre_noisy_list)\n" in result.stderr
    assert "noise from an async hook as it runs (post_noisy_list)\n" in result.stderr


def test_hooks_list_json_explains_the_order(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hooks", "list", "pre_order", "-f", "json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert [row["Hook"] for row in rows] == [
        "myapp-hooks-a:a_async",
        "myapp-hooks-a:rename",
        "myapp-hooks-b:b_before_a",
        "myapp-hooks-a:a_first",
        "myapp-hooks-b:b_plain",
        "myapp-hooks-c:c_plain",
        "myapp-hooks-a:a_after_c",
    ]
    by_hook = {row["Hook"]: row for row in rows}
    assert by_hook["myapp-hooks-a:a_first"]["Placed by"] == "priority 10"
    assert by_hook["myapp-hooks-a:a_after_c"]["Placed by"] == "after myapp-hooks-c"
    assert by_hook["myapp-hooks-b:b_before_a"]["Placed by"] == "before myapp-hooks-a:a_first"
    assert {row["State"] for row in rows} == {"enabled"}
    assert [row["Order"] for row in rows] == [1, 2, 3, 4, 5, 6, 7]


def test_hooks_list_shows_broken_and_disabled_hooks(installed: VirtualEnvironment) -> None:
    broken = json.loads(installed.run("myapp", "hooks", "list", "pre_badsig", "-f", "json").stdout)
    assert broken[0]["State"].startswith("broken: hook 'two_arguments'")
    disabled = installed.run("myapp", "--disable-plugin", "myapp-hooks-c", "hooks", "list", "pre_order", "-f", "json")
    rows = {row["Hook"]: row for row in json.loads(disabled.stdout)}
    assert rows["myapp-hooks-c:c_plain"]["State"] == "disabled"


def test_hooks_list_shows_a_cycle_as_a_state_and_exits_0(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hooks", "list", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr and "Traceback" not in result.stderr
    rows = json.loads(result.stdout)
    cyclic = {row["Hook"]: row for row in rows if row["Event"] == "pre_cycle"}
    assert set(cyclic) == {"myapp-hooks-bad:x", "myapp-hooks-bad:y"}
    for row in cyclic.values():
        assert re.fullmatch(
            r"cycle: myapp-hooks-bad:(x|y) -> myapp-hooks-bad:(x|y) -> myapp-hooks-bad:\1", row["State"]
        )
        assert (row["Order"], row["Placed by"]) == ("", "not ordered: the constraints form a cycle")
    ordered = [row["Order"] for row in rows if row["Event"] == "pre_order"]
    assert ordered == [1, 2, 3, 4, 5, 6, 7]  # other events keep their order


def test_hooks_run_of_an_event_with_a_cycle_still_fails_closed(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hooks", "run", "pre_cycle")
    assert result.returncode == 3
    assert result.stderr.startswith("myapp: error: the hooks of event 'pre_cycle' have contradictory before/after")


def test_hooks_run_fires_an_event_with_a_trace(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hooks", "run", "pre_order", "--", "--name", "x")
    assert result.returncode == 0
    traced = [line for line in result.stderr.splitlines() if line.startswith("pre_order: ")]
    assert [line.split(": ")[1] for line in traced][:2] == ["myapp-hooks-a:a_async", "myapp-hooks-a:rename"]
    assert all(line.endswith(" ms)") and ": ok (" in line for line in traced)


def test_hooks_run_of_an_event_that_names_no_command_is_a_usage_error_with_a_suggestion(
    installed: VirtualEnvironment,
) -> None:
    result = installed.run("myapp", "hooks", "run", "pre_helo")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "myapp: error: event 'pre_helo' names no command; did you mean 'pre_hello'?\n"
        "hint: 'myapp hooks list' lists the events that have hooks\n"
    )


def test_hooks_run_of_a_vetoing_event_exits_4(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "hooks", "run", "pre_veto").returncode == 4


class TestScripts:
    """Executable files in the hooks directory."""

    @pytest.fixture
    def hook_dir(self, tmp_path: Path) -> Path:
        folder = tmp_path / "hooks"
        folder.mkdir(mode=0o700)
        return folder

    @staticmethod
    def script(folder: Path, name: str, body: str, mode: int = 0o755) -> Path:
        path = folder / name
        path.write_text(body)
        path.chmod(mode)
        return path

    def run(self, installed: VirtualEnvironment, hook_dir: Path, *arguments: str):
        return installed.run("myapp", *arguments, env={"MYAPP_HOOK_DIR": str(hook_dir)})

    def test_script_gets_the_context_in_environment_variables(self, installed, hook_dir: Path) -> None:
        output = hook_dir / "seen.json"
        self.script(
            hook_dir,
            "post_hello",
            f'#!/bin/sh\nprintf \'{{"event": "%s", "command": "%s", "argv": %s, "exit": "%s"}}\' '
            f'"$MYAPP_EVENT" "$MYAPP_COMMAND" "$MYAPP_ARGV" "$MYAPP_EXIT_CODE" > {output}\n',
        )
        assert self.run(installed, hook_dir, "hello", "Ada").stdout == "Hello, Ada!\n"
        assert json.loads(output.read_text()) == {
            "event": "post_hello",
            "command": "hello",
            "argv": ["hello", "Ada"],
            "exit": "0",
        }

    def test_scripts_run_after_the_python_hooks_of_their_event(self, installed, hook_dir: Path) -> None:
        self.script(hook_dir, "pre_order", "#!/bin/sh\necho pre_order:script >&2\n")
        assert trace(self.run(installed, hook_dir, "order").stderr)[5:7] == [
            "pre_order:a_after_c",
            "pre_order:script",
        ]

    def test_pre_script_with_nonzero_exit_vetoes_with_exit_4(self, installed, hook_dir: Path) -> None:
        self.script(hook_dir, "pre_hello", "#!/bin/sh\nexit 3\n")
        result = self.run(installed, hook_dir, "hello")
        assert result.returncode == 4
        assert result.stdout == ""
        assert f"myapp: error: hook script '{hook_dir / 'pre_hello'}' stopped the command (exit status 3)" in (
            result.stderr
        )

    def test_what_a_script_writes_to_stdout_goes_to_stderr(self, installed, hook_dir: Path) -> None:
        for event in ("initialize", "pre_command", "post_greeting_list"):
            self.script(hook_dir, event, f"#!/bin/sh\necho 'from the {event} script'\n")
        result = self.run(installed, hook_dir, "greeting", "list", "-f", "json")
        assert result.returncode == 0
        assert len(json.loads(result.stdout)) == 5
        for event in ("initialize", "pre_command", "post_greeting_list"):
            assert f"from the {event} script\n" in result.stderr

    def test_a_process_a_script_leaves_running_does_not_hold_the_output_open(
        self, installed, hook_dir: Path, tmp_path: Path
    ) -> None:
        group = tmp_path / "group"
        self.script(hook_dir, "post_hello", f"#!/bin/sh\necho $$ > {group}\n(sleep 30; echo late) &\n")
        pipeline = f"'{installed.bin / 'myapp'}' hello 2>{tmp_path / 'stderr'} | cat"
        started = time.monotonic()
        try:
            result = subprocess.run(
                ["bash", "-o", "pipefail", "-c", pipeline],
                capture_output=True,
                text=True,
                env={**os.environ, "MYAPP_HOOK_DIR": str(hook_dir)},
                timeout=60,
            )
            elapsed = time.monotonic() - started
        finally:
            with contextlib.suppress(OSError, ValueError):
                os.killpg(int(group.read_text()), signal.SIGKILL)  # the script ran in a process group of its own
        assert (result.returncode, result.stdout) == (0, "Hello, World!\n")
        assert elapsed < 20  # not the 30 s the script's leftover would have kept the pipe open

    def test_python_script_runs_with_myapps_own_interpreter(self, installed, hook_dir: Path) -> None:
        output = hook_dir / "python.txt"
        self.script(hook_dir, "pre_hello.py", f"import sys\nopen({str(output)!r}, 'w').write(sys.executable)\n")
        assert self.run(installed, hook_dir, "hello").returncode == 0
        assert Path(output.read_text()).parent == installed.bin

    def test_world_writable_script_is_refused_with_a_warning(self, installed, hook_dir: Path) -> None:
        path = self.script(hook_dir, "pre_hello", "#!/bin/sh\nexit 1\n", mode=0o777)
        result = self.run(installed, hook_dir, "hello")
        assert result.returncode == 0
        assert f"myapp: warning: not running hook script '{path}': refused: it is writable by other users; " in (
            result.stderr
        )
        assert f"run 'chmod go-w {path}'" in result.stderr

    def test_world_writable_directory_is_refused(self, installed, hook_dir: Path) -> None:
        self.script(hook_dir, "pre_hello", "#!/bin/sh\nexit 1\n")
        hook_dir.chmod(0o777)
        result = self.run(installed, hook_dir, "hello")
        assert result.returncode == 0
        assert "refused: the directory is writable by other users" in result.stderr

    def test_script_killed_by_a_signal_is_reported_as_such(self, installed, hook_dir: Path) -> None:
        self.script(hook_dir, "pre_hello", "#!/bin/sh\nkill -KILL $$\n")
        result = self.run(installed, hook_dir, "hello")
        assert result.returncode == 3
        assert "was killed by signal SIGKILL" in result.stderr

    def test_hung_script_is_stopped_by_the_timeout(self, installed, hook_dir: Path) -> None:
        self.script(hook_dir, "post_hello", "#!/bin/sh\nsleep 30\n")
        result = installed.run(
            "myapp",
            "hello",
            env={"MYAPP_HOOK_DIR": str(hook_dir), "MYAPP_HOOKS_SCRIPT_TIMEOUT": "0.5"},
            timeout=20,
        )
        assert result.returncode == 0
        assert "did not finish within 0.5 s and was stopped" in result.stderr

    def test_hooks_init_writes_templates_and_never_overwrites(self, installed, hook_dir: Path) -> None:
        mine = self.script(hook_dir, "pre_command", "#!/bin/sh\n# mine\n", mode=0o644)
        result = self.run(installed, hook_dir, "hooks", "init", "-f", "json")
        actions = {Path(row["File"]).name: row["Action"] for row in json.loads(result.stdout)}
        assert actions == {"initialize": "created", "pre_command": "kept (exists)", "post_command": "created"}
        assert mine.read_text() == "#!/bin/sh\n# mine\n"
        template = (hook_dir / "initialize").read_text()
        assert template.startswith("#!/bin/sh\n# myapp runs this script at the 'initialize' event")
        assert not os.access(hook_dir / "initialize", os.X_OK)
        listed = json.loads(self.run(installed, hook_dir, "hooks", "list", "initialize", "-f", "json").stdout)
        (script,) = [row for row in listed if row["Kind"] == "script"]
        assert script["Hook"] == "script:initialize"
        assert script["State"].startswith("not executable")


def test_shell_init_lets_a_source_hook_change_the_calling_bash(installed: VirtualEnvironment) -> None:
    script = 'eval "$(myapp shell-init bash)"; myapp hello "Grace Hopper"; echo "last=$MYAPP_LAST_GREETED"'
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{installed.bin}{os.pathsep}{os.environ['PATH']}"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, Grace Hopper!\nlast=Grace Hopper\n"


def test_example_plugin_vetoes_names_with_control_characters(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", "bell\x07")
    assert result.returncode == 4
    assert result.stdout == ""
    assert "the name contains control characters" in result.stderr


def test_example_plugin_adds_an_option_through_a_cliff_command_hook(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "hello", "ada", "--shout").stdout == "Hello, ADA!\n"
    assert "--shout" in installed.run("myapp", "help", "hello").stdout


def test_example_timing_hook_reports_with_verbose(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-v", "hello")
    assert "'hello' took " in result.stderr
    assert "greeted world" in result.stderr
