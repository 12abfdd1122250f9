"""The list of cliff's tests that check a documented difference stays short, well-formed and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cliff_conformance.swap import DIFFERENCES_FILE, read_differences

DIFFERENCES_PAGE = Path(__file__).parents[2] / "docs" / "cliff-differences.rst"


def documented_keywords() -> set[str]:
    """The keywords of the table of differences in docs/cliff-differences.rst."""
    text = DIFFERENCES_PAGE.read_text(encoding="utf-8")
    return set(re.findall(r"^   \* - ([a-z -]+)$", text, re.MULTILINE)) - {"Keyword"}


def test_every_listed_test_gives_a_documented_difference_as_its_reason() -> None:
    keywords = documented_keywords()
    differences = read_differences()

    assert {"metadata", "abbreviations", "errors", "help", "built-ins", "shell"} <= keywords
    assert len(differences) <= 25, "the list is meant to stay short: fix the cause instead"
    for test, reason in differences.items():
        assert reason.partition(":")[0] in keywords, f"{test}: '{reason}' names no difference of the page"


def test_a_malformed_line_is_refused_with_its_number(tmp_path: Path) -> None:
    listed = tmp_path / "differences.txt"
    listed.write_text("# comment\ntest_app::TestX::test_y  # errors: why\ntest_app::TestX::test_z\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"differences.txt:3: expected"):
        read_differences(listed)


def test_the_list_is_the_file_the_plugin_reads() -> None:
    assert DIFFERENCES_FILE.name == "differences.txt"
    assert read_differences(DIFFERENCES_FILE)
