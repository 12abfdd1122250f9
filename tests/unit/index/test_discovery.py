"""``load_index``: entry-point metadata read without imports, and its cache that is never trusted blindly."""

from __future__ import annotations

import logging
import marshal
import os
import shutil
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from myapp.index import _cachefile as indexfile
from myapp.index import _stamps, discovery
from myapp.index._cachefile import CACHE_FORMAT
from myapp.index.discovery import discard_cache, load_index
from myapp.index.pluginindex import PluginIndex
from myapp.index.records import DistributionInfo, EntryPointInfo, normalize_name
from myapp.plugins.compat import ToolVersionJudge
from tests.helpers.distributions import Distribution, install_into, settle

Install = Callable[[Distribution], Path]


def metadata_only(name: str, entry_points: dict[str, dict[str, str]], **fields: Any) -> Distribution:
    """A distribution with entry points but no code: nothing here is ever imported."""
    return Distribution(name=name, files={}, entry_points=entry_points, **fields)


ALPHA = metadata_only(
    "myapp-alpha",
    {"myapp.commands": {"shout": "alpha.commands:Shout", "whisper": "alpha.commands:Whisper"}},
    requires=("cliff>=4",),
)
BETA = metadata_only("myapp-beta", {"myapp.commands": {"beta": "beta:Beta"}})


def command_names(index: PluginIndex) -> list[str]:
    return [entry_point.name for entry_point in index.entry_points("myapp.commands")]


def contents(index: PluginIndex) -> tuple[tuple[DistributionInfo, ...], dict[str, list[EntryPointInfo]]]:
    """Everything an index answers, in a form that compares by value."""
    return index.distributions, {group: index.entry_points(group) for group in index.groups()}


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("entry-points-*.bin"))


def forbid_reading_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("metadata was read instead of the cache")

    monkeypatch.setattr(discovery, "_build_index", fail)
    monkeypatch.setattr(discovery, "read_distribution", fail)


# --- what is indexed ---------------------------------------------------------------------------


def test_entry_points_of_installed_distributions_are_indexed(install: Install, site_dir: Path) -> None:
    dist_info = install(ALPHA)

    index = load_index("myapp.", None, [str(site_dir)])

    assert index.distributions == (
        DistributionInfo(
            name="myapp-alpha",
            version="1.0",
            summary="a plugin built by the test suite",
            location=str(dist_info),
            requires=("cliff>=4",),
        ),
    )
    assert index.entry_points("myapp.commands") == [
        EntryPointInfo("shout", "alpha.commands:Shout", "myapp.commands", "myapp-alpha", "1.0"),
        EntryPointInfo("whisper", "alpha.commands:Whisper", "myapp.commands", "myapp-alpha", "1.0"),
    ]


def test_only_the_tool_namespaces_and_cliff_formatters_are_indexed(install: Install, site_dir: Path) -> None:
    install(
        metadata_only(
            "myapp-mixed",
            {
                "myapp.commands": {"hello": "mixed:Hello"},
                "myapp.hooks.pre_command": {"audit": "mixed:audit"},
                "cliff.formatter.list": {"fancy": "mixed:Fancy"},
                "console_scripts": {"mixed": "mixed:main"},
                "myappx.commands": {"other": "mixed:Other"},
                "acme.commands": {"ping": "mixed:Ping"},
            },
        )
    )

    index = load_index("myapp.", None, [str(site_dir)])

    assert index.groups() == ["cliff.formatter.list", "myapp.commands", "myapp.hooks.pre_command"]


def test_distribution_without_indexed_namespaces_is_left_out(install: Install, site_dir: Path) -> None:
    install(metadata_only("unrelated", {"console_scripts": {"unrelated": "unrelated:main"}}))
    install(BETA)

    index = load_index("myapp.", None, [str(site_dir)])

    assert [d.name for d in index.distributions] == ["myapp-beta"]


def test_another_tool_indexes_its_own_namespace(install: Install, site_dir: Path) -> None:
    install(metadata_only("acme-ping", {"acme.commands": {"ping": "acme_ping:Ping"}}))
    install(BETA)

    index = load_index("acme.", None, [str(site_dir)])

    assert [d.name for d in index.distributions] == ["acme-ping"]
    assert index.groups() == ["acme.commands"]


def test_first_distribution_of_a_name_on_the_path_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    install_into(metadata_only("myapp-dup", {"myapp.commands": {"new": "dup:New"}}, version="2.0"), first)
    install_into(metadata_only("MyApp_Dup", {"myapp.commands": {"old": "dup:Old"}}, version="1.0"), second)

    index = load_index("myapp.", None, [str(first), str(second)])

    assert [(d.name, d.version) for d in index.distributions] == [("myapp-dup", "2.0")]
    assert command_names(index) == ["new"]


def test_distributions_keep_the_path_order(tmp_path: Path) -> None:
    install_into(BETA, tmp_path / "one")
    install_into(ALPHA, tmp_path / "two")

    index = load_index("myapp.", None, [str(tmp_path / "one"), str(tmp_path / "two")])

    assert [d.name for d in index.distributions] == ["myapp-beta", "myapp-alpha"]
    assert command_names(index) == ["beta", "shout", "whisper"]


@pytest.mark.parametrize("current_directory", ["", "."])
def test_current_directory_entries_are_skipped(
    current_directory: str, install: Install, site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(ALPHA)
    monkeypatch.chdir(site_dir)

    index = load_index("myapp.", None, [current_directory])

    assert index.distributions == ()


def test_missing_and_non_folder_path_entries_are_ignored(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(BETA)
    a_file = tmp_path / "archive.zip"
    a_file.write_bytes(b"not a folder")

    index = load_index("myapp.", None, [str(tmp_path / "missing"), str(a_file), str(site_dir)])

    assert [d.name for d in index.distributions] == ["myapp-beta"]


def test_default_path_is_sys_path(install: Install) -> None:
    install(BETA)

    index = load_index("myapp.", None)

    assert index.distribution("myapp-beta") is not None


@pytest.mark.parametrize(
    ("folder_name", "files"),
    [
        ("no_name-1.0.dist-info", {"METADATA": b"Metadata-Version: 2.1\nVersion: 1.0\n"}),
        ("no_metadata-1.0.dist-info", {}),
        ("bad_encoding-1.0.dist-info", {"METADATA": b"Metadata-Version: 2.1\nName: bad\xff\nVersion: 1\n"}),
        (
            "bad_entry_points-1.0.dist-info",
            {"METADATA": b"Name: bad\nVersion: 1\n", "entry_points.txt": b"[myapp.commands]\nno equals sign\n"},
        ),
        (
            "undecodable_entry_points-1.0.dist-info",
            {"METADATA": b"Name: bad\nVersion: 1\n", "entry_points.txt": b"[myapp.commands]\nx = m:\xff\n"},
        ),
    ],
)
def test_malformed_metadata_in_one_distribution_does_not_hide_the_others(
    folder_name: str, files: dict[str, bytes], install: Install, site_dir: Path
) -> None:
    install(ALPHA)
    install(BETA)
    broken = site_dir / folder_name
    broken.mkdir()
    files = {"entry_points.txt": b"[myapp.commands]\nbroken = broken:Cmd\n", **files}
    for name, content in files.items():
        (broken / name).write_bytes(content)

    index = load_index("myapp.", None, [str(site_dir)])

    assert [d.name for d in index.distributions] == ["myapp-alpha", "myapp-beta"]


def test_malformed_metadata_is_reported_naming_the_folder(
    install: Install, site_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    install(BETA)
    broken = site_dir / "aaa-1.0.dist-info"
    broken.mkdir()
    (broken / "entry_points.txt").write_text("[myapp.commands]\nno equals sign\n")
    (broken / "METADATA").write_text("Name: aaa\nVersion: 1.0\n")

    with caplog.at_level(logging.WARNING, logger="myapp.index.discovery"):
        load_index("myapp.", None, [str(site_dir)])

    assert any(r.levelno == logging.WARNING and str(broken) in r.getMessage() for r in caplog.records)


# --- PluginIndex and helpers ---------------------------------------------------------------------


def test_index_answers_by_group_and_by_normalized_distribution_name(install: Install, site_dir: Path) -> None:
    install(ALPHA)

    index = load_index("myapp.", None, [str(site_dir)])

    assert index.entry_points("myapp.hooks.context.none") == []
    assert index.distribution("MyApp_Alpha") is index.distributions[0]
    assert index.distribution("myapp-missing") is None


def test_entry_points_list_is_a_copy() -> None:
    entry_point = EntryPointInfo("a", "m:A", "myapp.commands", "d", "1")
    index = PluginIndex((), (("d", "1", "", "/x", ()),), {"myapp.commands": {"a": [("m:A", "d", "1")]}})

    index.entry_points("myapp.commands").clear()

    assert index.entry_points("myapp.commands") == [entry_point]


@pytest.mark.parametrize(
    ("name", "normalized"), [("My_App", "my-app"), ("my.app", "my-app"), ("my--_app", "my-app"), ("myapp", "myapp")]
)
def test_normalize_name_follows_pep_503(name: str, normalized: str) -> None:
    assert normalize_name(name) == normalized


def test_entry_point_info_names_its_module_and_converts_to_the_standard_form() -> None:
    info = EntryPointInfo("shout", "good.commands : Shout", "myapp.commands", "myapp-good")

    assert info.module == "good.commands"
    entry_point = info.to_entry_point()
    assert (entry_point.name, entry_point.value, entry_point.group) == (
        "shout",
        "good.commands : Shout",
        "myapp.commands",
    )


# --- the cache ---------------------------------------------------------------------------------


def test_second_call_is_served_from_the_cache(
    install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(ALPHA)
    cache_dir = tmp_path / "cache"
    first = load_index("myapp.", cache_dir, [str(site_dir)])
    forbid_reading_metadata(monkeypatch)

    second = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(second) == contents(first)
    assert second.fingerprint == first.fingerprint
    assert command_names(second) == ["shout", "whisper"]
    assert len(cache_files(cache_dir)) == 1


def as_egg_info(dist_info: Path) -> Path:
    """The folder renamed as setuptools names the metadata of a develop install (``*.egg-info``)."""
    return dist_info.rename(dist_info.with_suffix(".egg-info"))


def test_warm_start_stats_the_path_folders_and_the_entry_points_of_egg_info_plugins_only(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_into(ALPHA, site_dir)
    develop_install = as_egg_info(install_into(BETA, site_dir))
    for number in range(5):
        install_into(metadata_only(f"unrelated-{number}", {"console_scripts": {"u": "u:main"}}), site_dir)
    other = tmp_path / "other-site"
    install_into(metadata_only("unrelated-elsewhere", {}), other)
    path = [str(site_dir), str(other)]
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, path)
    forbid_reading_metadata(monkeypatch)
    stat, listdir, open_ = os.stat, os.listdir, os.open
    opened: dict[int, str] = {}
    stated: list[str] = []
    listed: list[str] = []

    def recording_open(target: Any, *args: Any, **kwargs: Any) -> int:
        descriptor = open_(target, *args, **kwargs)
        opened[descriptor] = os.fspath(target)
        return descriptor

    def recording_stat(target: Any, *args: Any, dir_fd: int | None = None, **kwargs: Any) -> os.stat_result:
        stated.append(os.fspath(target) if dir_fd is None else os.path.join(opened[dir_fd], target))
        return stat(target, *args, dir_fd=dir_fd, **kwargs)

    def recording_listdir(target: Any = ".") -> list[str]:
        listed.append(os.fspath(target))
        return listdir(target)

    monkeypatch.setattr(discovery.os, "stat", recording_stat)
    monkeypatch.setattr(discovery.os, "listdir", recording_listdir)
    monkeypatch.setattr(discovery.os, "open", recording_open)

    index = load_index("myapp.", cache_dir, path)

    assert [d.name for d in index.distributions] == ["myapp-alpha", "myapp-beta"]
    assert sorted(stated) == sorted([*path, str(develop_install / "entry_points.txt")])
    assert listed == []


def test_a_reinstall_whose_times_were_normalised_is_seen(site_dir: Path, tmp_path: Path) -> None:
    """Reproducible-build tools and container layers set every modification time to one fixed value."""
    normalised = 315_532_800 * 10**9  # 1980-01-01, as such tools like it
    cache_dir = tmp_path / "cache"
    alpha = install_into(ALPHA, site_dir)
    os.utime(site_dir, ns=(normalised, normalised))
    assert command_names(load_index("myapp.", cache_dir, [str(site_dir)])) == ["shout", "whisper"]
    assert len(cache_files(cache_dir)) == 1  # long settled, by its time

    shutil.rmtree(alpha)
    install_into(BETA, site_dir)
    os.utime(site_dir, ns=(normalised, normalised))

    assert command_names(load_index("myapp.", cache_dir, [str(site_dir)])) == ["beta"]


def test_a_path_folder_replaced_by_a_copy_with_the_same_times_is_seen(site_dir: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    install_into(ALPHA, site_dir)
    settle(site_dir)
    first = load_index("myapp.", cache_dir, [str(site_dir)])

    copy = tmp_path / "copy"
    shutil.copytree(site_dir, copy)
    install_into(BETA, copy)
    shutil.rmtree(site_dir)
    copy.rename(site_dir)
    times = first.folder_stamps[0][0]
    os.utime(site_dir, ns=(times, times))

    assert sorted(command_names(load_index("myapp.", cache_dir, [str(site_dir)]))) == ["beta", "shout", "whisper"]


@pytest.mark.parametrize("in_folder", [True, False], ids=["relative to the open folder", "by whole path"])
def test_in_place_edit_of_egg_info_entry_points_keeping_the_size_is_seen(
    in_folder: bool, install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_stamps, "_STAT_IN_FOLDER", in_folder)  # False: as on Windows
    entry_points_file = as_egg_info(install(ALPHA)) / "entry_points.txt"
    installed_long_ago = time.time_ns() - 60 * 10**9
    os.utime(entry_points_file, ns=(installed_long_ago, installed_long_ago))
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, [str(site_dir)])
    with monkeypatch.context() as patched:
        forbid_reading_metadata(patched)
        load_index("myapp.", cache_dir, [str(site_dir)])  # unchanged: the stamps match
    text = entry_points_file.read_text()
    edited = text.replace("shout = ", "yell_ = ")
    assert len(edited) == len(text) and edited != text

    with entry_points_file.open("r+") as stream:
        stream.write(edited)
    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert command_names(index) == ["yell_", "whisper"]


def test_in_place_edit_inside_a_dist_info_folder_is_seen_once_the_cache_is_discarded(
    install: Install, site_dir: Path, tmp_path: Path
) -> None:
    entry_points_file = install(ALPHA) / "entry_points.txt"
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, [str(site_dir)])
    entry_points_file.write_text(entry_points_file.read_text().replace("shout = ", "yell = "))

    unchanged = load_index("myapp.", cache_dir, [str(site_dir)])
    discard_cache("myapp.", cache_dir, [str(site_dir)])
    refreshed = load_index("myapp.", cache_dir, [str(site_dir)])

    assert command_names(unchanged) == ["shout", "whisper"]  # installers never edit a dist-info in place
    assert command_names(refreshed) == ["yell", "whisper"]


def test_an_index_read_while_a_folder_settles_is_used_but_not_cached(
    install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_stamps, "SETTLING_TIME_NS", 60 * 10**9)
    dist_info = install(ALPHA)
    (dist_info / "entry_points.txt").unlink()  # as if the installer had not written it yet
    cache_dir = tmp_path / "cache"

    while_installing = load_index("myapp.", cache_dir, [str(site_dir)])
    cached_while_installing = cache_files(cache_dir)
    install(ALPHA)  # the installer finishes: the path folder does not change
    after = load_index("myapp.", cache_dir, [str(site_dir)])
    settled = time.time_ns() - 120 * 10**9
    os.utime(site_dir, ns=(settled, settled))
    load_index("myapp.", cache_dir, [str(site_dir)])

    assert command_names(while_installing) == [] and cached_while_installing == []
    assert command_names(after) == ["shout", "whisper"]
    assert len(cache_files(cache_dir)) == 1


def test_new_distribution_is_seen_on_the_next_call(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(ALPHA)
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, [str(site_dir)])

    install(BETA)
    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert [d.name for d in index.distributions] == ["myapp-alpha", "myapp-beta"]


def test_removed_distribution_is_gone_on_the_next_call(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(ALPHA)
    beta = install(BETA)
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, [str(site_dir)])

    for child in beta.iterdir():
        child.unlink()
    beta.rmdir()
    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert [d.name for d in index.distributions] == ["myapp-alpha"]


def test_each_path_has_its_own_cache_file(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(ALPHA)
    cache_dir = tmp_path / "cache"

    with_plugins = load_index("myapp.", cache_dir, [str(site_dir)])
    without = load_index("myapp.", cache_dir, [str(tmp_path / "empty")])

    assert len(cache_files(cache_dir)) == 2
    assert command_names(with_plugins) == ["shout", "whisper"]
    assert command_names(without) == []


def test_no_cache_dir_reads_metadata_and_writes_nothing(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(ALPHA)
    before = sorted(tmp_path.rglob("*"))

    first = load_index("myapp.", None, [str(site_dir)])
    second = load_index("myapp.", None, [str(site_dir)])

    assert command_names(first) == command_names(second) == ["shout", "whisper"]
    assert sorted(tmp_path.rglob("*")) == before


def test_index_survives_a_round_trip_through_bytes(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    index = load_index("myapp.", None, [str(site_dir)])

    copy = PluginIndex.from_bytes(index.to_bytes(), index.folder_stamps)

    assert copy is not None
    assert contents(copy) == contents(index)
    assert copy.fingerprint == index.fingerprint


def test_distribution_rows_are_checked_when_first_asked_for(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    index = load_index("myapp.", None, [str(site_dir)])
    fields = marshal.loads(index.to_bytes()[_DIGEST_SIZE:])
    damaged = _sealed(marshal.dumps((*fields[:7], marshal.dumps((("myapp-alpha", 1),)), fields[8])))

    copy = PluginIndex.from_bytes(damaged, index.folder_stamps)

    assert copy is not None and len(copy) == 1
    assert copy.entry_points("myapp.commands") == index.entry_points("myapp.commands")
    with pytest.raises(ValueError, match="wrong shape"):
        copy.distributions  # noqa: B018 - the property is what is tested


def test_distribution_rows_of_the_wrong_shape_are_read_again(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    index = load_index("myapp.", None, [str(site_dir)])
    fields = marshal.loads(index.to_bytes()[_DIGEST_SIZE:])
    damaged = _sealed(marshal.dumps((*fields[:7], b"not marshal data", fields[8])))
    rebuilt: list[PluginIndex] = []

    def rebuild() -> PluginIndex:
        rebuilt.append(load_index("myapp.", None, [str(site_dir)]))
        return rebuilt[-1]

    copy = PluginIndex.from_bytes(damaged, index.folder_stamps, rebuild)

    assert copy is not None and not rebuilt
    assert copy.distributions == index.distributions
    assert len(rebuilt) == 1


def test_index_bytes_of_other_folder_stamps_are_stale(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    index = load_index("myapp.", None, [str(site_dir)])

    assert PluginIndex.from_bytes(index.to_bytes(), (-1,)) is None


def test_index_bytes_that_fail_the_checksum_are_a_value_error(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    index = load_index("myapp.", None, [str(site_dir)])

    with pytest.raises(ValueError, match="checksum"):
        PluginIndex.from_bytes(index.to_bytes()[:-1], index.folder_stamps)


@pytest.fixture
def cached(install: Install, site_dir: Path, tmp_path: Path) -> tuple[Path, Path, PluginIndex]:
    """A current cache: its folder, its file and the index it holds."""
    install(ALPHA)
    cache_dir = tmp_path / "cache"
    index = load_index("myapp.", cache_dir, [str(site_dir)])
    (cache_file,) = cache_files(cache_dir)
    return cache_dir, cache_file, index


def _flip(content: bytes, position: int) -> bytes:
    return content[:position] + bytes([content[position] ^ 0xFF]) + content[position + 1 :]


#: The checksum in front of the payload: a big-endian CRC-32.
_DIGEST_SIZE = indexfile.DIGEST_SIZE


def test_cache_file_is_a_crc32_of_the_payload_then_the_payload(cached: tuple[Path, Path, PluginIndex]) -> None:
    _, cache_file, index = cached
    content = cache_file.read_bytes()

    assert _DIGEST_SIZE == 4
    assert content[:4] == zlib.crc32(content[4:]).to_bytes(4, "big")
    fields = marshal.loads(content[4:])
    assert fields == marshal.loads(index.to_bytes()[4:])
    assert len(fields) == 9
    assert fields[0] == CACHE_FORMAT == 9
    assert fields[6] == {}
    assert marshal.loads(fields[7]) == tuple((d.name, d.version, d.summary, d.requires) for d in index.distributions)
    assert fields[8] == ()


#: Ways a cache file gets damaged; each takes the sound file's bytes.
_CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty file": lambda good: b"",
    "garbage": lambda good: b"\x00\xff\xfe garbage",
    "JSON text": lambda good: b'{"format": 1, "fingerprint": "", "distributions": []}',
    "digest only": lambda good: good[:_DIGEST_SIZE],
    "truncated payload": lambda good: good[:-1],
    "truncated digest": lambda good: good[: _DIGEST_SIZE // 2],
    "flipped payload byte": lambda good: _flip(good, len(good) - 1),
    "flipped digest byte": lambda good: _flip(good, 0),
    "zero checksum of an empty payload": lambda good: bytes(_DIGEST_SIZE),
}


@pytest.mark.parametrize("corrupt", [pytest.param(corrupt, id=name) for name, corrupt in _CORRUPTIONS.items()])
def test_corrupt_cache_is_rebuilt_and_overwritten(
    corrupt: Callable[[bytes], bytes], cached: tuple[Path, Path, PluginIndex], site_dir: Path
) -> None:
    cache_dir, cache_file, good_index = cached
    good = cache_file.read_bytes()
    cache_file.write_bytes(corrupt(good))

    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(index) == contents(good_index)
    assert cache_file.read_bytes() == good


def _sealed(payload: bytes) -> bytes:
    """A cache file whose checksum is right, whatever the payload holds."""
    return zlib.crc32(payload).to_bytes(_DIGEST_SIZE, "big") + payload


#: The cache payload: (format, folder stamps, file digest, sources, tables, refused, incompatible,
#: marshalled distribution rows, refused names).
_Fields = tuple[Any, ...]


def _with(fields: _Fields, position: int, value: object) -> _Fields:
    return (*fields[:position], value, *fields[position + 1 :])


def _details(change: Callable[[tuple[Any, ...]], object]) -> Callable[[_Fields], object]:
    """Change the marshalled rows of the distributions (name, version, summary, requires)."""
    return lambda fields: _with(fields, 7, marshal.dumps(change(marshal.loads(fields[7]))))


def _distribution(change: Callable[[tuple[Any, ...]], object]) -> Callable[[_Fields], object]:
    """Change the row of the one distribution."""
    return _details(lambda rows: (change(rows[0]),))


def _commands_table(change: Callable[[tuple[Any, ...]], object]) -> Callable[[_Fields], object]:
    """Change the record of the commands' table: (most words, dotted names, buckets)."""
    return lambda fields: _with(fields, 4, {**fields[4], "myapp.commands": change(fields[4]["myapp.commands"])})


def _bucket(change: Callable[[dict[str, Any]], object]) -> Callable[[_Fields], object]:
    """Change the one bucket of the commands' table: {name: (position, rows)}."""
    return _commands_table(lambda record: (*record[:2], (marshal.dumps(change(marshal.loads(record[2][0]))),)))


def _shout(entry: object) -> Callable[[_Fields], object]:
    """Replace what the bucket holds for the 'shout' entry point."""
    return _bucket(lambda bucket: {**bucket, "shout": entry})


#: Payloads of the wrong shape behind a correct digest; each takes the sound payload's fields.
_WRONG_SHAPES: dict[str, Callable[[_Fields], object]] = {
    "not a tuple": lambda fields: None,
    "a number": lambda fields: 42,
    "text": lambda fields: "text",
    "a list": lambda fields: list(fields),
    "format of another version": lambda fields: _with(fields, 0, CACHE_FORMAT + 1),
    "format of the JSON cache": lambda fields: _with(fields, 0, 1),
    "format as text": lambda fields: _with(fields, 0, str(CACHE_FORMAT)),
    "format as a boolean": lambda fields: _with(fields, 0, True),
    "missing format": lambda fields: fields[1:],
    "missing groups": lambda fields: fields[:4],
    "missing incompatible": lambda fields: fields[:6],
    "missing distribution rows": lambda fields: fields[:7],
    "missing refused names": lambda fields: fields[:8],
    "eight fields of format 6": lambda fields: (6, *fields[1:8]),
    "six fields of format 3": lambda fields: (3, *fields[1:6]),
    "seven fields of format 4": lambda fields: (4, *fields[1:7]),
    "an extra field": lambda fields: (*fields, ()),
    "sources as text": lambda fields: _with(fields, 3, "/site"),
    "sources as a list": lambda fields: _with(fields, 3, list(fields[3])),
    "source as a number": lambda fields: _with(fields, 3, (5,)),
    "source of two fields": lambda fields: _with(fields, 3, tuple(row[:2] for row in fields[3])),
    "source flag as a number": lambda fields: _with(fields, 3, tuple((row[0], 0, row[2]) for row in fields[3])),
    "source names as a list": lambda fields: _with(fields, 3, tuple((*row[:2], list(row[2])) for row in fields[3])),
    "distribution rows not marshalled": lambda fields: _with(fields, 7, marshal.loads(fields[7])),
    "groups as a list": lambda fields: _with(fields, 4, list(fields[4])),
    "groups as text": lambda fields: _with(fields, 4, "myapp.commands"),
    "group named by a number": lambda fields: _with(fields, 4, {1: fields[4]["myapp.commands"]}),
    "table as a list": _commands_table(list),
    "table of two fields": _commands_table(lambda record: record[:2]),
    "table without buckets": _commands_table(lambda record: (*record[:2], ())),
    "table with a bucket as text": _commands_table(lambda record: (*record[:2], ("bucket",))),
    "table with most words as text": _commands_table(lambda record: ("2", *record[1:])),
    "table with dotted names as text": _commands_table(lambda record: (record[0], "hello.v1", record[2])),
    "distribution as None": _distribution(lambda row: None),
    "distribution missing version": _distribution(lambda row: (row[0], *row[2:])),
    "refused as a list": lambda fields: _with(fields, 5, []),
    "incompatible as None": lambda fields: _with(fields, 6, None),
    "incompatible as a tuple of pairs": lambda fields: _with(fields, 6, (("myapp-alpha", "too old"),)),
    "incompatible as text": lambda fields: _with(fields, 6, "myapp-alpha"),
    "refused names as a list": lambda fields: _with(fields, 8, []),
    "refused name of three fields": lambda fields: _with(fields, 8, (("dist", "myapp.commands", "../x"),)),
    "refused name with a number": lambda fields: _with(fields, 8, (("dist", "myapp.commands", "../x", 1),)),
}

#: Wrong shapes inside the rows, under a correct digest.
_WRONG_ROWS: dict[str, Callable[[_Fields], object]] = {
    "distribution of two fields": _distribution(lambda row: row[:2]),
    "distribution with a location": _distribution(lambda row: (*row[:3], "/site", row[3])),
    "name as a number": _distribution(lambda row: (5, *row[1:])),
    "requires as text": _distribution(lambda row: (*row[:3], "cliff>=4")),
    "requires of numbers": _distribution(lambda row: (*row[:3], (1,))),
    "one row too many": _details(lambda rows: (*rows, rows[0])),
    "no rows": _details(lambda rows: ()),
    "rows as a list": _details(list),
    "rows that are not marshal data": lambda fields: _with(fields, 7, b"\x00 not marshal"),
    "rows cut short": lambda fields: _with(fields, 7, fields[7][:-1]),
    "entry point of two fields": _shout((0, [("alpha.commands:Shout", "myapp-alpha")])),
    "entry point of numbers": _shout((0, [(1, 2, 3)])),
    "entry points as text": _shout((0, "alpha.commands:Shout")),
    "entry without a position": _shout([("alpha.commands:Shout", "myapp-alpha", "1.0")]),
    "position as text": _shout(("0", [("alpha.commands:Shout", "myapp-alpha", "1.0")])),
    "bucket as a list": _bucket(list),
    "bucket named by a number": _bucket(lambda bucket: {1: bucket["shout"]}),
    "bucket that is not marshal data": _commands_table(lambda record: (*record[:2], (b"\x00 not marshal",))),
    "bucket cut short": _commands_table(lambda record: (*record[:2], (record[2][0][:-1],))),
    "refused row of one field": lambda fields: _with(fields, 5, (("/site/x.info",),)),
    "incompatible name as a number": lambda fields: _with(fields, 6, {1: "too old"}),
    "incompatible reason as None": lambda fields: _with(fields, 6, {"myapp-alpha": None}),
    "incompatible reason as a tuple": lambda fields: _with(fields, 6, {"myapp-alpha": ("too", "old")}),
}


@pytest.mark.parametrize(
    "corrupt",
    [pytest.param(corrupt, id=name) for name, corrupt in {**_WRONG_SHAPES, **_WRONG_ROWS}.items()],
)
def test_cache_of_the_wrong_shape_is_rebuilt_and_overwritten(
    corrupt: Callable[[_Fields], object], cached: tuple[Path, Path, PluginIndex], site_dir: Path
) -> None:
    cache_dir, cache_file, good_index = cached
    good = cache_file.read_bytes()
    cache_file.write_bytes(_sealed(marshal.dumps(corrupt(marshal.loads(good[_DIGEST_SIZE:])))))

    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(index) == contents(good_index)
    assert cache_file.read_bytes() == good


def test_cache_whose_payload_is_not_marshal_data_is_rebuilt(
    cached: tuple[Path, Path, PluginIndex], site_dir: Path
) -> None:
    cache_dir, cache_file, good_index = cached
    good = cache_file.read_bytes()
    cache_file.write_bytes(_sealed(b"\x00 not marshal data"))

    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(index) == contents(good_index)
    assert cache_file.read_bytes() == good


@pytest.mark.parametrize(
    ("stamps", "value"),
    [(1, (-1,)), (2, 12345), (2, None)],
    ids=["other folder stamps", "other file digest", "a file was missing"],
)
def test_cache_of_other_stamps_is_rebuilt(
    stamps: int, value: object, cached: tuple[Path, Path, PluginIndex], site_dir: Path
) -> None:
    cache_dir, cache_file, good_index = cached
    good = cache_file.read_bytes()
    stale = _with(_with(marshal.loads(good[_DIGEST_SIZE:]), stamps, value), 3, ())
    cache_file.write_bytes(_sealed(marshal.dumps(stale)))

    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(index) == contents(good_index)
    assert cache_file.read_bytes() == good


def test_cache_file_that_is_a_folder_is_ignored(cached: tuple[Path, Path, PluginIndex], site_dir: Path) -> None:
    cache_dir, cache_file, good_index = cached
    cache_file.unlink()
    cache_file.mkdir()

    index = load_index("myapp.", cache_dir, [str(site_dir)])

    assert contents(index) == contents(good_index)
    assert cache_file.is_dir()


@pytest.fixture
def unwritable_cache_dir(tmp_path: Path) -> Iterator[Path]:
    """A cache folder nothing can be written to, even by root.

    Permissions do not stop root, so as root the folder sits under a regular file instead.
    """
    if os.geteuid() == 0:
        blocker = tmp_path / "a-regular-file"
        blocker.write_text("")
        yield blocker / "cache"
        return
    folder = tmp_path / "read-only-cache"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


def test_unwritable_cache_dir_still_gives_a_correct_index(
    install: Install, site_dir: Path, unwritable_cache_dir: Path
) -> None:
    install(ALPHA)
    expected = load_index("myapp.", None, [str(site_dir)])

    first = load_index("myapp.", unwritable_cache_dir, [str(site_dir)])
    second = load_index("myapp.", unwritable_cache_dir, [str(site_dir)])

    assert contents(first) == contents(second) == contents(expected)
    assert command_names(first) == ["shout", "whisper"]
    assert not unwritable_cache_dir.exists() or cache_files(unwritable_cache_dir) == []


# --- judging compatibility with the tool -------------------------------------------------------


class CountingJudge:
    """A judge that finds the distributions in *reasons* incompatible and counts what it is asked."""

    def __init__(self, key: str = "myapp==0.1.0", reasons: dict[str, str] | None = None) -> None:
        self.key = key
        self.reasons = reasons or {}
        self.asked: list[tuple[str, ...]] = []

    def incompatibility(self, requires: tuple[str, ...]) -> str:
        self.asked.append(requires)
        return next((self.reasons[line] for line in requires if line in self.reasons), "")


OLD = metadata_only("MyApp_Old", {"myapp.commands": {"old": "old:Old"}}, requires=("myapp<0.1", "cliff"))


def test_the_judge_sees_each_distribution_s_requirements_and_its_verdicts_are_indexed(
    install: Install, site_dir: Path
) -> None:
    install(ALPHA)
    install(OLD)
    judge = CountingJudge(reasons={"myapp<0.1": "needs myapp<0.1, running 0.1.0"})

    index = load_index("myapp.", None, [str(site_dir)], judge=judge)

    assert sorted(judge.asked) == [("cliff>=4",), ("myapp<0.1", "cliff")]
    assert index.incompatible_names() == ["myapp-old"]
    assert index.incompatibility("myapp-old") == "needs myapp<0.1, running 0.1.0"
    assert index.incompatibility("MYAPP.OLD") == "needs myapp<0.1, running 0.1.0"
    assert index.incompatibility("myapp-alpha") == ""
    assert index.incompatibility("myapp-missing") == ""
    assert [d.name for d in index.distributions] == ["MyApp_Old", "myapp-alpha"]


def test_without_a_judge_nothing_is_incompatible(install: Install, site_dir: Path) -> None:
    install(OLD)

    index = load_index("myapp.", None, [str(site_dir)])

    assert index.incompatible_names() == []
    assert index.incompatibility("myapp-old") == ""


def test_the_real_judge_finds_a_plugin_made_for_another_release(install: Install, site_dir: Path) -> None:
    install(ALPHA)
    install(OLD)

    index = load_index("myapp.", None, [str(site_dir)], judge=ToolVersionJudge("myapp", "0.1.0"))

    assert index.incompatible_names() == ["myapp-old"]
    assert index.incompatibility("myapp-old") == "needs myapp<0.1, running 0.1.0"


def test_the_judge_runs_when_the_index_is_built_never_on_a_warm_start(
    install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(ALPHA)
    install(OLD)
    cache_dir = tmp_path / "cache"
    judge = CountingJudge(reasons={"myapp<0.1": "too old"})
    load_index("myapp.", cache_dir, [str(site_dir)], judge=judge)
    assert len(judge.asked) == 2
    forbid_reading_metadata(monkeypatch)

    warm = load_index("myapp.", cache_dir, [str(site_dir)], judge=judge)

    assert len(judge.asked) == 2
    assert warm.incompatible_names() == ["myapp-old"]
    assert warm.incompatibility("myapp-old") == "too old"
    assert len(cache_files(cache_dir)) == 1


def test_the_judge_runs_again_when_what_is_installed_changes(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(ALPHA)
    cache_dir = tmp_path / "cache"
    judge = CountingJudge(reasons={"myapp<0.1": "too old"})
    assert load_index("myapp.", cache_dir, [str(site_dir)], judge=judge).incompatible_names() == []
    assert len(judge.asked) == 1

    install(OLD)
    index = load_index("myapp.", cache_dir, [str(site_dir)], judge=judge)

    assert len(judge.asked) == 3
    assert index.incompatible_names() == ["myapp-old"]


def test_the_judge_s_key_is_part_of_the_cache_file_name(install: Install, site_dir: Path, tmp_path: Path) -> None:
    install(OLD)
    cache_dir = tmp_path / "cache"
    old_release = CountingJudge("myapp==0.0.9")
    new_release = CountingJudge("myapp==0.1.0", reasons={"myapp<0.1": "too old"})

    before = load_index("myapp.", cache_dir, [str(site_dir)], judge=old_release)
    (first_file,) = cache_files(cache_dir)
    after = load_index("myapp.", cache_dir, [str(site_dir)], judge=new_release)
    load_index("myapp.", cache_dir, [str(site_dir)])

    assert len(cache_files(cache_dir)) == 3
    assert first_file in cache_files(cache_dir)
    assert len(old_release.asked) == len(new_release.asked) == 1
    assert before.incompatible_names() == []
    assert after.incompatible_names() == ["myapp-old"]


def test_the_same_key_shares_the_cache_file(
    install: Install, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(OLD)
    cache_dir = tmp_path / "cache"
    load_index("myapp.", cache_dir, [str(site_dir)], judge=CountingJudge("myapp==0.1.0", {"myapp<0.1": "too old"}))
    forbid_reading_metadata(monkeypatch)
    other_instance = CountingJudge("myapp==0.1.0")

    index = load_index("myapp.", cache_dir, [str(site_dir)], judge=other_instance)

    assert other_instance.asked == []
    assert index.incompatibility("myapp-old") == "too old"
    assert len(cache_files(cache_dir)) == 1


def test_discard_cache_deletes_the_file_of_the_same_judge_only(
    install: Install, site_dir: Path, tmp_path: Path
) -> None:
    install(OLD)
    cache_dir = tmp_path / "cache"
    path = [str(site_dir)]
    load_index("myapp.", cache_dir, path, judge=CountingJudge("myapp==0.0.9"))
    (kept,) = cache_files(cache_dir)
    load_index("myapp.", cache_dir, path, judge=CountingJudge("myapp==0.1.0"))
    assert len(cache_files(cache_dir)) == 2

    discard_cache("myapp.", cache_dir, path, judge=CountingJudge("myapp==0.1.0"))

    assert cache_files(cache_dir) == [kept]


def test_incompatible_verdicts_survive_a_round_trip_through_bytes(install: Install, site_dir: Path) -> None:
    install(OLD)
    index = load_index("myapp.", None, [str(site_dir)], judge=CountingJudge(reasons={"myapp<0.1": "too old"}))

    copy = PluginIndex.from_bytes(index.to_bytes(), index.folder_stamps)

    assert copy is not None
    assert copy.incompatible_names() == ["myapp-old"]
    assert copy.incompatibility("MyApp_Old") == "too old"


def test_index_built_in_memory_answers_incompatibility_by_normalized_name() -> None:
    index = PluginIndex((), (("MyApp_Old", "1", "", "/x", ()),), {}, incompatible={"myapp-old": "too old"})

    assert index.incompatibility("MyApp.Old") == "too old"
    assert index.incompatible_names() == ["myapp-old"]
    assert PluginIndex((), (), {}).incompatible_names() == []


def test_a_requirement_whose_marker_cannot_be_evaluated_does_not_break_indexing(
    install: Install, site_dir: Path
) -> None:
    install(
        metadata_only(
            "myapp-odd", {"myapp.commands": {"odd": "odd:Odd"}}, requires=('myapp<0.1; python_version ~= "x"',)
        )
    )
    install(ALPHA)

    index = load_index("myapp.", None, [str(site_dir)], judge=ToolVersionJudge("myapp", "0.1.0"))

    assert [d.name for d in index.distributions] == ["myapp-alpha", "myapp-odd"]


def test_drop_in_info_files_are_stamped_one_by_one_with_their_mode(
    site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "drop-ins"
    folder.mkdir()
    info_file = folder / "site-tools.plugin.toml"
    info_file.write_text('name = "site-tools"\n\n[commands]\ndeploy = "site_tools:Deploy"\n')
    cache_dir = tmp_path / "cache"
    arguments = ("myapp.", cache_dir, [str(site_dir)], [str(folder)])
    load_index(*arguments)

    with monkeypatch.context() as patched:
        forbid_reading_metadata(patched)
        unchanged = load_index(*arguments)
        info_file.chmod(0o600)
        with pytest.raises(AssertionError, match="metadata was read"):
            load_index(*arguments)
    info_file.write_text(info_file.read_text().replace("deploy =", "ship =  "))
    edited = load_index(*arguments)

    assert command_names(unchanged) == ["deploy"]
    assert command_names(edited) == ["ship"]
