"""``write_atomic``: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from myapp._files import MissingHomeError, foreign_owner, make_folders, write_atomic


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


def test_a_new_file_gets_the_mode_asked_for_narrowed_by_the_umask(folder: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_atomic(folder / "open.txt", "text", new_mode=0o644)
    finally:
        os.umask(previous)

    assert stat.S_IMODE((folder / "open.txt").stat().st_mode) == 0o600


def test_a_missing_home_folder_is_never_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "gone"
    monkeypatch.setenv("HOME", str(home))

    with pytest.raises(MissingHomeError) as caught:
        make_folders(home / ".cache" / "myapp")

    assert caught.value.strerror == f"the home folder '{home}' does not exist"
    assert not home.exists()


def test_folders_outside_a_missing_home_are_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "gone"))

    make_folders(tmp_path / "elsewhere" / "cache")

    assert (tmp_path / "elsewhere" / "cache").is_dir()


@pytest.mark.skipif(os.getuid() != 0, reason="what root must not do")
def test_root_makes_no_folder_inside_another_users_folder(tmp_path: Path) -> None:
    home = tmp_path / "someone"
    home.mkdir()
    os.chown(home, 65534, 65534)

    with pytest.raises(PermissionError, match="inside a folder of uid 65534, and this is root"):
        make_folders(home / ".config" / "myapp")
    with pytest.raises(PermissionError):
        write_atomic(home / ".cache" / "file", "text")

    assert list(home.iterdir()) == []
    assert foreign_owner(home / "anything") == 65534
    assert foreign_owner(tmp_path) is None
