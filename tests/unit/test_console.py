"""Logging set-up: JSON lines, and when colour is allowed."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from myapp.console import JsonFormatter, colour_allowed, install_logging, remove_logging_handlers
from myapp.errors import UsageError
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


def test_a_new_log_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    log_file = tmp_path / "run.log"
    previous = os.umask(0o022)
    try:
        install_logging("myapp", io.StringIO(), 1, log_file, MYAPP)
        logging.getLogger("myapp.test").warning("a line")
    finally:
        os.umask(previous)
        remove_logging_handlers()

    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert "a line" in log_file.read_text(encoding="utf-8")


def test_a_log_file_that_is_a_link_of_another_user_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can give a link to another user (the functional test plants one as that user)")
    target = tmp_path / "victim"
    link = tmp_path / "run.log"
    link.symlink_to(target)
    other = 65534
    os.lchown(link, other, other)

    with pytest.raises(UsageError) as caught:
        install_logging("myapp", io.StringIO(), 1, link, MYAPP)

    assert caught.value.message == f"cannot write the log file '{link}' (a symbolic link that uid {other} owns)"
    assert not target.exists()


def test_a_log_file_that_is_a_link_of_the_user_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "logs" / "today.log"
    target.parent.mkdir()
    link = tmp_path / "run.log"
    link.symlink_to(target)
    try:
        install_logging("myapp", io.StringIO(), 1, link, MYAPP)
        logging.getLogger("myapp.test").warning("through the link")
    finally:
        remove_logging_handlers()

    assert "through the link" in target.read_text(encoding="utf-8")
