"""Data commands: list fields are arrays in JSON and YAML, joined text elsewhere; empty tables print nothing."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cliff.lister import Lister
from cliff.show import ShowOne

from myapp.builtin import BUILTIN_COMMANDS
from myapp.builtin.records import Record, Records
from myapp.testing import run
from tests.helpers.distributions import Distribution
from tests.helpers.plugins import GOOD, LAZY

Install = Callable[[Distribution], Path]
GOOD_COMMANDS = ["exit", "fail", "flood", "retval", "shout", "wait"]


def good_plugin_row(output: str) -> str:
    return next(line for line in output.splitlines() if "myapp-good" in line)


@pytest.fixture
def good(install: Install, site_dir: Path, cache_dir: Path) -> list[str]:
    """The path that sees the good plugin installed."""
    install(GOOD)
    return [str(site_dir)]


def test_plugin_list_gives_commands_and_hooks_as_arrays_in_json(good: list[str]) -> None:
    result = run(["plugin", "list", "-f", "json"], path=good)

    row = next(row for row in json.loads(result.stdout) if row["Name"] == "myapp-good")
    assert (row["Commands"], row["Hooks"]) == (GOOD_COMMANDS, [])


def test_plugin_list_gives_commands_as_a_yaml_sequence(good: list[str]) -> None:
    result = run(["plugin", "list", "-f", "yaml"], path=good)

    row = next(row for row in yaml.safe_load(result.stdout) if row["Name"] == "myapp-good")
    assert (row["Commands"], row["Hooks"]) == (GOOD_COMMANDS, [])


@pytest.mark.parametrize("output_format", ["table", "value", "csv"])
def test_plugin_list_joins_commands_with_commas_in_the_text_formats(good: list[str], output_format: str) -> None:
    result = run(["plugin", "list", "-f", output_format], path=good)

    assert ", ".join(GOOD_COMMANDS) in good_plugin_row(result.stdout)
    assert "['" not in result.stdout


def test_plugin_show_gives_one_entry_point_per_line_in_a_table_and_an_array_in_json(good: list[str]) -> None:
    table = run(["plugin", "show", "myapp-good", "-c", "Entry points", "-f", "value"], path=good)
    document = run(["plugin", "show", "myapp-good", "-f", "json"], path=good)

    lines = table.stdout.splitlines()
    assert "myapp.commands: shout = good_plugin.commands:Shout" in lines
    assert json.loads(document.stdout)["Entry points"] == lines
    assert json.loads(document.stdout)["Requires"] == []


def test_config_show_joins_a_list_setting_in_a_table_and_keeps_it_in_json(cache_dir: Path) -> None:
    env = {"MYAPP_DISABLE_PLUGINS": "a,b"}
    text = run(["config", "show", "disable_plugins", "-f", "value", "-c", "Value"], env=env)
    document = run(["config", "show", "disable_plugins", "-f", "json"], env=env)

    assert text.stdout == "a, b\n"
    assert json.loads(document.stdout)[0]["Value"] == ["a", "b"]


def test_an_empty_table_prints_nothing(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(LAZY)

    result = run(["plugin", "check", "myapp-lazy", "-q"], path=[str(site_dir)])

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(("options", "expected"), [(("-f", "json"), "[]\n"), (("-f", "yaml"), "[]\n")])
def test_an_empty_result_is_an_empty_document_in_json_and_yaml(
    install: Install, site_dir: Path, cache_dir: Path, options: tuple[str, ...], expected: str
) -> None:
    install(LAZY)

    result = run(["plugin", "check", "myapp-lazy", *options], path=[str(site_dir)])

    assert (result.exit_code, result.stdout) == (0, expected)


def test_print_empty_still_prints_the_empty_table(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(LAZY)

    result = run(["plugin", "check", "myapp-lazy", "--print-empty"], path=[str(site_dir)])

    assert "| Plugin | Entry point | Severity | Problem |" in result.stdout


def test_every_builtin_data_command_prints_through_records() -> None:
    for name, target in BUILTIN_COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if issubclass(command, Lister):
            assert issubclass(command, Records), name
        elif issubclass(command, ShowOne):
            assert issubclass(command, Record), name
