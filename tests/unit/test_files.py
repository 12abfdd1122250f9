"""``write_atomic``: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from myapp._files import write_atomic


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def test_text_is_written(folder: Path) -> None:
    target = folder / "out.json"

    write_atomic(target, '{"é": 1}')

    assert target.read_text(encoding="utf-8") == '{"é": 1}'


def test_existing_file_is_replaced(folder: Path) -> None:
    target = folder / "out.txt"
    target.write_text("old")

    write_atomic(target, "new")

    assert target.read_text() == "new"


def test_no_temporary_file_is_left_behind(folder: Path) -> None:
    target = folder / "out.txt"

    write_atomic(target, "one")
    write_atomic(target, "two", durable=True)

    assert [p.name for p in folder.iterdir()] == ["out.txt"]


def test_missing_parent_folders_are_created(folder: Path) -> None:
    target = folder / "a" / "b" / "out.txt"

    write_atomic(target, "text")

    assert target.read_text() == "text"


def test_durable_write_writes_the_text(folder: Path) -> None:
    target = folder / "out.txt"

    write_atomic(target, "kept", durable=True)

    assert target.read_text() == "kept"


def test_failed_rename_keeps_the_original_and_removes_the_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "out.txt"
    target.write_text("original")

    def fail(source: str, destination: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", fail)

    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(target, "replacement")

    assert target.read_text() == "original"
    assert [p.name for p in folder.iterdir()] == ["out.txt"]


def test_interrupted_write_keeps_the_original(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = folder / "out.txt"
    target.write_text("original")

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "replacement", durable=True)

    assert target.read_text() == "original"
    assert [p.name for p in folder.iterdir()] == ["out.txt"]


def test_unwritable_location_raises_os_error(folder: Path) -> None:
    blocker = folder / "a-file"
    blocker.write_text("")

    with pytest.raises(OSError):
        write_atomic(blocker / "out.txt", "text")
