"""The greeting-styles extension point: declared here, filled here (and by any other plugin)."""

from __future__ import annotations

import json

from myapp_plugins_example.styles import GREETING_STYLES, Fancy, GreetingStyle, Plain

from myapp.contracts import verify


def test_greeting_show_uses_the_plain_style_by_default(myapp_run) -> None:
    result = myapp_run(["greeting", "show", "fr", "-f", "json"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["Greeting"] == "Bonjour"


def test_greeting_show_picks_a_style_by_name(myapp_run) -> None:
    result = myapp_run(["greeting", "show", "fr", "--style", "fancy", "-f", "value", "-c", "Greeting"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "~*~ Bonjour ~*~\n", "")


def test_an_unknown_style_is_a_usage_error_that_lists_the_styles(myapp_run) -> None:
    result = myapp_run(["greeting", "show", "fr", "--style", "fanzy"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "myapp: error: no greeting style is called 'fanzy'; did you mean 'fancy'?",
        "hint: available: fancy, plain",
    ]


def test_greeting_styles_renders_an_example_in_every_style(myapp_run) -> None:
    result = myapp_run(["greeting", "styles", "-f", "json"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == [
        {"Style": "fancy", "Plugin": "myapp-plugins-example", "Example": "~*~ Hello ~*~"},
        {"Style": "plain", "Plugin": "myapp-plugins-example", "Example": "Hello"},
    ]


def test_the_styles_fit_the_contract_the_point_declares() -> None:
    assert GREETING_STYLES.contract.name == "greeting style"
    assert verify(Plain, GREETING_STYLES.contract) == []
    assert verify(Fancy, GREETING_STYLES.contract) == []
    assert [str(m) for m in verify(GreetingStyle, GREETING_STYLES.contract)] == [
        "method 'render' not implemented (abstract); expected render(self, greeting)"
    ]


def test_plugin_check_verifies_the_styles_and_finds_nothing_wrong(myapp_run) -> None:
    result = myapp_run(["plugin", "check", "myapp-plugins-example", "-f", "json"])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
