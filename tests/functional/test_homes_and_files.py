"""Odd homes, the user's files and pathological config files, end to end (issue 14, points 5 to 7).

What root would hide runs as another user (see tests/helpers/users.py).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.helpers.users import NOBODY, as_user, needs_root, open_the_way, uid_without_entry
from tests.helpers.venvs import VirtualEnvironment

#: Commands that need neither the config file nor a cache: they must run in any home.
READERS = (("shout", "hi"), ("plugin", "list"), ("config", "show"))


def run_as(
    installed: VirtualEnvironment, uid: int, argv: Sequence[str], env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """myapp run as *uid* with exactly *env* (and PATH)."""
    open_the_way(installed.bin)
    return subprocess.run(
        as_user(uid, [str(installed.bin / "myapp"), *argv]),
        env={"PATH": os.environ["PATH"], **env},
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("myapp: warning: ")]


def assert_runs_with_at_most_one_warning(result: subprocess.CompletedProcess[str], argv: Sequence[str]) -> None:
    assert result.returncode == 0, (argv, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(warnings_in(result.stderr)) <= 1, result.stderr


def assert_one_error(result: subprocess.CompletedProcess[str], *says: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    errors = [number for number, line in enumerate(lines) if line.startswith("myapp: error: ")]
    assert len(errors) == 1 and errors[0] >= len(lines) - 2, result.stderr  # one error line, then maybe a hint
    assert all(line.startswith("hint: ") for line in lines[errors[0] + 1 :])
    for text in says:
        assert text in result.stderr
    assert "Traceback" not in result.stderr


# --- 5. odd homes ------------------------------------------------------------------------------------------------


@needs_root
def test_no_home_and_no_password_entry_readers_run_and_writers_say_what_they_cannot_write(
    installed: VirtualEnvironment,
) -> None:
    uid = uid_without_entry()
    for argv in READERS:
        result = run_as(installed, uid, argv, {})
        assert_runs_with_at_most_one_warning(result, argv)
        assert warnings_in(result.stderr) == []  # a container's arbitrary user: nothing to warn about
    for argv in (("plugin", "disable", "myapp-lazy"), ("hooks", "init")):
        assert_one_error(run_as(installed, uid, argv, {}), "there is no config folder", "set HOME, or MYAPP_CONFIG_DIR")


@needs_root
def test_an_unreadable_home_costs_one_warning_and_writers_exit_2(installed: VirtualEnvironment, tmp_path: Path) -> None:
    home = tmp_path / "root-only"
    (home / ".config" / "myapp").mkdir(parents=True)
    home.chmod(0o700)
    open_the_way(tmp_path)
    for argv in READERS:
        assert_runs_with_at_most_one_warning(run_as(installed, NOBODY, argv, {"HOME": str(home)}), argv)
    disable = run_as(installed, NOBODY, ("plugin", "disable", "myapp-lazy"), {"HOME": str(home)})
    assert_one_error(disable, f"config file '{home}/.config/myapp/config.toml' cannot be changed (Permission denied)")


@needs_root
def test_an_unreadable_config_folder_costs_one_warning_and_writers_exit_2(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    home = tmp_path / "home-of-nobody"
    folder = home / ".config" / "myapp"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("verbose = 2\n")
    for path in (home, home / ".config", folder, folder / "config.toml"):
        os.chown(path, NOBODY, NOBODY)
    folder.chmod(0)
    open_the_way(tmp_path)
    for argv in READERS:
        result = run_as(installed, NOBODY, argv, {"HOME": str(home)})
        assert_runs_with_at_most_one_warning(result, argv)
        assert warnings_in(result.stderr) == [
            f"myapp: warning: ignoring config file '{folder}/config.toml': it cannot be read (Permission denied)"
        ]
    disable = run_as(installed, NOBODY, ("plugin", "disable", "myapp-lazy"), {"HOME": str(home)})
    assert_one_error(disable, f"'{folder}/config.toml'", "Permission denied")


def test_a_home_that_does_not_exist_is_never_created(installed: VirtualEnvironment, tmp_path: Path) -> None:
    home = tmp_path / "gone"
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "XDG_DATA_HOME": ""}
    for argv in READERS:
        result = installed.run("myapp", *argv, env=env)
        assert result.returncode == 0 and warnings_in(result.stderr) == [], result.stderr
    assert installed.run("myapp", "--help", env=env).returncode == 0  # the broken test plugins warn, the home not
    disable = installed.run("myapp", "plugin", "disable", "myapp-lazy", env=env)
    assert_one_error(disable, f"the home folder '{home}' does not exist")
    assert disable.stderr.endswith("hint: create it, or set HOME to yours\n")
    assert_one_error(installed.run("myapp", "hooks", "init", env=env), f"the home folder '{home}' does not exist")

    assert not home.exists()


# --- 6. the user's files ----------------------------------------------------------------------------------------


def config_file(home: Path) -> Path:
    return home / ".config" / "myapp" / "config.toml"


def test_a_new_config_file_honours_the_umask(installed: VirtualEnvironment, isolated_home: Path) -> None:
    myapp = installed.bin / "myapp"
    for umask, mode in (("077", 0o600), ("022", 0o644)):
        config_file(isolated_home).unlink(missing_ok=True)
        result = installed.command(["sh", "-c", f"umask {umask}; exec {myapp} plugin disable myapp-lazy"])
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(config_file(isolated_home).stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_a_read_only_config_file_is_refused_not_replaced(
    installed: VirtualEnvironment, isolated_home: Path, mode: int
) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text("# mine\ndisable_plugins = []\n")
    path.chmod(mode)
    before = path.stat()

    result = installed.run("myapp", "plugin", "disable", "myapp-lazy")

    assert_one_error(result, f"config file '{path}' is read-only; nothing was changed", f"chmod u+w {path}")
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (before.st_ino, before.st_mtime_ns, mode)


def test_a_config_path_that_is_a_dangling_link_is_reported_and_not_followed(
    installed: VirtualEnvironment, isolated_home: Path, tmp_path: Path
) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.symlink_to(tmp_path / "dotfiles" / "myapp.toml")
    said = f"'{path}': it is a symbolic link to '{tmp_path}/dotfiles/myapp.toml', which does not exist"

    shout = installed.run("myapp", "shout", "hi")
    assert (shout.returncode, warnings_in(shout.stderr)) == (0, [f"myapp: warning: ignoring config file {said}"])
    assert_one_error(installed.run("myapp", "plugin", "disable", "myapp-lazy"), "is a symbolic link to")

    assert not (tmp_path / "dotfiles").exists()


def test_a_config_path_that_is_a_folder_is_reported(installed: VirtualEnvironment, isolated_home: Path) -> None:
    path = config_file(isolated_home)
    path.mkdir(parents=True)

    shout = installed.run("myapp", "shout", "hi")
    assert warnings_in(shout.stderr) == [f"myapp: warning: ignoring config file '{path}': it is a folder"]
    assert_one_error(installed.run("myapp", "plugin", "disable", "myapp-lazy"), "is a folder, not a file")


def test_a_log_file_is_created_private_and_never_through_a_planted_link(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    log = tmp_path / "run.log"
    assert installed.run("myapp", "--log-file", str(log), "shout", "hi").returncode == 0
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    if os.getuid() != 0:
        return
    shared = tmp_path / "shared"  # a /tmp of its own: anyone may add files, only their owner may remove them
    shared.mkdir(mode=0o777)
    shared.chmod(0o1777)
    open_the_way(shared)
    victim = tmp_path / "victim"
    planted = shared / "myapp.log"
    subprocess.run(as_user(NOBODY, ["ln", "-s", str(victim), str(planted)]), check=True)

    result = installed.run("myapp", "--log-file", str(planted), "shout", "hi")

    assert_one_error(result, f"cannot write the log file '{planted}' (a symbolic link that uid {NOBODY} owns)")
    assert not victim.exists()


@needs_root
def test_root_with_another_users_home_leaves_no_file_there_and_keeps_their_config(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    home = tmp_path / "someone"
    path = config_file(home)
    path.parent.mkdir(parents=True)
    path.write_text("disable_plugins = []\n")
    for folder in (home, home / ".config", path.parent, path):
        os.chown(folder, NOBODY, NOBODY)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "XDG_DATA_HOME": ""}

    for argv in (("--help",), ("shout", "hi"), ("plugin", "list")):
        assert installed.run("myapp", *argv, env=env).returncode == 0
    disable = installed.run("myapp", "plugin", "disable", "myapp-lazy", env=env)
    hooks = installed.run("myapp", "hooks", "init", env=env)

    assert_one_error(disable, f"config file '{path}' belongs to uid {NOBODY}; not changing it as root")
    assert hooks.returncode == 2 and "not writing there as root" in hooks.stderr
    assert path.read_text() == "disable_plugins = []\n"
    assert [p for p in home.rglob("*") if p.lstat().st_uid != NOBODY] == []


def test_a_config_lock_held_by_another_process_is_waited_for_then_reported(
    installed: VirtualEnvironment, isolated_home: Path
) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text("disable_plugins = []\n")
    holder = subprocess.Popen(["flock", "--exclusive", str(path.parent), "sleep", "30"])  # edits lock the folder
    try:
        time.sleep(0.5)
        started = time.monotonic()
        result = installed.run("myapp", "plugin", "disable", "myapp-lazy")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()

    assert_one_error(result, f"another myapp is editing the config file '{path}'; nothing was changed")
    assert 5 <= waited < 15
    assert path.read_text() == "disable_plugins = []\n"


def test_printing_what_changed_in_an_encoding_that_cannot_show_it_does_not_fail(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    home = tmp_path / "héllo"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "PYTHONIOENCODING": "ascii"}

    result = installed.run("myapp", "plugin", "disable", "myapp-lazy", "-f", "value", "-c", "Config file", env=env)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == str(tmp_path / "h\\xe9llo" / ".config" / "myapp" / "config.toml") + "\n"
    assert "myapp-lazy" in config_file(home).read_text()


# --- 7. pathological config files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("verbose = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", "2:37"),
        ("x = " + "{ a = " * 5_000 + "1" + " }" * 5_000 + "\n", "1:197"),
        ("verbose = 1\n" + ".".join(["k"] * 30_000) + " = 1\n", "2:66"),
        ("[" + ".".join(["t"] * 30_000) + "]\n", "1:67"),
    ],
    ids=["nested arrays", "nested inline tables", "a dotted key", "a table header"],
)
def test_a_config_file_nested_too_deeply_fails_fast_with_its_position(
    installed: VirtualEnvironment, tmp_path: Path, text: str, position: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text)

    started = time.monotonic()
    result = installed.run("myapp", "shout", "hi", env={"MYAPP_CONFIG": str(path)})

    assert time.monotonic() - started < 5
    assert_one_error(result, f"myapp: error: {path}:{position}: tables and arrays nest more than 32 levels deep")


def test_a_deep_user_config_file_is_not_edited(installed: VirtualEnvironment, isolated_home: Path) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text("x = " + "[" * 1_000 + "]" * 1_000 + "\n")

    result = installed.run("myapp", "plugin", "disable", "myapp-lazy")

    assert_one_error(result, f"{path}:1:37: tables and arrays nest more than 32 levels deep")


def test_ten_thousand_unknown_keys_load_well_under_a_second_with_capped_warnings(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    path = tmp_path / "big.toml"
    path.write_text("".join(f"unknown_setting_{n:05d} = {n}\n" for n in range(10_000)))
    assert 128_000 <= path.stat().st_size < 300_000
    small = tmp_path / "small.toml"
    small.write_text("unknown_setting = 1\n")

    def elapsed(config: Path) -> float:
        started = time.monotonic()
        result = installed.run("myapp", "--config", str(config), "shout", "hi")
        assert result.returncode == 0
        return time.monotonic() - started

    elapsed(small)  # the cache is written once
    baseline = min(elapsed(small) for _ in range(3))
    big = min(elapsed(path) for _ in range(3))
    result = installed.run("myapp", "--config", str(path), "shout", "hi")

    assert big - baseline < 0.5  # was 51 s: quadratic in the number of keys
    assert warnings_in(result.stderr) == [
        *(f"myapp: warning: {path}:{n + 1}: unknown setting 'unknown_setting_{n:05d}' ignored" for n in range(5)),
        f"myapp: warning: {path}: 9995 more unknown settings ignored",
    ]


def test_a_config_file_with_a_byte_order_mark_loads(installed: VirtualEnvironment, tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfdisable_plugins = ['myapp-good']\n")

    result = installed.run("myapp", "--config", str(path), "plugin", "list", "-f", "json")

    assert result.returncode == 0, result.stderr
    states = {row["Name"]: row["State"] for row in json.loads(result.stdout)}
    assert states["myapp-good"] == "disabled by config"
