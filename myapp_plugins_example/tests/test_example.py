"""The example plugin's own tests: myapp runs in-process, as it would for any plugin author."""

from __future__ import annotations

import json

from myapp.testing import run


def test_hello_defaults_to_the_world() -> None:
    result = run(["hello"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, World!\n", "")


def test_hello_takes_a_name() -> None:
    assert run(["hello", "Grace"]).stdout == "Hello, Grace!\n"


def test_hello_version_2_capitalizes_and_repeats() -> None:
    result = run(["hello", "ada", "--times", "2"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, Ada!\nHello, Ada!\n", "")


def test_hello_version_2_refuses_a_count_below_one() -> None:
    result = run(["hello", "--times", "0"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "expected a whole number from 1, found '0'" in result.stderr


def test_hello_version_1_still_runs_when_pinned_with_a_deprecation_warning() -> None:
    result = run(["--use", "hello=1", "hello"])
    assert (result.exit_code, result.stdout) == (0, "Hello, world!\n")
    assert result.stderr == (
        "myapp: warning: 'hello' version 1 is deprecated; use version 2 ('--use hello=2', or drop the pin)\n"
    )


def test_hello_version_1_has_no_times_option() -> None:
    result = run(["--use", "hello=1", "hello", "--times", "2"])
    assert (result.exit_code, result.stdout) == (2, "")


def test_greet_is_the_old_name_of_hello() -> None:
    result = run(["greet", "Ada"])
    assert (result.exit_code, result.stdout) == (0, "Hello, Ada!\n")
    assert result.stderr == "myapp: warning: 'greet' was renamed 'hello'; run 'myapp hello' instead\n"


def test_help_lists_the_versions_of_hello() -> None:
    result = run(["help", "hello"])
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "Versions of 'hello' (newest first):\n"
        "  2  runs: the newest version\n"
        "  1  deprecated in favour of version 2\n"
        "Run another with 'myapp --use hello=N hello'.\n"
    )


def test_plugin_check_finds_nothing_wrong_with_the_versions() -> None:
    result = run(["plugin", "check"])
    assert result.exit_code == 0
    assert "hello" not in result.stdout + result.stderr


def test_greeting_list_is_machine_readable() -> None:
    result = run(["greeting", "list", "-f", "json"])
    assert result.exit_code == 0
    assert {"Code": "de", "Language": "German", "Greeting": "Hallo"} in json.loads(result.stdout)


def test_greeting_show_rejects_an_unknown_code_with_a_hint() -> None:
    result = run(["greeting", "show", "tlh"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "myapp: error: unknown language code 'tlh'\nhint: known codes: de, en, es, fr, ja\n"
