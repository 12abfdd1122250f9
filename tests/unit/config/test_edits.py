"""Editing the user's config file: comments kept byte for byte, one step, same mode, under a lock."""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from myapp.config.edits import add_name, edit_config, locked, remove_name
from myapp.config.layers import load_config
from myapp.errors import ConfigError, ExitCode
from myapp.identity import MYAPP

#: A file as a user writes it: comments everywhere, odd spacing, a table after the top-level keys.
HEAD = """\
# My myapp settings -- written by hand, keep every byte.
debug = false   # tracebacks only when I ask
verbose   =   1
"""
TAIL = """\

[hooks]
# fail closed, always
on_failure = "fail"   # really

[profiles.ci]
only_plugins = [ "myapp-good" ]  # CI runs one plugin
"""
COMMENTED = HEAD + TAIL


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    path.chmod(mode)
    return path


def disable(name: str) -> object:
    return lambda document: add_name(document, "disable_plugins", name)


def enable(name: str) -> object:
    return lambda document: remove_name(document, "disable_plugins", name)


def identity_of(path: Path) -> tuple[int, int]:
    """The inode and modification time: both change when the file is rewritten."""
    result = path.stat()
    return result.st_ino, result.st_mtime_ns


# --- keeping what the user wrote -----------------------------------------------------------------


def test_adding_a_name_keeps_comments_and_other_keys_byte_for_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED)

    assert edit_config(path, disable("myapp-lazy")) is True

    assert path.read_bytes().decode() == HEAD + 'disable_plugins = ["myapp-lazy"]\n' + TAIL


def test_a_new_list_is_a_top_level_key_before_the_first_table(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED)

    edit_config(path, disable("myapp-lazy"))

    text = path.read_text()
    assert text.index("disable_plugins") < text.index("[hooks]")
    document = tomlkit.parse(text)
    assert document["disable_plugins"] == ["myapp-lazy"]
    assert "disable_plugins" not in document["hooks"]  # type: ignore[operator]
    assert "disable_plugins" not in document["profiles"]["ci"]  # type: ignore[index, operator]


def test_the_edited_file_is_read_back_by_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path))
    path = write(tmp_path / "config.toml", COMMENTED)

    edit_config(path, disable("myapp-lazy"))
    config = load_config(MYAPP, environ={})

    assert config["disable_plugins"] == ("myapp-lazy",)
    assert config.origin("disable_plugins") == f"{path}:4"
    assert (config["debug"], config["verbose"], config["hooks.on_failure"]) == (False, 1, "fail")


def test_a_file_of_tables_only_gets_the_list_above_them(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", TAIL.lstrip("\n"))

    edit_config(path, disable("myapp-lazy"))

    assert path.read_text() == 'disable_plugins = ["myapp-lazy"]\n\n' + TAIL.lstrip("\n")


def test_adding_to_a_multi_line_list_keeps_its_comments(tmp_path: Path) -> None:
    before = 'disable_plugins = [\n    "myapp-lazy",  # too slow\n]\n'
    path = write(tmp_path / "config.toml", before + TAIL)

    edit_config(path, disable("myapp-good"))

    assert path.read_text() == 'disable_plugins = [\n    "myapp-lazy",  # too slow\n    "myapp-good",\n]\n' + TAIL


def test_removing_a_name_keeps_the_other_items_and_their_comments(tmp_path: Path) -> None:
    before = 'disable_plugins = [\n    "a",  # keep a\n    "myapp-lazy",  # too slow\n    "c",\n]\n'
    path = write(tmp_path / "config.toml", HEAD + before + TAIL)

    assert edit_config(path, enable("myapp-lazy")) is True

    assert path.read_text() == HEAD + 'disable_plugins = [\n    "a",  # keep a\n    "c",\n]\n' + TAIL


def test_removing_the_last_name_removes_the_key_and_leaves_the_rest_byte_for_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED)
    edit_config(path, disable("myapp-lazy"))

    assert edit_config(path, enable("MyApp_Lazy")) is True

    assert path.read_text() == COMMENTED


def test_a_list_left_empty_keeps_the_comment_the_user_wrote_on_its_line() -> None:
    document = tomlkit.parse('# mine\ndisable_plugins = ["myapp-lazy"]  # off until fixed\n\n# end\n')

    remove_name(document, "disable_plugins", "myapp-lazy")

    assert document.as_string() == "# mine\ndisable_plugins = []  # off until fixed\n\n# end\n"


def test_an_empty_list_the_user_wrote_stays_when_nothing_is_removed_from_it() -> None:
    document = tomlkit.parse("disable_plugins = []  # none for now\n")

    remove_name(document, "disable_plugins", "myapp-lazy")

    assert document.as_string() == "disable_plugins = []  # none for now\n"


def test_a_missing_file_is_created_with_just_the_list(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"

    assert edit_config(path, disable("myapp-lazy")) is True

    assert path.read_text() == 'disable_plugins = ["myapp-lazy"]\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_file_with_windows_line_endings_keeps_them(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED.replace("\n", "\r\n"))

    edit_config(path, disable("myapp-lazy"))

    assert path.read_bytes().startswith(HEAD.replace("\n", "\r\n").encode())
    assert path.read_bytes().endswith(TAIL.replace("\n", "\r\n").encode())


def test_a_symlinked_file_is_edited_where_it_lives(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    target = write(tmp_path / "dotfiles" / "config.toml", "")
    link = tmp_path / "config.toml"
    link.symlink_to(target)

    edit_config(link, disable("myapp-lazy"))

    assert link.is_symlink()
    assert target.read_text() == 'disable_plugins = ["myapp-lazy"]\n'


# --- permissions and rewriting -------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_the_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "config.toml", COMMENTED, mode)

    edit_config(path, disable("myapp-lazy"))

    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert "myapp-lazy" in path.read_text()


def test_a_new_file_gets_no_more_than_the_umask_allows(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    previous = os.umask(0o077)
    try:
        edit_config(path, disable("myapp-lazy"))
    finally:
        os.umask(previous)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_file_is_never_writable_by_others_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    previous = os.umask(0)
    try:
        edit_config(path, disable("myapp-lazy"))
    finally:
        os.umask(previous)

    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # the trust checks would refuse a group-writable file


def test_a_byte_order_mark_is_tolerated_and_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "\ufeff" + COMMENTED)

    assert edit_config(path, disable("myapp-lazy")) is True

    assert path.read_text(encoding="utf-8").startswith("\ufeff" + HEAD + 'disable_plugins = ["myapp-lazy"]\n')


def test_nothing_changed_returns_false_and_does_not_rewrite_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", HEAD + 'disable_plugins = ["MyApp_Lazy"]\n' + TAIL)
    before = identity_of(path)
    time.sleep(0.01)  # a rewrite would show in the modification time too

    assert edit_config(path, disable("myapp-lazy")) is False
    assert edit_config(path, enable("myapp-good")) is False
    assert edit_config(path, lambda document: None) is False

    assert identity_of(path) == before
    assert path.read_text() == HEAD + 'disable_plugins = ["MyApp_Lazy"]\n' + TAIL


def test_nothing_changed_in_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"

    assert edit_config(path, enable("myapp-lazy")) is False

    assert not path.exists()


def test_no_temporary_or_lock_file_is_left_behind(tmp_path: Path) -> None:
    path = write(tmp_path / "config" / "config.toml", COMMENTED)

    edit_config(path, disable("myapp-lazy"))
    edit_config(path, enable("myapp-lazy"))

    assert os.listdir(path.parent) == ["config.toml"]


def test_the_empty_lock_file_of_an_earlier_release_is_removed_by_the_next_edit(tmp_path: Path) -> None:
    path = write(tmp_path / "config" / "config.toml", COMMENTED)
    write(tmp_path / "config" / "config.toml.lock", "")

    edit_config(path, disable("myapp-lazy"))

    assert os.listdir(path.parent) == ["config.toml"]


def test_a_config_toml_lock_with_content_is_not_ours_and_stays(tmp_path: Path) -> None:
    path = write(tmp_path / "config" / "config.toml", COMMENTED)
    mine = write(tmp_path / "config" / "config.toml.lock", "the user's own file\n")

    edit_config(path, disable("myapp-lazy"))

    assert mine.read_text() == "the user's own file\n"


# --- files that cannot be edited -----------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_a_read_only_file_is_refused_and_left_alone(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "config.toml", COMMENTED, mode)
    before = identity_of(path)

    with pytest.raises(ConfigError) as caught:
        edit_config(path, disable("myapp-lazy"))

    assert caught.value.message == f"config file '{path}' is read-only; nothing was changed"
    assert caught.value.hint == f"edit it by hand, or let this command change it: chmod u+w {path}"
    assert identity_of(path) == before and stat.S_IMODE(path.stat().st_mode) == mode


def test_a_link_to_nothing_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    link = tmp_path / "config.toml"
    link.symlink_to(tmp_path / "dotfiles" / "myapp.toml")

    with pytest.raises(ConfigError) as caught:
        edit_config(link, disable("myapp-lazy"))

    assert caught.value.message == (
        f"config file '{link}' is a symbolic link to '{tmp_path}/dotfiles/myapp.toml', which does not exist; "
        "nothing was changed"
    )
    assert not (tmp_path / "dotfiles").exists()


def test_a_folder_where_the_file_should_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()

    with pytest.raises(ConfigError, match="is a folder, not a file; nothing was changed"):
        edit_config(path, disable("myapp-lazy"))


def test_a_file_that_nests_too_deeply_is_refused_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "verbose = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n")

    with pytest.raises(ConfigError) as caught:
        edit_config(path, disable("myapp-lazy"))

    assert caught.value.message == f"{path}:2:37: tables and arrays nest more than 32 levels deep"


def test_malformed_toml_is_a_config_error_at_path_line_and_column_and_the_file_is_untouched(tmp_path: Path) -> None:
    text = "verbose = 1\ndebug = tru\n"
    path = write(tmp_path / "config.toml", text)
    before = identity_of(path)
    called: list[object] = []

    with pytest.raises(ConfigError) as caught:
        edit_config(path, called.append)

    assert caught.value.message.startswith(f"{path}:2:")
    assert caught.value.message.split(":")[2].isdigit()  # the column
    assert caught.value.message.endswith("; nothing was changed")
    assert caught.value.line == 2
    assert caught.value.hint == "fix the file first"
    assert caught.value.exit_code == ExitCode.USAGE
    assert called == []
    assert path.read_text() == text
    assert identity_of(path) == before


def test_a_file_that_is_not_utf8_is_a_config_error_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"debug = '\xff'\n")

    with pytest.raises(ConfigError, match=r": cannot be read \("):
        edit_config(path, disable("myapp-lazy"))

    assert path.read_bytes() == b"debug = '\xff'\n"


def test_a_disable_plugins_that_is_not_a_list_is_an_error_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'disable_plugins = "myapp-lazy"\n')

    with pytest.raises(ConfigError, match="'disable_plugins' in the config file is not a list"):
        edit_config(path, disable("myapp-good"))

    assert path.read_text() == 'disable_plugins = "myapp-lazy"\n'


# --- add_name and remove_name --------------------------------------------------------------------


def test_add_name_adds_the_name_as_given_unless_a_spelling_of_it_is_there() -> None:
    document = tomlkit.parse('disable_plugins = ["MyApp_Lazy"]\n')

    add_name(document, "disable_plugins", "myapp.lazy")
    add_name(document, "disable_plugins", "MYAPP-LAZY")
    add_name(document, "disable_plugins", "MyApp_Good")

    assert document["disable_plugins"] == ["MyApp_Lazy", "MyApp_Good"]


def test_add_name_creates_the_list_under_any_key() -> None:
    document = tomlkit.parse("")

    add_name(document, "only_plugins", "myapp-good")

    assert document.as_string() == 'only_plugins = ["myapp-good"]\n'


def test_remove_name_removes_every_spelling_and_nothing_else() -> None:
    document = tomlkit.parse('disable_plugins = ["a", "MyApp_Lazy", "b", "myapp.lazy", "myapp-lazy-extra"]\n')

    remove_name(document, "disable_plugins", "MYAPP-LAZY")

    assert document["disable_plugins"] == ["a", "b", "myapp-lazy-extra"]


@pytest.mark.parametrize("text", ["", "debug = true\n", 'disable_plugins = "myapp-lazy"\n'])
def test_remove_name_without_a_list_changes_nothing(text: str) -> None:
    document = tomlkit.parse(text)

    remove_name(document, "disable_plugins", "myapp-lazy")

    assert document.as_string() == text


# --- edits at the same time ----------------------------------------------------------------------


def test_an_edit_waits_for_one_in_progress_and_both_take_effect(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", COMMENTED)
    first_is_editing = threading.Event()

    def slow_first(document: tomlkit.TOMLDocument) -> None:
        add_name(document, "disable_plugins", "first")
        first_is_editing.set()
        time.sleep(0.2)  # the second edit starts meanwhile; without the lock it would read the old file

    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(edit_config, path, slow_first)
        assert first_is_editing.wait(timeout=5)
        second = edit_config(path, disable("second"))
        assert first.result(timeout=5) is True

    assert second is True
    assert path.read_text() == HEAD + 'disable_plugins = ["first", "second"]\n' + TAIL


def test_the_lock_is_exclusive_and_released_after_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "debug = tru\n")
    with pytest.raises(ConfigError):
        edit_config(path, disable("x"))
    entered = threading.Event()

    def take_the_lock() -> None:
        with locked(path):
            entered.set()

    with locked(path):
        other = threading.Thread(target=take_the_lock)
        other.start()
        assert not entered.wait(timeout=0.1)
    other.join(timeout=5)

    assert entered.is_set()


def test_an_edit_gives_up_when_another_process_keeps_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from myapp.config import edits

    monkeypatch.setattr(edits, "LOCK_WAIT_SECONDS", 0.3)
    path = write(tmp_path / "config.toml", COMMENTED)
    before = identity_of(path)
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_the_lock, args=(str(path), ready, release))
    holder.start()
    try:
        assert ready.wait(timeout=30)
        started = time.monotonic()
        with pytest.raises(ConfigError) as caught:
            edit_config(path, disable("myapp-lazy"), tool="myapp")
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=30)

    assert 0.3 <= waited < 5
    assert caught.value.message == f"another myapp is editing the config file '{path}'; nothing was changed"
    assert caught.value.exit_code == ExitCode.USAGE
    assert identity_of(path) == before


def _hold_the_lock(path: str, ready: Any, release: Any) -> None:
    with locked(Path(path)):
        ready.set()
        release.wait(timeout=30)


def _disable_many(path: str, prefix: str, count: int) -> None:
    for number in range(count):
        edit_config(Path(path), disable(f"{prefix}-{number}"))


def test_processes_editing_at_once_lose_no_edit(tmp_path: Path) -> None:
    path = write(tmp_path / "config" / "config.toml", COMMENTED)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_disable_many, args=(str(path), name, 10)) for name in ("a", "b")]

    for worker in workers:
        worker.start()
    _disable_many(str(path), "main", 10)
    for worker in workers:
        worker.join(timeout=30)

    assert [worker.exitcode for worker in workers] == [0, 0]
    names = tomlkit.parse(path.read_text())["disable_plugins"]
    assert sorted(names) == sorted(f"{prefix}-{n}" for prefix in ("a", "b", "main") for n in range(10))  # type: ignore[union-attr]
    assert path.read_text().startswith(HEAD) and path.read_text().endswith(TAIL)
    assert os.listdir(path.parent) == ["config.toml"]
