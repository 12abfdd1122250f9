"""Entry-point metadata of installed distributions, read without importing them.

Start-up reads one cache file instead of every distribution's metadata. The
cache is checked against a *fingerprint* of the interpreter's path: for each
``*.dist-info`` / ``*.egg-info`` folder on ``sys.path``, the size, inode and
nanosecond modification time of its ``entry_points.txt``. Installing,
removing, upgrading or editing a distribution changes the fingerprint, so
the very next run rebuilds the index. A cache that is unreadable, corrupt,
of another format or of the wrong shape is rebuilt, never trusted; writes
are atomic, so many processes may rebuild it at once.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ._files import write_atomic

LOG = logging.getLogger(__name__)

#: Bumped whenever the cache file's layout changes.
CACHE_FORMAT: Final = 1
#: Namespaces indexed besides the tool's own: cliff's output formatters.
EXTRA_NAMESPACE_PREFIXES: Final = ("cliff.formatter.",)
_METADATA_SUFFIXES: Final = (".dist-info", ".egg-info")


def normalize_name(name: str) -> str:
    """The PEP 503 form of a distribution name (``My_App`` -> ``my-app``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True, slots=True)
class EntryPointInfo:
    """One entry point, as registered by a distribution."""

    name: str
    value: str
    group: str
    distribution: str

    @property
    def module(self) -> str:
        """The module the entry point's target lives in."""
        return self.value.partition(":")[0].strip()

    def to_entry_point(self) -> importlib.metadata.EntryPoint:
        """The standard-library form, for stevedore and for importing."""
        return importlib.metadata.EntryPoint(self.name, self.value, self.group)


@dataclass(frozen=True, slots=True)
class DistributionInfo:
    """An installed distribution that registers entry points in an indexed namespace."""

    name: str
    version: str
    summary: str
    location: str
    requires: tuple[str, ...] = ()
    entry_points: tuple[EntryPointInfo, ...] = ()

    @property
    def key(self) -> str:
        """The normalized name, for comparisons."""
        return normalize_name(self.name)


@dataclass(frozen=True, slots=True)
class PluginIndex:
    """Every indexed distribution, in ``sys.path`` order, and their entry points."""

    fingerprint: str
    distributions: tuple[DistributionInfo, ...] = ()
    _by_group: dict[str, list[EntryPointInfo]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for distribution in self.distributions:
            for entry_point in distribution.entry_points:
                self._by_group.setdefault(entry_point.group, []).append(entry_point)

    def entry_points(self, group: str) -> list[EntryPointInfo]:
        """The entry points of one namespace, in ``sys.path`` order."""
        return list(self._by_group.get(group, ()))

    def groups(self) -> list[str]:
        """Every namespace that has at least one entry point."""
        return sorted(self._by_group)

    def distribution(self, name: str) -> DistributionInfo | None:
        """The distribution called *name* (compared normalized), if indexed."""
        key = normalize_name(name)
        return next((d for d in self.distributions if d.key == key), None)


def load_index(
    namespace_prefix: str,
    cache_dir: Path | None,
    path: Sequence[str] | None = None,
) -> PluginIndex:
    """Return the index of *path* (default ``sys.path``), from cache when it is current.

    :param namespace_prefix: entry-point groups starting with this are indexed.
    :param cache_dir: where the cache lives; ``None`` disables caching.
    """
    entries = _search_path(sys.path if path is None else path)
    folders = list(_metadata_folders(entries))
    fingerprint = _fingerprint(namespace_prefix, folders)
    cache_file = cache_dir / f"entry-points-{_path_key(entries)}.json" if cache_dir else None
    if cache_file is not None:
        cached = _read_cache(cache_file, fingerprint)
        if cached is not None:
            LOG.debug("entry points read from %s", cache_file)
            return cached
    LOG.debug("reading entry points of %d distributions", len(folders))
    index = PluginIndex(fingerprint, tuple(_read_distributions(folders, namespace_prefix)))
    if cache_file is not None:
        _write_cache(cache_file, index)
    return index


def _search_path(path: Iterable[str]) -> list[str]:
    # An empty entry means the current directory: never a source of plugins.
    return [entry for entry in path if entry and entry != os.curdir]


def _path_key(entries: list[str]) -> str:
    text = "\0".join([sys.executable, sys.prefix, *entries])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _metadata_folders(entries: list[str]) -> Iterator[Path]:
    for entry in entries:
        try:
            with os.scandir(entry) as children:
                names = sorted(c.name for c in children if c.name.endswith(_METADATA_SUFFIXES))
        except OSError:  # missing, not a directory, or unreadable: nothing to index
            continue
        for name in names:
            yield Path(entry, name)


def _fingerprint(namespace_prefix: str, folders: list[Path]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{namespace_prefix}\0{sys.version}".encode())
    for folder in folders:
        try:
            stat = os.stat(folder / "entry_points.txt")
            stamp = f"{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}"
        except OSError:
            stamp = "-"
        digest.update(f"{folder}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_distributions(folders: list[Path], namespace_prefix: str) -> Iterator[DistributionInfo]:
    prefixes = (namespace_prefix, *EXTRA_NAMESPACE_PREFIXES)
    markers = tuple(f"[{prefix}" for prefix in prefixes)
    seen: set[str] = set()
    for folder in folders:
        try:
            text = (folder / "entry_points.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if not any(marker in text for marker in markers):
            continue
        info = _read_distribution(folder, prefixes)
        # Like importlib.metadata, the first distribution of a name on the path wins.
        if info is not None and info.key not in seen:
            seen.add(info.key)
            yield info


def _read_distribution(folder: Path, prefixes: tuple[str, ...]) -> DistributionInfo | None:
    distribution = importlib.metadata.Distribution.at(folder)
    try:
        metadata = distribution.metadata
        name = metadata["Name"]
        entry_points = [
            EntryPointInfo(ep.name, ep.value, ep.group, name)
            for ep in distribution.entry_points
            if ep.group.startswith(prefixes)
        ]
    except Exception as error:  # malformed metadata must not stop the other plugins
        LOG.warning("ignoring %s: unreadable metadata (%s)", folder, error)
        return None
    if not name:
        LOG.warning("ignoring %s: its metadata has no Name", folder)
        return None
    return DistributionInfo(
        name=name,
        version=metadata["Version"] or "",
        summary=metadata["Summary"] or "",
        location=str(folder),
        requires=tuple(metadata.get_all("Requires-Dist") or ()),
        entry_points=tuple(entry_points),
    )


def _read_cache(cache_file: Path, fingerprint: str) -> PluginIndex | None:
    try:
        data = json.loads(cache_file.read_bytes())
        if data["format"] != CACHE_FORMAT or data["fingerprint"] != fingerprint:
            LOG.debug("entry-point cache %s is stale", cache_file)
            return None
        return PluginIndex(fingerprint, tuple(_distribution_from_json(d) for d in data["distributions"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        LOG.debug("entry-point cache %s is unusable (%s); rebuilding it", cache_file, error)
        return None


def _distribution_from_json(data: dict[str, Any]) -> DistributionInfo:
    name = _string(data["name"])
    entry_points = tuple(
        EntryPointInfo(_string(ep_name), _string(value), _string(group), name)
        for ep_name, value, group in data["entry_points"]
    )
    return DistributionInfo(
        name=name,
        version=_string(data["version"]),
        summary=_string(data["summary"]),
        location=_string(data["location"]),
        requires=tuple(_string(r) for r in data["requires"]),
        entry_points=entry_points,
    )


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _write_cache(cache_file: Path, index: PluginIndex) -> None:
    data = {
        "format": CACHE_FORMAT,
        "fingerprint": index.fingerprint,
        "distributions": [
            {
                "name": d.name,
                "version": d.version,
                "summary": d.summary,
                "location": d.location,
                "requires": list(d.requires),
                "entry_points": [[ep.name, ep.value, ep.group] for ep in d.entry_points],
            }
            for d in index.distributions
        ],
    }
    try:
        write_atomic(cache_file, json.dumps(data, separators=(",", ":")))
    except OSError as error:
        LOG.info("cannot write the entry-point cache %s (%s); running without it", cache_file, error)
