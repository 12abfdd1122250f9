"""The entry-point cache follows what is installed, from one run to the next."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, build_wheel, install_into, settle
from tests.helpers.users import NOBODY, as_user, needs_root, open_the_way
from tests.helpers.venvs import VirtualEnvironment


def plugin(version: str = "1.0", doc: str = "First edition.") -> Distribution:
    return Distribution(
        name="myapp-changing",
        version=version,
        files={
            "changing_plugin/__init__.py": f"""
                from cliff.command import Command


                class Edition(Command):
                    \"\"\"{doc}\"\"\"

                    def take_action(self, parsed_args):
                        self.app.stdout.write("{version}\\n")
            """
        },
        entry_points={"myapp.commands": {"edition": "changing_plugin:Edition"}},
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


def run(installed: VirtualEnvironment, site: Path, *arguments: str):
    return installed.run("myapp", *arguments, env={"PYTHONPATH": str(site)})


def cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "myapp").glob("entry-points-*.bin"))


#: The cache file starts with a big-endian CRC-32 of the marshalled payload that follows.
CHECKSUM_SIZE = 4


def sealed(payload: bytes) -> bytes:
    """A cache file's content whose checksum matches *payload*, as myapp writes it."""
    return zlib.crc32(payload).to_bytes(CHECKSUM_SIZE, "big") + payload


def is_sound(cache_file: Path) -> bool:
    """The file's checksum matches its payload, as myapp writes it."""
    content = cache_file.read_bytes()
    return len(content) > CHECKSUM_SIZE and sealed(content[CHECKSUM_SIZE:]) == content


def cached_once(installed: VirtualEnvironment, site: Path, home: Path) -> Path:
    """Install the plugin, let the folders settle and run it once: the one cache file that run wrote."""
    install_into(plugin(), site)
    settle(site, installed.site_packages, installed.bin)
    assert run(installed, site, "edition").returncode == 0
    (cache_file,) = cache_files(home)
    return cache_file


def test_egg_info_entry_points_rewritten_in_place_are_seen_by_the_next_run(installed, site: Path) -> None:
    dist_info = install_into(plugin(), site)
    egg_info = dist_info.rename(dist_info.with_suffix(".egg-info"))  # as ``setup.py develop`` leaves it
    settle(site, installed.site_packages, installed.bin)
    assert run(installed, site, "edition").stdout == "1.0\n"
    entry_points = egg_info / "entry_points.txt"
    entry_points.write_text(entry_points.read_text().replace("edition =", "printing ="))
    assert run(installed, site, "printing").stdout == "1.0\n"
    assert run(installed, site, "edition").returncode == 2


def test_a_hand_edit_inside_a_dist_info_folder_is_seen_after_plugin_check(installed, site: Path) -> None:
    dist_info = install_into(plugin(), site)
    settle(site, installed.site_packages, installed.bin)
    assert run(installed, site, "edition").stdout == "1.0\n"
    entry_points = dist_info / "entry_points.txt"
    entry_points.write_text(entry_points.read_text().replace("edition =", "printing ="))
    assert run(installed, site, "printing").returncode == 2  # start-up trusts the folder's time
    assert run(installed, site, "plugin", "check", "myapp-changing").returncode == 0
    assert run(installed, site, "printing").stdout == "1.0\n"
    assert run(installed, site, "edition").returncode == 2


def test_a_run_during_an_install_does_not_cache_what_it_saw(installed, site: Path, isolated_home: Path) -> None:
    dist_info = install_into(plugin(), site)
    entry_points = dist_info / "entry_points.txt"
    text = entry_points.read_text()
    entry_points.unlink()  # the installer has made the folder but not yet written the file
    assert run(installed, site, "edition").returncode == 2
    assert cache_files(isolated_home) == []
    entry_points.write_text(text)  # the install ends: the path folder does not change again
    assert run(installed, site, "edition").stdout == "1.0\n"


def test_installed_and_removed_plugins_are_seen_by_the_next_run(installed, site: Path) -> None:
    assert run(installed, site, "edition").returncode == 2
    dist_info = install_into(plugin(), site)
    assert run(installed, site, "edition").returncode == 0
    shutil.rmtree(dist_info)
    assert run(installed, site, "edition").returncode == 2


def test_upgrade_in_place_refreshes_the_help_description(installed, site: Path) -> None:
    old = install_into(plugin(), site)
    assert "First edition (myapp-changing)" in run(installed, site, "--help").stdout
    shutil.rmtree(old)
    install_into(plugin("2.0", "Second edition."), site)
    help_text = run(installed, site, "--help").stdout
    assert "Second edition (myapp-changing)" in help_text
    assert run(installed, site, "edition").stdout == "2.0\n"


def format_3(content: bytes) -> bytes:
    """A cache as written before CRC-32: a SHA-256 digest, then six fields of format 3."""
    fields = marshal.loads(content[CHECKSUM_SIZE:])
    payload = marshal.dumps((3, *fields[1:6]))
    return hashlib.sha256(payload).digest() + payload


def format_4(content: bytes) -> bytes:
    """A cache of format 4: seven fields, distribution rows not yet marshalled apart."""
    fields = marshal.loads(content[CHECKSUM_SIZE:])
    return sealed(marshal.dumps((4, *fields[1:7])))


def format_5(content: bytes) -> bytes:
    """A cache of format 5: eight fields, file stamps and locations where format 6 has a digest and sources."""
    fields = marshal.loads(content[CHECKSUM_SIZE:])
    locations = tuple(f"{folder}/{name}" for folder, _, names in fields[3] for name in names)
    return sealed(marshal.dumps((5, fields[1], (-1, -1, -1), locations, *fields[4:])))


@pytest.mark.parametrize(
    "damage", ["garbage", "empty", "truncated", "flipped byte", "json", "format 3", "format 4", "format 5"]
)
def test_corrupt_cache_is_rebuilt(installed, site: Path, isolated_home: Path, damage: str) -> None:
    cache_file = cached_once(installed, site, isolated_home)
    content = cache_file.read_bytes()
    damaged = {
        "garbage": b"\x00not a cache at all",
        "empty": b"",
        "truncated": content[: len(content) // 2],
        "flipped byte": content[:-1] + bytes([content[-1] ^ 0xFF]),
        "json": b'{"format": 2}',
        "format 3": format_3(content),
        "format 4": format_4(content),
        "format 5": format_5(content),
    }[damage]
    cache_file.write_bytes(damaged)
    result = run(installed, site, "edition")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1.0\n", "")
    assert cache_file.read_bytes() != damaged
    assert is_sound(cache_file)


def test_cache_matching_the_fingerprint_but_of_the_wrong_shape_is_rebuilt(
    installed, site: Path, isolated_home: Path
) -> None:
    cache_file = cached_once(installed, site, isolated_home)
    format_, folder_stamps, file_digest, _, _, *rest = marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])
    payload = marshal.dumps((format_, folder_stamps, file_digest, "not rows", ["not", "a", "table"], *rest))
    cache_file.write_bytes(sealed(payload))
    assert run(installed, site, "edition").stdout == "1.0\n"
    assert is_sound(cache_file)
    assert marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])[3] != "not rows"


def test_entry_point_buckets_of_the_wrong_shape_are_read_again_when_a_command_runs(
    installed, site: Path, isolated_home: Path
) -> None:
    cache_file = cached_once(installed, site, isolated_home)
    fields = marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])
    damaged_tables = {
        group: (*record[:2], tuple(b"\x00 damaged" for _ in record[2])) for group, record in fields[4].items()
    }
    cache_file.write_bytes(sealed(marshal.dumps((*fields[:4], damaged_tables, *fields[5:]))))

    result = run(installed, site, "edition")

    assert (result.returncode, result.stdout, result.stderr) == (0, "1.0\n", "")
    assert is_sound(cache_file)
    assert marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])[4] == fields[4]


def test_distribution_rows_of_the_wrong_shape_are_read_again_when_plugins_are_listed(
    installed, site: Path, isolated_home: Path
) -> None:
    cache_file = cached_once(installed, site, isolated_home)
    fields = marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])
    rows = marshal.loads(fields[7])
    damaged = sealed(marshal.dumps((*fields[:7], marshal.dumps(tuple((name, 1, 2) for name, *_ in rows)))))
    cache_file.write_bytes(damaged)

    listed = run(installed, site, "plugin", "list", "-f", "value", "-c", "Name", "-c", "Version")

    assert (listed.returncode, listed.stderr) == (0, "")
    assert "myapp-changing 1.0" in listed.stdout.splitlines()
    assert is_sound(cache_file)
    assert marshal.loads(marshal.loads(cache_file.read_bytes()[CHECKSUM_SIZE:])[7]) == rows


def test_unwritable_cache_directory_still_runs(installed, site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    install_into(plugin(), site)
    result = installed.run("myapp", "edition", env={"PYTHONPATH": str(site), "MYAPP_CACHE_DIR": str(blocker / "cache")})
    assert (result.returncode, result.stdout, result.stderr) == (0, "1.0\n", "")


# --- caches under attack (issue 14, point 11) ----------------------------------------------------


def renamed(version: str) -> Distribution:
    """The plugin at *version*, its command renamed: a run that used a stale index would not know it."""
    original = plugin(version)
    return Distribution(
        name=original.name,
        version=version,
        files=original.files,
        entry_points={"myapp.commands": {"printing": "changing_plugin:Edition"}},
    )


def normalise_times(folder: Path, seconds: int = 315_532_800) -> None:
    """Set every file and folder time below *folder* to one fixed value, as reproducible builds do (1980)."""
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (seconds, seconds), follow_symlinks=False)


def test_a_reinstall_whose_file_times_were_normalised_is_seen(
    installed: VirtualEnvironment, site: Path, tmp_path: Path, isolated_home: Path
) -> None:
    first = build_wheel(plugin("1.0"), tmp_path / "first")
    second = build_wheel(renamed("1.0"), tmp_path / "second")  # a rebuild of the same version: a reinstall
    pip = ("install", "--no-deps", "--no-index", "--upgrade", "--target", str(site))
    installed.pip(*pip, str(first))
    normalise_times(site)
    settle(installed.site_packages, installed.bin)
    assert run(installed, site, "edition").stdout == "1.0\n"
    assert len(cache_files(isolated_home)) == 1  # cached: by its times, the folder changed long ago

    installed.pip(*pip, "--force-reinstall", str(second))
    normalise_times(site)  # the folder's modification time is what it was when the cache was written

    assert run(installed, site, "printing").stdout == "1.0\n"
    assert run(installed, site, "edition").returncode == 2


@needs_root
def test_a_cache_folder_reached_through_another_users_link_is_not_written_through(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)
    open_the_way(shared)
    link = shared / "cache"
    subprocess.run(as_user(NOBODY, ["ln", "-s", str(mine), str(link)]), check=True)

    result = installed.run("myapp", "shout", "hi", env={"XDG_CACHE_HOME": str(link)})

    assert (result.returncode, result.stdout) == (0, "HI\n")
    assert result.stderr == (
        f"myapp: warning: not using the cache folder '{link}/myapp': it is reached through the symbolic link "
        f"'{link}', which belongs to another user (uid {NOBODY})\n"
    )
    assert list(mine.iterdir()) == []


def test_python_m_myapp_in_a_deleted_working_directory_runs_like_the_console_script(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    gone = tmp_path / "gone"
    outcomes = []
    for program in (f"{installed.python} -m myapp", str(installed.bin / "myapp")):
        script = f"mkdir {gone} && cd {gone} && rmdir {gone} && exec {program} shout hi"
        result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60, check=False)
        outcomes.append((result.returncode, result.stdout, result.stderr))

    assert outcomes == [(0, "HI\n", ""), (0, "HI\n", "")]
