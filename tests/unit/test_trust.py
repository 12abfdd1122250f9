"""Trust checks: ownership and write permissions, and where the app applies them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from myapp.config.layers import load_config
from myapp.identity import MYAPP
from myapp.trust import unsafe_if_present_reason, unsafe_stat_reason


def fake_stat(uid: int, mode: int) -> os.stat_result:
    return os.stat_result((stat.S_IFREG | mode, 0, 0, 1, uid, 0, 0, 0, 0, 0))


def test_a_file_of_another_user_is_refused_with_the_fix() -> None:
    other = os.getuid() + 1 if os.getuid() else 65534
    reason = unsafe_stat_reason(Path("/x/config.toml"), fake_stat(other, 0o644))
    fix = "run the tool as that user" if os.getuid() == 0 else f"run 'chown {os.getuid()} /x/config.toml'"
    assert reason == f"is owned by another user (uid {other}); {fix}"


@pytest.mark.parametrize("uid", [0, os.getuid()])
def test_files_of_root_or_yourself_are_trusted(uid: int) -> None:
    assert unsafe_stat_reason(Path("/x"), fake_stat(uid, 0o755)) == ""


@pytest.mark.parametrize("mode", [0o664, 0o646, 0o777])
def test_group_or_world_writable_is_refused_with_the_chmod_fix(mode: int) -> None:
    assert (
        unsafe_stat_reason(Path("/x"), fake_stat(os.getuid(), mode))
        == "is writable by other users; run 'chmod go-w /x'"
    )


def test_something_the_tool_will_create_is_fine_while_missing(tmp_path: Path) -> None:
    assert unsafe_if_present_reason(tmp_path / "missing") == ""
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert unsafe_if_present_reason(blocker / "below") == ""


def test_untrusted_user_config_file_is_skipped_with_a_warning(
    isolated_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = isolated_home / ".config" / "myapp" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("debug = true\n")
    path.chmod(0o666)
    config = load_config(MYAPP, environ={})
    assert config["debug"] is False
    assert config.files[0].exists
    assert f"ignoring config file '{path}': it is writable by other users" in caplog.text
    path.chmod(0o600)
    assert load_config(MYAPP, environ={})["debug"] is True
