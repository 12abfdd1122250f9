"""Contracts and extension points end to end: pip-installed plugins, ``myapp`` run as a program."""

from __future__ import annotations

import json

import pytest

from tests.helpers.plugins import EXT_EXPLODING_REPORT as EXPLODING
from tests.helpers.plugins import EXT_NORENDER_REPORT as NORENDER
from tests.helpers.venvs import VirtualEnvironment

DISABLE_HINT = (
    "hint: reinstall or fix it, or skip it with '--disable-plugin myapp-ext-impls'; "
    "the 'plugin check' command lists every broken plugin"
)


def check(installed: VirtualEnvironment, plugin: str, *options: str) -> tuple[int, dict[str, list[str]]]:
    """``plugin check PLUGIN``'s exit status, and its problems by severity."""
    result = installed.run("myapp", *options, "plugin", "check", plugin, "-f", "json")
    problems: dict[str, list[str]] = {"error": [], "warning": []}
    for row in json.loads(result.stdout):
        problems[row["Severity"]].append(row["Problem"])
    return result.returncode, problems


# --- plugin check reports contract mismatches precisely ------------------------------------------


def test_check_reports_a_command_missing_take_action(installed: VirtualEnvironment) -> None:
    status, problems = check(installed, "myapp-contract-breaker")

    assert status == 3
    assert (
        "command 'incomplete' (myapp-contract-breaker 1.0, entry point incomplete = contract_breaker:NoTakeAction): "
        "method 'take_action' not implemented (abstract); expected take_action(self, parsed_args)"
    ) in problems["error"]


def test_check_reports_a_hook_whose_signature_cannot_take_the_context(installed: VirtualEnvironment) -> None:
    status, problems = check(installed, "myapp-contract-breaker")

    assert status == 3
    assert (
        "hook 'needs_two' (myapp-contract-breaker 1.0, entry point needs_two = contract_breaker:needs_two): "
        "cannot be called with the documented arguments; expected hook(context), found needs_two(context, extra)"
    ) in problems["error"]
    assert len(problems["error"]) == 2  # the good command 'hooked' is not blamed


def test_check_verifies_implementations_against_the_registered_contract(installed: VirtualEnvironment) -> None:
    status, problems = check(installed, "myapp-ext-impls")

    assert status == 3
    assert problems["error"][0] == NORENDER
    assert "'unimportable = ext_impls_nowhere:Renderer' (ModuleNotFoundError" in problems["error"][1]
    assert len(problems["error"]) == 2  # lower, reverse and exploding fit (exploding fails only when called)
    assert problems["warning"] == []


def test_check_of_the_plugin_declaring_the_point_is_clean(installed: VirtualEnvironment) -> None:
    assert check(installed, "myapp-ext-host") == (0, {"error": [], "warning": []})


def test_check_without_the_contract_owner_only_imports_the_implementations(installed: VirtualEnvironment) -> None:
    status, problems = check(installed, "myapp-ext-impls", "--disable-plugin", "myapp-ext-host")

    assert status == 3  # the unimportable one
    assert len(problems["error"]) == 1 and "ModuleNotFoundError" in problems["error"][0]
    assert set(problems["warning"]) == {
        "no enabled plugin registers extension point 'ext_host.renderers' in 'myapp.contracts', "
        "so only its import was checked"
    }


# --- running the broken targets ------------------------------------------------------------------


def test_running_a_command_missing_take_action_exits_3_with_one_line(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "incomplete")

    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [
        "myapp: error: command 'incomplete' (myapp-contract-breaker 1.0, entry point incomplete = "
        "contract_breaker:NoTakeAction): method 'take_action' not implemented (abstract); "
        "expected take_action(self, parsed_args)",
        "hint: reinstall or fix it, or skip it with '--disable-plugin myapp-contract-breaker'; "
        "the 'plugin check' command lists every broken plugin",
    ]


def test_a_hook_with_an_incompatible_signature_stops_its_command(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "hooked")

    assert result.returncode == 3
    assert "expected hook(context), found needs_two(context, extra)" in result.stderr.splitlines()[0]


# --- driver, iterator and dispatcher with broken implementations installed -----------------------


def test_driver_runs_a_working_implementation_next_to_broken_ones(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "render", "with", "lower", "Hi")

    assert (result.returncode, result.stdout, result.stderr) == (0, "hi\n", "")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("norender", f"myapp: error: {NORENDER}"),
        (
            "unimportable",
            "myapp: error: plugin 'myapp-ext-impls' could not load 'unimportable = ext_impls_nowhere:Renderer' "
            "(ModuleNotFoundError: No module named 'ext_impls_nowhere')",
        ),
    ],
)
def test_driver_of_a_broken_implementation_exits_3_naming_it(
    installed: VirtualEnvironment, name: str, error: str
) -> None:
    result = installed.run("myapp", "render", "with", name, "Hi")

    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [error, DISABLE_HINT]


def test_driver_of_an_unknown_name_exits_2_listing_the_names(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "render", "with", "lowercase", "Hi")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "myapp: error: no renderer is called 'lowercase'; did you mean 'lower'?",
        "hint: available: exploding, lower, norender, reverse, unimportable, upper",
    ]


def test_iterator_runs_the_others_in_order_and_warns_once_per_broken_one(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "render", "all", "Hi")

    assert result.returncode == 0
    assert result.stdout == "reverse: iH\nupper: HI\nlower: hi\n"
    warnings = result.stderr.splitlines()
    assert warnings[0] == f"myapp: warning: {NORENDER}"
    assert warnings[1].startswith("myapp: warning: plugin 'myapp-ext-impls' could not load 'unimportable = ")
    assert warnings[2] == f"myapp: warning: {EXPLODING}"
    assert len(warnings) == 3


def test_dispatcher_calls_only_the_matching_ones_and_survives_a_failure(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "render", "some", "lue", "Hi")

    assert (result.returncode, result.stdout) == (0, "upper: HI\nlower: hi\n")
    assert f"myapp: warning: {EXPLODING}" in result.stderr.splitlines()


def test_broken_implementations_of_a_disabled_plugin_are_never_loaded(installed: VirtualEnvironment) -> None:
    every = installed.run("myapp", "--disable-plugin", "myapp-ext-impls", "render", "all", "Hi")
    asked = installed.run("myapp", "--disable-plugin", "myapp-ext-impls", "render", "with", "lower", "Hi")

    assert (every.returncode, every.stdout, every.stderr) == (0, "upper: HI\n", "")
    assert asked.returncode == 2
    assert asked.stderr.splitlines()[0] == (
        "myapp: error: renderer 'lower' comes from plugin 'myapp-ext-impls', which is disabled by config: "
        "listed in disable_plugins (--disable-plugin)"
    )


def test_no_plugins_leaves_no_implementation(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--no-plugins", "render", "all", "Hi")

    assert result.returncode == 2  # the command itself comes from a plugin
    assert "comes from plugin 'myapp-ext-host'" in result.stderr


# --- the example plugin's extension point --------------------------------------------------------


def test_example_greeting_styles_lists_both_styles(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "greeting", "styles", "-f", "json")

    assert (result.returncode, result.stderr) == (0, "")
    assert {row["Style"]: row["Example"] for row in json.loads(result.stdout)} == {
        "fancy": "~*~ Hello ~*~",
        "plain": "Hello",
    }


def test_example_greeting_show_picks_a_style_by_name(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "greeting", "show", "fr", "--style", "fancy", "-f", "value", "-c", "Greeting")

    assert (result.returncode, result.stdout, result.stderr) == (0, "~*~ Bonjour ~*~\n", "")
