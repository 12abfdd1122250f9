"""Logging set-up: JSON lines, and when colour is allowed."""

from __future__ import annotations

import io
import json
import logging

import pytest

from myapp.console import JsonFormatter, colour_allowed, install_logging, remove_logging_handlers
from myapp.identity import MYAPP


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def record(name: str = "some.module", message: str = "hello %s", **extra: object) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.WARNING, __file__, 1, message, ("world",), None)
    made.__dict__.update(extra)
    return made


def test_json_lines_carry_time_level_logger_and_message() -> None:
    line = json.loads(JsonFormatter().format(record()))

    assert list(line) == ["time", "level", "logger", "message"]
    assert (line["level"], line["logger"], line["message"]) == ("warning", "some.module", "hello world")
    assert line["time"].endswith("+00:00")


def test_json_lines_name_the_plugin_when_known() -> None:
    owners = {"plugin_pkg": "my-plugin"}
    formatter = JsonFormatter(lambda name: owners.get(name.partition(".")[0]))

    assert json.loads(formatter.format(record("plugin_pkg.hooks")))["distribution"] == "my-plugin"
    assert "distribution" not in json.loads(formatter.format(record("other")))
    assert json.loads(formatter.format(record("other", distribution="given")))["distribution"] == "given"


def test_install_logging_in_json_writes_json_to_the_console() -> None:
    stream = io.StringIO()
    install_logging("myapp", stream, 1, None, MYAPP, log_format="json")
    try:
        logging.getLogger("x.y").warning("careful")
    finally:
        remove_logging_handlers()

    assert json.loads(stream.getvalue())["message"] == "careful"


@pytest.mark.parametrize(
    ("stream", "no_color", "env", "allowed"),
    [
        (FakeTerminal(), False, {}, True),
        (io.StringIO(), False, {}, False),
        (FakeTerminal(), True, {}, False),
        (FakeTerminal(), False, {"NO_COLOR": "1"}, False),
        (FakeTerminal(), False, {"NO_COLOR": ""}, True),
        (FakeTerminal(), False, {"TERM": "dumb"}, False),
    ],
    ids=["terminal", "not-a-terminal", "--no-color", "NO_COLOR", "empty-NO_COLOR", "TERM=dumb"],
)
def test_colour_only_on_a_terminal_that_allows_it(
    stream: io.StringIO, no_color: bool, env: dict[str, str], allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert colour_allowed(stream, no_color) is allowed
