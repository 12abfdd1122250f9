"""Which entry-point names are refused because they could be read as paths or hide characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from myapp.index.discovery import load_index
from myapp.index.names import MAX_NAME_LENGTH, refused_entry_point_problem, unsafe_name_problem
from myapp.index.records import RefusedName
from tests.helpers.distributions import Distribution, install_into, settle

UNSAFE = {
    "a path": ("../../etc/x", "contains a path separator"),
    "a folder": ("tools/x", "contains a path separator"),
    "a Windows path": ("..\\x", "contains a path separator"),
    "the parent folder": ("..", "starts with '.'"),
    "hidden": (".hidden", "starts with '.'"),
    "NUL": ("a\x00b", "contains control or other unprintable characters"),
    "escape sequence": ("red\x1b[31m", "contains control or other unprintable characters"),
    "tab": ("a\tb", "contains control or other unprintable characters"),
    "too long": ("x" * (MAX_NAME_LENGTH + 1), f"is longer than {MAX_NAME_LENGTH} characters"),
    "empty": ("", "is empty"),
}


@pytest.mark.parametrize(("name", "problem"), UNSAFE.values(), ids=UNSAFE.keys())
def test_names_that_could_be_read_as_paths_or_hide_characters_are_refused(name: str, problem: str) -> None:
    assert unsafe_name_problem(name) == problem


@pytest.mark.parametrize("name", ["hello", "greeting_list", "hello.v2", "a..b", "café", "x" * MAX_NAME_LENGTH])
def test_plain_names_are_fine(name: str) -> None:
    assert unsafe_name_problem(name) == ""


def test_both_the_name_and_the_name_a_namespace_carries_are_checked() -> None:
    assert refused_entry_point_problem("myapp.commands", "../x", "myapp.") == "its name contains a path separator"
    assert refused_entry_point_problem("myapp.hooks.pre_a/../b", "hook", "myapp.") == (
        "its namespace's name contains a path separator"
    )
    assert refused_entry_point_problem("myapp.commands.x/y", "opt", "myapp.").startswith("its namespace's name")
    assert refused_entry_point_problem("myapp.hooks.pre_hello", "check", "myapp.") == ""


def test_namespaces_of_other_tools_are_not_judged() -> None:
    assert refused_entry_point_problem("cliff.formatter.list", "a/b", "myapp.") == ""


def test_the_index_leaves_refused_names_out_and_remembers_them(tmp_path: Path) -> None:
    install_into(
        Distribution(
            name="myapp-paths",
            files={"paths_plugin.py": ""},
            entry_points={
                "myapp.commands": {"tidy": "paths_plugin:Tidy", "../escape": "paths_plugin:Escape"},
                "myapp.hooks.pre_x/../y": {"sneak": "paths_plugin:sneak"},
            },
        ),
        tmp_path / "site",
    )
    settle(tmp_path / "site")
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):  # no cache, then written, then read
        index = load_index("myapp.", cache, [str(tmp_path / "site")])

        assert index.names("myapp.commands") == ["tidy"]
        assert index.groups() == ["myapp.commands"]
        assert index.refused_names == (
            RefusedName("myapp-paths", "myapp.commands", "../escape", "its name contains a path separator"),
            RefusedName(
                "myapp-paths", "myapp.hooks.pre_x/../y", "sneak", "its namespace's name contains a path separator"
            ),
        )
    assert list((tmp_path / "cache").glob("entry-points-*.bin"))
