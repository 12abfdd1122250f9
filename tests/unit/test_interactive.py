"""The interactive shell's completion, against a live app (built-in commands only)."""

from __future__ import annotations

import io

import pytest

from myapp.app import App
from myapp.console import remove_logging_handlers
from myapp.interactive import complete_line


@pytest.fixture
def app() -> App:
    """An app that has run once, as the shell finds it: configured, with its command table."""
    app = App(path=[], stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    try:
        assert app.run(["config", "path"]) == 0
    finally:
        remove_logging_handlers()
    return app


def values(app: App, words: list[str], current: str) -> list[str]:
    return [candidate.value for candidate in complete_line(app, words, current).candidates]


def test_first_words_of_command_names(app: App) -> None:
    assert values(app, [], "plu") == ["plugin"]
    assert "hooks" in values(app, [], "")


def test_the_next_word_of_a_command_name(app: App) -> None:
    assert values(app, ["plugin"], "li") == ["list"]
    assert values(app, ["plugin"], "s") == ["show", "sync"]


def test_the_options_of_the_command_being_typed(app: App) -> None:
    assert "--verify" in values(app, ["plugin", "list"], "--v")
    assert values(app, ["plugin", "list"], "--nothing-like-this") == []


def test_option_values_from_choices(app: App) -> None:
    assert values(app, ["plugin", "list", "-f"], "j") == ["json"]


def test_unknown_words_offer_nothing(app: App) -> None:
    assert values(app, ["frobnicate"], "") == []
