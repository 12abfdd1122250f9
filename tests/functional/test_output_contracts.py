"""Output contracts for scripts: JSON field names and types of every built-in data command, -q, colour, JSON logs.

:data:`SCHEMAS` is the one table of the documented fields (docs/output.rst,
"Machine-readable output"); a field renamed, added or retyped fails here.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from cliff.lister import Lister
from cliff.show import ShowOne

from myapp.builtin import BUILTIN_COMMANDS
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment


@dataclass(frozen=True)
class ListOf:
    """A JSON array whose items are all of one type (docs/output.rst: *list of text*)."""

    item: type


#: What one field may hold: a type, one of several types, or an array of one type.
Kind = type | tuple[type, ...] | ListOf
#: Any JSON value (``config show``'s values have the type of their setting).
ANY = (str, int, float, bool, list, dict, type(None))
#: A column that holds a number, or "" where there is none.
NUMBER_OR_EMPTY = (int, float, str)
PLUGIN_FIELDS = {
    "Name": str,
    "Version": str,
    "Summary": str,
    "Commands": ListOf(str),
    "Hooks": ListOf(str),
    "State": str,
    "Reason": str,
}
SWITCH_FIELDS = {"Name": str, "State": str, "Reason": str, "Config file": str, "Changed": bool}
#: ``plugin show``: the metadata fields, then (``--verify``: after the load time) the state and why.
SHOW_FIELDS_BEFORE_STATE = {
    "Name": str,
    "Version": str,
    "Summary": str,
    "Author": str,
    "Home page": str,
    "License": str,
    "Requires": ListOf(str),
    "Location": str,
    "Entry points": ListOf(str),
}
SHOW_STATE = {"State": str, "Reason": str}
SHOW_FIELDS = {**SHOW_FIELDS_BEFORE_STATE, **SHOW_STATE}
CHANGE_FIELDS = {"Change": str, "Kind": str, "Name": str, "Plugin": str}

#: Command line -> the fields of each JSON object it prints, in order, with their types.
SCHEMAS: dict[str, dict[str, Kind]] = {
    "bug-report": {
        "myapp": str,
        "Python": str,
        "OS": str,
        "cliff": str,
        "Config files": ListOf(str),
        "Environment": ListOf(str),
        "Plugins": ListOf(dict),
    },
    "config path": {"Path": str, "Role": str, "Exists": bool},
    "config show": {"Key": str, "Value": ANY, "Origin": str, "Variable": str},
    "hooks init": {"File": str, "Action": str},
    "hooks list pre_order": {
        "Event": str,
        "Order": (int, str),
        "Hook": str,
        "Kind": str,
        "Distribution": str,
        "Priority": (int, str),
        "Placed by": str,
        "State": str,
    },
    "plugin check": {"Plugin": str, "Entry point": str, "Severity": str, "Problem": str},
    "plugin disable myapp-lazy": SWITCH_FIELDS,
    "plugin enable myapp-lazy": SWITCH_FIELDS,
    "plugin list": PLUGIN_FIELDS,
    "plugin list --verify": {**PLUGIN_FIELDS, "Load time (ms)": NUMBER_OR_EMPTY},
    "plugin new contract-demo --dir {tmp}": {"File": str, "Purpose": str},
    "plugin show myapp-good": SHOW_FIELDS,
    "plugin show myapp-good --verify": {**SHOW_FIELDS_BEFORE_STATE, "Load time (ms)": NUMBER_OR_EMPTY, **SHOW_STATE},
    "plugin sync {tmp}/set.toml": {"Action": str, "Plugin": str, "Detail": str},
    "plugin uninstall myapp-lazy": CHANGE_FIELDS,
    "plugin install --pip-arg --no-deps {lazy_wheel}": CHANGE_FIELDS,
}
#: Built-in commands that do not print records (help text, scripts, TOML).
NOT_DATA = {"completion", "help", "hooks run", "plugin freeze", "shell-init"}
#: Commands whose exit status is not 0 in the session environment, and why.
EXIT_STATUS = {"plugin check": 3}  # the session has broken plugins on purpose
#: What a command with a failure status says on stderr (the only thing besides plugin noise, -q or not).
FAILURE_LINES = {
    "plugin check": re.compile(
        r"\Amyapp: error: plugin check found errors in \d+ plugins: .*\nhint: the table lists .*\n\Z"
    )
}

ANSI_ESCAPE = re.compile(r"\x1b\[")
#: What the session's test plugins print when imported (myapp sends it to stderr, -q or not).
PLUGIN_NOISE = re.compile(r"^noise from .*\n", re.MULTILINE)


def command_class(name: str) -> type:
    module, _, attribute = BUILTIN_COMMANDS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def builtin_name(command_line: str) -> str:
    return next(name for name in sorted(BUILTIN_COMMANDS, key=len, reverse=True) if command_line.startswith(name))


def is_of(value: object, kind: Kind) -> bool:
    if isinstance(kind, ListOf):
        return isinstance(value, list) and all(isinstance(item, kind.item) for item in value)
    return isinstance(value, kind)


def check_fields(document: object, fields: dict[str, Kind], many: bool) -> None:
    """Every record of *document* has exactly *fields*, in order, each of its type."""
    assert isinstance(document, list if many else dict)
    records = document if many else [document]
    assert records, "no record to check the fields of"
    for record in records:
        assert list(record) == list(fields)
        for field, kind in fields.items():
            assert is_of(record[field], kind), f"{field}: {record[field]!r} is not {kind}"


def arrange(command_line: str, installed: VirtualEnvironment, tmp_path: Path, wheels: dict[str, Path]) -> str:
    """Make what the command line needs; return it with its placeholders filled."""
    if command_line.startswith("plugin sync"):
        # The installed set, but with myapp-lazy disabled: sync has exactly that to do.
        frozen = installed.run("myapp", "plugin", "freeze").stdout
        table = frozen[frozen.index("[plugins.myapp-lazy]") :].split("\n\n", 1)[0]
        (tmp_path / "set.toml").write_text(frozen.replace(table, table.replace("enabled = true", "enabled = false")))
    return command_line.format(tmp=tmp_path, lazy_wheel=wheels["myapp-lazy"])


def test_every_builtin_data_command_has_a_schema() -> None:
    data = {name for name in BUILTIN_COMMANDS if issubclass(command_class(name), (Lister, ShowOne))}

    assert data == {builtin_name(line) for line in SCHEMAS}
    assert set(BUILTIN_COMMANDS) - data == NOT_DATA


def test_the_schemas_are_documented() -> None:
    page = (REPOSITORY / "docs" / "output.rst").read_text()

    for command_line, fields in SCHEMAS.items():
        assert f"``{builtin_name(command_line)}" in page
        for field in fields:
            assert f"``{field}``" in page or field == "myapp", f"{command_line}: {field} is not documented"


@pytest.mark.parametrize("command_line", list(SCHEMAS))
def test_json_fields_and_types_are_the_documented_ones_and_q_leaves_only_data(
    command_line: str, installed: VirtualEnvironment, tmp_path: Path, wheels: dict[str, Path]
) -> None:
    argv = arrange(command_line, installed, tmp_path, wheels).split()
    many = issubclass(command_class(builtin_name(command_line)), Lister)

    result = installed.run("myapp", "-q", *argv, "-f", "json", timeout=300)

    assert result.returncode == EXIT_STATUS.get(command_line, 0), result.stderr
    check_fields(json.loads(result.stdout), SCHEMAS[command_line], many)
    stderr = PLUGIN_NOISE.sub("", result.stderr)  # -q: data and errors only
    assert FAILURE_LINES[command_line].match(stderr) if command_line in FAILURE_LINES else stderr == ""
    assert not ANSI_ESCAPE.search(result.stdout)


@pytest.mark.parametrize("argv", [["plugin", "list"], ["plugin", "show", "myapp-good"], ["bug-report"]])
def test_yaml_holds_the_same_arrays_as_json(installed: VirtualEnvironment, argv: list[str]) -> None:
    as_json = installed.run("myapp", *argv, "-f", "json")
    as_yaml = installed.run("myapp", *argv, "-f", "yaml")

    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)


def test_an_empty_result_prints_nothing_on_stdout(installed: VirtualEnvironment, tmp_path: Path) -> None:
    plugin_set = tmp_path / "set.toml"
    assert installed.run("myapp", "plugin", "freeze", "-o", str(plugin_set)).returncode == 0

    check = installed.run("myapp", "plugin", "check", "myapp-good")
    sync = installed.run("myapp", "plugin", "sync", str(plugin_set))
    as_json = installed.run("myapp", "plugin", "check", "myapp-good", "-f", "json")

    assert (check.returncode, check.stdout) == (0, "")
    assert (sync.returncode, sync.stdout) == (0, ""), sync.stderr
    assert (as_json.returncode, as_json.stdout) == (0, "[]\n")  # an empty list is still a JSON document


def test_plugin_uninstall_and_install_report_what_changed(
    installed: VirtualEnvironment, wheels: dict[str, Path]
) -> None:
    removed = installed.run("myapp", "plugin", "uninstall", "myapp-lazy", "-f", "json", timeout=300)
    added = installed.run(
        "myapp", "plugin", "install", "--pip-arg", "--no-deps", str(wheels["myapp-lazy"]), "-f", "json", timeout=300
    )

    assert json.loads(removed.stdout) == [
        {"Change": "removed", "Kind": "command", "Name": "lazy", "Plugin": "myapp-lazy"}
    ]
    assert json.loads(added.stdout) == [{"Change": "added", "Kind": "command", "Name": "lazy", "Plugin": "myapp-lazy"}]


@pytest.mark.parametrize(
    ("options", "env"),
    [((), {}), (("--no-color",), {}), ((), {"NO_COLOR": "1"}), ((), {"MYAPP_NO_COLOR": "1"})],
    ids=["not-a-terminal", "--no-color", "NO_COLOR", "MYAPP_NO_COLOR"],
)
def test_no_ansi_escapes_off_a_terminal_or_when_colour_is_off(
    installed: VirtualEnvironment, options: tuple[str, ...], env: dict[str, str]
) -> None:
    for argv in (["plugin", "list"], ["hello", "--help"], ["plugin", "check"], ["frobnicate"]):
        result = installed.run("myapp", *options, *argv, env=env)

        assert not ANSI_ESCAPE.search(result.stdout + result.stderr), argv


def test_log_format_json_writes_one_json_object_per_line_on_stderr(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-v", "--log-format", "json", "hello", "ada")

    assert result.returncode == 0
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records
    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record)
    greeted = [r for r in records if r["logger"] == "myapp_plugins_example.hooks"]
    assert greeted and all(r["distribution"] == "myapp-plugins-example" for r in greeted)
    assert all(r["level"] in ("debug", "info", "warning", "error", "critical") for r in records)


def test_log_format_json_applies_to_the_log_file_and_errors_stay_plain(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"

    result = installed.run("myapp", "--log-file", str(log), "--log-format", "json", "broken_import")

    assert result.returncode == 3
    assert result.stderr.startswith("myapp: error: plugin 'myapp-broken' could not load")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r["level"] == "debug" for r in records)


def test_log_format_from_the_environment_and_a_bad_value_is_a_usage_error(installed: VirtualEnvironment) -> None:
    good = installed.run("myapp", "-v", "hello", "ada", env={"MYAPP_LOG_FORMAT": "json"})
    bad = installed.run("myapp", "hello", "ada", env={"MYAPP_LOG_FORMAT": "xml"})

    assert all(json.loads(line) for line in good.stderr.splitlines())
    assert bad.returncode == 2
    assert bad.stderr.startswith("myapp: error:")
    assert "MYAPP_LOG_FORMAT" in bad.stderr
