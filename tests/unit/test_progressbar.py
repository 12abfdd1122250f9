"""The progress helper: plain lines off a terminal, a rich bar on one, nothing when quiet."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from myapp import progressbar
from myapp._process import direct_progress
from myapp.progressbar import Progress, progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _default_settings() -> Iterator[None]:
    yield
    direct_progress(None, quiet=False, colour=True)


def test_progress_yields_every_item_in_order() -> None:
    direct_progress(io.StringIO(), quiet=False, colour=False)

    assert list(progress(range(5), description="counting")) == [0, 1, 2, 3, 4]


def test_off_a_terminal_work_within_the_interval_prints_nothing() -> None:
    stream = io.StringIO()
    direct_progress(stream, quiet=False, colour=False)

    list(progress(["a", "b", "c"], description="letters"))

    assert stream.getvalue() == ""


def test_off_a_terminal_a_line_each_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    direct_progress(stream, quiet=False, colour=False)
    monkeypatch.setattr(progressbar, "PLAIN_INTERVAL", 0.0)

    with Progress("steps", total=4) as bar:
        bar.advance()
        bar.advance(2)

    assert stream.getvalue().splitlines()[:2] == ["steps: 1/4 (25%)", "steps: 3/4 (75%)"]
    assert stream.getvalue().splitlines()[2].startswith("steps: 3/4 (75%) done in ")


def test_without_a_total_the_count_alone_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    direct_progress(stream, quiet=False, colour=False)
    monkeypatch.setattr(progressbar, "PLAIN_INTERVAL", 0.0)

    list(progress(iter("xyz"), description="stream"))

    assert stream.getvalue().splitlines()[0] == "stream: 1"
    assert stream.getvalue().splitlines()[-1].startswith("stream: 3 done in ")


def test_quiet_shows_nothing_on_a_terminal_or_off_it() -> None:
    for stream in (io.StringIO(), FakeTerminal()):
        direct_progress(stream, quiet=True, colour=True)
        with Progress("quiet", total=2) as bar:
            bar.advance(2)

        assert stream.getvalue() == ""
        assert not bar.is_drawn


def test_on_a_terminal_a_bar_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    stream = FakeTerminal()
    direct_progress(stream, quiet=False, colour=True)

    with Progress("drawing", total=2) as bar:
        bar.advance(2)

    assert bar.is_drawn
    assert "drawing" in stream.getvalue()
    assert "2/2" in stream.getvalue()
    assert "done in" not in stream.getvalue()


def test_on_a_dumb_terminal_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr(progressbar, "PLAIN_INTERVAL", 0.0)
    stream = FakeTerminal()
    direct_progress(stream, quiet=False, colour=True)

    with Progress("dumb", total=1) as bar:
        bar.advance()

    assert not bar.is_drawn
    assert stream.getvalue().splitlines() == ["dumb: 1/1 (100%)", stream.getvalue().splitlines()[1]]
    assert stream.getvalue().splitlines()[1].startswith("dumb: 1/1 (100%) done in ")


def test_without_colour_the_bar_has_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    stream = FakeTerminal()
    direct_progress(stream, quiet=False, colour=False)

    with Progress("plain", total=1) as bar:
        bar.advance()

    assert bar.is_drawn
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]", stream.getvalue())


def test_rich_is_not_imported_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "rich.progress", raising=False)
    direct_progress(io.StringIO(), quiet=False, colour=True)

    list(progress([1, 2]))

    assert "rich.progress" not in sys.modules
