"""Every global option can be set once in the environment, for CI."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.venvs import VirtualEnvironment


def test_no_plugins_from_the_environment(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", env={"MYAPP_NO_PLUGINS": "1"})
    assert result.returncode == 2
    assert result.stderr.startswith(
        "myapp: error: command 'hello' comes from plugin 'myapp-plugins-example', which is disabled by config: "
        "all plugins are off (MYAPP_NO_PLUGINS)\n"
    )


def test_debug_from_the_environment_shows_tracebacks(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "fail", env={"MYAPP_DEBUG": "true"})
    assert "Traceback" in result.stderr


def test_false_values_leave_the_option_off(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", env={"MYAPP_NO_PLUGINS": "0", "MYAPP_DEBUG": "no"})
    assert result.returncode == 0


def test_quiet_from_the_environment(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "twin", env={"MYAPP_QUIET": "1"}).stderr == ""


def test_verbose_from_the_environment_counts(installed: VirtualEnvironment) -> None:
    quiet = installed.run("myapp", "hello").stderr
    verbose = installed.run("myapp", "hello", env={"MYAPP_VERBOSE": "2"}).stderr
    assert len(verbose) > len(quiet)


def test_log_file_from_the_environment(installed: VirtualEnvironment, tmp_path: Path) -> None:
    log_file = tmp_path / "myapp.log"
    installed.run("myapp", "twin", env={"MYAPP_LOG_FILE": str(log_file)})
    assert "also provided by 'myapp-clash-b'" in log_file.read_text()


def test_invalid_environment_value_is_a_usage_error(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", env={"MYAPP_DEBUG": "maybe"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "myapp: error: MYAPP_DEBUG='maybe' is not valid: expected 1, true, yes or on, or 0, false, no or off",
        "hint: unset MYAPP_DEBUG or correct it",
    ]


def test_a_misspelled_variable_is_named_in_one_warning_and_the_command_runs(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", env={"MYAPP_NO_PLUGIN": "1"})
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")
    assert result.stderr == (
        "myapp: warning: ignoring MYAPP_NO_PLUGIN: myapp reads no such variable; did you mean MYAPP_NO_PLUGINS?\n"
    )
    completed = installed.run("myapp", "__complete", "bash", "--", "myapp", "hel", env={"MYAPP_NO_PLUGIN": "1"})
    assert (completed.returncode, completed.stderr) == (0, "")  # a Tab press never prints warnings
