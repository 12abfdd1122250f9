"""Versioned, deprecated and renamed commands, end to end: pip-installed plugins, myapp as a subprocess.

``myapp-versioned`` registers ``thing.v1`` to ``thing.v3`` (v1 and v3 deprecated in favour of v2), each
in a module that leaves a marker when imported, and ``old_thing`` as the old name of ``thing``.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.listing import command_rows
from tests.helpers.venvs import VirtualEnvironment

HOOK_LINE = "pre_thing for 'thing'\n"


def imported(marker_dir: Path) -> list[str]:
    return sorted(marker.name for marker in marker_dir.iterdir())


def deprecated(number: int, advice: str) -> str:
    return f"myapp: warning: 'thing' version {number} is deprecated; use version 2 ({advice})\n"


def test_newest_version_not_deprecated_runs_and_only_its_module_is_imported(
    installed: VirtualEnvironment, marker_dir: Path
) -> None:
    result = installed.run("myapp", "thing")

    assert (result.returncode, result.stdout, result.stderr) == (0, "thing v2\n", HOOK_LINE)
    assert imported(marker_dir) == ["versioned_plugin.thing_v2.imported"]


def test_version_pinned_with_the_option_runs_and_warns_on_stderr_only(
    installed: VirtualEnvironment, marker_dir: Path
) -> None:
    result = installed.run("myapp", "--use", "thing=1", "thing")

    assert (result.returncode, result.stdout) == (0, "thing v1\n")
    assert result.stderr == deprecated(1, "'--use thing=2', or drop the pin") + HOOK_LINE
    assert imported(marker_dir) == ["versioned_plugin.thing_v1.imported"]


def test_quiet_silences_the_deprecation_warning(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-q", "--use", "thing=v1", "thing")

    assert (result.returncode, result.stdout, result.stderr) == (0, "thing v1\n", HOOK_LINE)


def test_version_pinned_in_the_environment_runs(installed: VirtualEnvironment, marker_dir: Path) -> None:
    result = installed.run("myapp", "thing", env={"MYAPP_USE": "hello=2, thing=3"})

    assert (result.returncode, result.stdout) == (0, "thing v3\n")
    assert result.stderr == deprecated(3, "'--use thing=2', or drop the pin from MYAPP_USE") + HOOK_LINE
    assert imported(marker_dir) == ["versioned_plugin.thing_v3.imported"]


def test_version_pinned_in_a_config_file_runs(installed: VirtualEnvironment, tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text("[use]\nthing = 1\n", encoding="utf-8")

    result = installed.run("myapp", "-q", "thing", env={"MYAPP_CONFIG": str(config)})

    assert (result.returncode, result.stdout) == (0, "thing v1\n")


def test_version_pinned_by_a_profile_runs_only_with_the_profile(installed: VirtualEnvironment, tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text('[profiles.legacy]\nuse = { thing = "v3" }\n', encoding="utf-8")

    legacy = installed.run("myapp", "--config", str(config), "--profile", "legacy", "-q", "thing")
    plain = installed.run("myapp", "--config", str(config), "-q", "thing")

    assert (legacy.returncode, legacy.stdout) == (0, "thing v3\n")
    assert (plain.returncode, plain.stdout) == (0, "thing v2\n")


def test_pins_of_the_environment_and_the_option_add_up(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-q", "--use", "hello=1", "thing", env={"MYAPP_USE": "thing=1"})

    assert (result.returncode, result.stdout) == (0, "thing v1\n")


def test_the_option_s_pin_of_a_command_wins_over_the_environment_s(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-q", "--use", "thing=2", "thing", env={"MYAPP_USE": "thing=1,hello=1"})

    assert (result.returncode, result.stdout) == (0, "thing v2\n")


def test_config_show_says_where_the_pins_came_from(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--use", "thing=1", "--use", "hello=v1", "config", "show", "-f", "json")

    rows = {row["Key"]: row for row in json.loads(result.stdout)}
    assert rows["use"]["Value"] == {"thing": 1, "hello": 1}
    assert (rows["use"]["Origin"], rows["use"]["Variable"]) == ("--use", "MYAPP_USE")


# --- bad pins --------------------------------------------------------------------------------------------------------


def test_pinning_a_version_that_does_not_exist_lists_the_available_ones(
    installed: VirtualEnvironment, marker_dir: Path
) -> None:
    result = installed.run("myapp", "--use", "thing=9", "thing")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "myapp: error: 'thing' has no version 9 (pinned by --use)\n"
        "hint: available versions: 3 (deprecated), 2, 1 (deprecated); 'myapp help thing' says more\n"
    )
    assert imported(marker_dir) == []


def test_pinning_an_unknown_command_suggests_a_close_name(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--use", "thng=1", "hello")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "myapp: error: --use names unknown command 'thng'\n"
        "hint: did you mean 'thing'? 'myapp help' lists all commands\n"
    )


def test_a_malformed_pin_is_a_usage_error(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--use", "thing=latest", "thing")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "myapp: error: --use 'thing=latest' is not valid: expected a version number (1, 2, ...), found 'latest'\n"
        "hint: write --use NAME=N; 'myapp help NAME' lists the versions of a command\n"
    )


def test_a_malformed_pin_in_the_environment_is_a_usage_error(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hello", env={"MYAPP_USE": "thing"})

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "myapp: error: MYAPP_USE='thing' is not valid: expected NAME=VERSION, e.g. 'hello=2', found 'thing'",
        "hint: unset MYAPP_USE or correct it",
    ]


def test_an_environment_pin_of_a_command_not_installed_is_mentioned_only_with_v(installed: VirtualEnvironment) -> None:
    quiet = installed.run("myapp", "thing", env={"MYAPP_USE": "report=1"})
    verbose = installed.run("myapp", "-v", "thing", env={"MYAPP_USE": "report=1"})

    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "thing v2\n", HOOK_LINE)
    assert verbose.returncode == 0
    assert "MYAPP_USE names unknown command 'report'; ignoring its pin" in verbose.stderr.splitlines()


def test_an_environment_pin_of_a_missing_version_fails_only_that_command(installed: VirtualEnvironment) -> None:
    other = installed.run("myapp", "hello", env={"MYAPP_USE": "thing=9"})
    pinned = installed.run("myapp", "thing", env={"MYAPP_USE": "thing=9"})

    assert (other.returncode, other.stdout) == (0, "Hello, World!\n")
    assert (pinned.returncode, pinned.stdout) == (2, "")
    assert pinned.stderr.startswith("myapp: error: 'thing' has no version 9 (pinned by MYAPP_USE)\n")


def test_a_version_is_not_a_command_name(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "thing.v1")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "myapp: error: unknown command 'thing.v1'\n"
        "hint: a version is chosen with an option: 'myapp --use thing=1 thing'\n"
    )


# --- help, renames, plugin check -------------------------------------------------------------------------------------


def test_help_lists_the_versions_and_which_one_runs_and_why(installed: VirtualEnvironment) -> None:
    default = installed.run("myapp", "help", "thing")
    pinned = installed.run("myapp", "help", "thing", env={"MYAPP_USE": "thing=1"})

    assert default.returncode == 0
    assert default.stdout.endswith(
        "Versions of 'thing' (newest first):\n"
        "  3  deprecated in favour of version 2\n"
        "  2  runs: the newest version not deprecated\n"
        "  1  deprecated in favour of version 2\n"
        "Run another with 'myapp --use thing=N thing'.\n"
    )
    assert "  1  deprecated in favour of version 2; runs: pinned by MYAPP_USE\n" in pinned.stdout


def test_the_command_list_names_a_versioned_command_once(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--help")

    names = list(command_rows(result.stdout))
    assert names.count("thing") == 1
    assert not [name for name in names if ".v" in name]
    assert "old" not in names


def test_the_old_name_of_a_renamed_command_still_runs_with_a_warning(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "old", "thing")

    assert (result.returncode, result.stdout) == (0, "thing v2\n")
    assert result.stderr == "myapp: warning: 'old thing' was renamed 'thing'; run 'myapp thing' instead\n" + HOOK_LINE


def test_plugin_check_accepts_good_versions(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "check", "myapp-versioned", "-f", "json")

    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_plugin_check_reports_bad_version_names_and_deprecations_that_point_nowhere(
    installed: VirtualEnvironment,
) -> None:
    result = installed.run("myapp", "plugin", "check", "myapp-versioned-bad", "-f", "json")

    problems = {row["Entry point"]: (row["Severity"], row["Problem"]) for row in json.loads(result.stdout)}
    assert result.returncode == 3
    assert problems == {
        "myapp.commands: gizmo.v0 = versioned_bad:Gizmo": (
            "error",
            "'gizmo.v0' is not a valid version name, so it is ignored: "
            "write 'gizmo.v<N>' with N a whole number from 1, without leading zeros",
        ),
        "myapp.commands: gizmo = versioned_bad:Gizmo": (
            "error",
            "'gizmo' is also registered with versions, so this one is ignored: register it as 'gizmo.v<N>'",
        ),
        "myapp.deprecated: gizmo.v1 = gizmo.v7": (
            "error",
            "names replacement 'gizmo.v7', which this plugin does not register as a command",
        ),
        "myapp.deprecated: gadget = gizmos": (
            "error",
            "renames to 'gizmos', which does not exist; did you mean 'gizmo'?",
        ),
    }


# --- the example plugin ----------------------------------------------------------------------------------------------


def test_example_hello_differs_between_its_two_versions(installed: VirtualEnvironment) -> None:
    newest = installed.run("myapp", "hello", "ada", "--times", "2")
    first = installed.run("myapp", "--use", "hello=1", "hello", "ada")

    assert (newest.returncode, newest.stdout, newest.stderr) == (0, "Hello, Ada!\nHello, Ada!\n", "")
    assert (first.returncode, first.stdout) == (0, "Hello, ada!\n")
    assert first.stderr == (
        "myapp: warning: 'hello' version 1 is deprecated; use version 2 ('--use hello=2', or drop the pin)\n"
    )
