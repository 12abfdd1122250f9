"""Reading plugins' metadata: drop-in info files, the folders metadata lives in, and how it was installed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from myapp.index.metadata import info_files, is_edited_in_place, metadata_folders, read_distribution, read_info_file

GOOD_INFO = """\
name = "site-tools"
version = "1.2"
description = "Tools for our site"

[commands]
deploy = "site_tools:Deploy"

[hooks]
pre_deploy = ["site_tools:check_branch", "other:check_branch"]
post_deploy = "site_tools:notify"
"""


def write_info(folder: Path, text: str) -> str:
    path = folder / "site-tools.plugin.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_info_file_gives_its_row_and_entry_points(tmp_path: Path) -> None:
    location = write_info(tmp_path, GOOD_INFO)
    found = read_info_file(location, "tool.")
    assert found is not None
    row, entry_points = found
    assert row == ("site-tools", "1.2", "Tools for our site", location, ())
    assert [(ep.group, ep.name, ep.value) for ep in entry_points] == [
        ("tool.commands", "deploy", "site_tools:Deploy"),
        ("tool.hooks.pre_deploy", "check_branch", "site_tools:check_branch"),
        ("tool.hooks.pre_deploy", "check_branch_1", "other:check_branch"),
        ("tool.hooks.post_deploy", "notify", "site_tools:notify"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('version = "1"\n', "'name' must be a non-empty string"),
        ("name = 3\n", "'name' must be a non-empty string"),
        ('name = "x"\ncommands = 3\n', "'commands' must be a table"),
        ('name = "x"\n[commands]\ndeploy = 3\n', "'commands.deploy' must be a \"module:attribute\" string"),
        ('name = "x"\n[hooks]\npre_deploy = [3]\n', "'hooks.pre_deploy' must be a \"module:attribute\" string"),
        ('name = "x"\n[hooks]\npre_deploy = 3\n', "'hooks.pre_deploy' must be a \"module:attribute\" string or a list"),
        ('name = "x\n', "site-tools.plugin.toml:1:"),
    ],
)
def test_a_malformed_info_file_is_ignored_with_a_warning_that_names_the_problem(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, problem: str
) -> None:
    location = write_info(tmp_path, text)
    with caplog.at_level(logging.WARNING, logger="myapp.index.metadata"):
        assert read_info_file(location, "tool.") is None
    [record] = caplog.records
    assert record.getMessage().startswith(f"ignoring drop-in plugin '{location}': ")
    assert problem in record.getMessage()


def test_metadata_folders_and_info_files_are_listed_sorted_and_unreadable_folders_skipped(tmp_path: Path) -> None:
    for name in ("b-1.0.dist-info", "a-1.0.egg-info", "pkg", "z.plugin.toml", "y.plugin.toml", "notes.toml"):
        (tmp_path / name).mkdir()
    missing = str(tmp_path / "missing")
    assert list(metadata_folders([missing, str(tmp_path)])) == [
        str(tmp_path / "a-1.0.egg-info"),
        str(tmp_path / "b-1.0.dist-info"),
    ]
    assert info_files([str(tmp_path), missing]) == [str(tmp_path / "y.plugin.toml"), str(tmp_path / "z.plugin.toml")]


def write_dist_info(folder: Path, metadata: str) -> str:
    """A ``.dist-info`` folder with *metadata* and one command entry point."""
    dist_info = folder / "widget-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(metadata, encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[tool.commands]\nwidget = widget:Widget\n", encoding="utf-8")
    return str(dist_info)


def test_a_distribution_without_version_or_summary_is_read_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Python 3.12 deprecates reading a missing field with [] (filterwarnings = error makes that fail here).
    folder = write_dist_info(tmp_path, "Metadata-Version: 2.1\nName: widget\n")
    found = read_distribution(folder, ("tool.",), ("[tool.",))
    assert found is not None
    row, entry_points = found
    assert row == ("widget", "", "", folder, ())
    assert [(ep.group, ep.name, ep.value) for ep in entry_points] == [("tool.commands", "widget", "widget:Widget")]
    assert caplog.records == []


def test_a_distribution_without_a_name_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = write_dist_info(tmp_path, "Metadata-Version: 2.1\nVersion: 1.0\n")
    with caplog.at_level(logging.WARNING, logger="myapp.index.metadata"):
        assert read_distribution(folder, ("tool.",), ("[tool.",)) is None
    assert [record.getMessage() for record in caplog.records] == [f"ignoring {folder}: its metadata has no Name"]


@pytest.mark.parametrize(
    ("direct_url", "edited"),
    [
        ('{"url": "file:///home/ada/widget", "dir_info": {"editable": true}}', True),
        ('{"url": "file:///home/ada/widget", "dir_info": {}}', False),
        ('{"url": "file:///wheels/widget-1.0-py3-none-any.whl", "archive_info": {}}', False),
        ('{"url": "https://example.invalid/widget.git", "vcs_info": {"vcs": "git", "commit_id": "abc"}}', False),
        ("not json", False),
        ("[1, 2]", False),
        (None, False),
    ],
    ids=["editable", "folder", "wheel", "vcs", "malformed", "not-an-object", "from-an-index"],
)
def test_only_an_editable_install_runs_from_where_it_is_edited(
    tmp_path: Path, direct_url: str | None, edited: bool
) -> None:
    folder = tmp_path / "widget-1.0.dist-info"
    folder.mkdir()
    if direct_url is not None:
        (folder / "direct_url.json").write_text(direct_url)

    assert is_edited_in_place(str(folder)) is edited


def test_egg_info_folders_and_drop_in_plugins_run_from_where_they_are_edited(tmp_path: Path) -> None:
    assert is_edited_in_place(str(tmp_path / "widget.egg-info"))
    assert is_edited_in_place(write_info(tmp_path, GOOD_INFO))
