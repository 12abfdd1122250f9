"""``plugin sync`` and ``plugin uninstall`` ask on a terminal before they uninstall, and never off one."""

from __future__ import annotations

import argparse
import io
from types import SimpleNamespace
from typing import Any

import pytest

from myapp.builtin.pluginset import confirm
from myapp.errors import ExitCode, MyappError

PLAN = [("install", "myapp-new", "1.0"), ("uninstall", "myapp-old-and-long", "2.0")]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def app(stdin: io.StringIO, stderr: io.StringIO) -> Any:
    return SimpleNamespace(NAME="myapp", stdin=stdin, stderr=stderr)


def options(yes: bool = False) -> argparse.Namespace:
    return argparse.Namespace(yes=yes, dry_run=False)


@pytest.mark.parametrize("answer", ["y\n", "YES\n", " yes \n"])
def test_on_a_terminal_the_plan_is_shown_and_yes_goes_ahead(answer: str) -> None:
    stderr = FakeTerminal()

    confirm(app(FakeTerminal(answer), stderr), options(), PLAN, "uninstall myapp-old-and-long")

    assert stderr.getvalue() == (
        "  install    myapp-new           1.0\n"
        "  uninstall  myapp-old-and-long  2.0\n"
        "uninstall myapp-old-and-long? [y/N] "
    )


@pytest.mark.parametrize("answer", ["\n", "n\n", "no\n", "yep\n", ""], ids=["enter", "n", "no", "other", "end"])
def test_on_a_terminal_anything_but_yes_changes_nothing_and_exits_1(answer: str) -> None:
    stderr = FakeTerminal()

    with pytest.raises(MyappError) as raised:
        confirm(app(FakeTerminal(answer), stderr), options(), PLAN, "uninstall myapp-old-and-long")

    assert raised.value.exit_code == ExitCode.FAILURE
    assert raised.value.message == "nothing was changed: the answer was not yes"
    assert stderr.getvalue().endswith("[y/N] " + ("" if answer else "\n"))


@pytest.mark.parametrize(
    ("stdin", "stderr"),
    [(io.StringIO("n\n"), FakeTerminal()), (FakeTerminal("n\n"), io.StringIO())],
    ids=["input-not-a-terminal", "stderr-not-a-terminal"],
)
def test_off_a_terminal_it_never_asks(stdin: io.StringIO, stderr: io.StringIO) -> None:
    confirm(app(stdin, stderr), options(), PLAN, "uninstall myapp-old-and-long")

    assert stderr.getvalue() == ""
    assert stdin.read() == "n\n"  # not a word read


def test_yes_never_asks() -> None:
    stdin, stderr = FakeTerminal("n\n"), FakeTerminal()

    confirm(app(stdin, stderr), options(yes=True), PLAN, "uninstall myapp-old-and-long")

    assert (stderr.getvalue(), stdin.read()) == ("", "n\n")
