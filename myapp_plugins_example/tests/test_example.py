"""The example plugin's own tests: myapp runs in-process, as it would for any plugin author."""

from __future__ import annotations

import json

from myapp.testing import run


def test_hello_defaults_to_the_world() -> None:
    result = run(["hello"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, world!\n", "")


def test_hello_takes_a_name() -> None:
    assert run(["hello", "Grace"]).stdout == "Hello, Grace!\n"


def test_greeting_list_is_machine_readable() -> None:
    result = run(["greeting", "list", "-f", "json"])
    assert result.exit_code == 0
    assert {"Code": "de", "Language": "German", "Greeting": "Hallo"} in json.loads(result.stdout)


def test_greeting_show_rejects_an_unknown_code_with_a_hint() -> None:
    result = run(["greeting", "show", "tlh"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "myapp: error: unknown language code 'tlh'\nhint: known codes: de, en, es, fr, ja\n"
