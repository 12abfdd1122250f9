"""Finding what is installed: the entry-point index of a search path, read without importing anything.

:func:`load_index` reads one cache file instead of every distribution's
metadata while the cache's stamps match; the readers of each kind of
metadata are in :mod:`myapp.index.metadata`, the index and its rows in
:mod:`myapp.index.pluginindex` and :mod:`myapp.index.records`, the file
format in :mod:`myapp.index._cachefile` and :mod:`myapp.index._entrytable`.
What is stamped, why an index read within :data:`SETTLING_TIME_NS` of a
change is not cached, and which edits go unseen: docs/architecture.rst,
"Cache and stamps".
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, Protocol

from . import _stamps
from ._entrytable import Row
from ._stamps import FolderStamp
from .metadata import RawDistribution, info_files, metadata_folders, read_distribution, read_info_file
from .names import refused_entry_point_problem
from .pluginindex import PluginIndex
from .records import RefusedName, normalize_name

__all__ = ["EXTRA_NAMESPACE_PREFIXES", "Judge", "discard_cache", "file_entry_point", "load_index"]

LOG = logging.getLogger(__name__)

#: Namespaces indexed besides the tool's own: cliff's output formatters.
EXTRA_NAMESPACE_PREFIXES: Final = ("cliff.formatter.",)


class Judge(Protocol):
    """Decides whether a distribution fits the running tool, from its requirements."""

    @property
    def key(self) -> str:
        """What the verdicts depend on (the tool's version): part of the cache's name."""
        ...

    def incompatibility(self, requires: tuple[str, ...]) -> str:
        """Why a distribution with these ``Requires-Dist`` lines cannot run, or ``""``."""
        ...


def load_index(
    namespace_prefix: str | tuple[str, ...],
    cache_dir: Path | None,
    path: Sequence[str] | None = None,
    plugin_folders: Sequence[str] = (),
    judge: Judge | None = None,
) -> PluginIndex:
    """Return the index of *path* (default ``sys.path``), from cache when it is current.

    :param namespace_prefix: entry-point groups starting with this (or one of these) are indexed;
        drop-in plugins register in the first.
    :param cache_dir: where the cache lives; ``None`` disables caching.
    :param plugin_folders: folders of drop-in plugins (already checked for trust).
    :param judge: says, from its ``Requires-Dist`` lines, why a distribution cannot
        run with this tool; judged once per change of what is installed. Its
        ``key`` (e.g. the tool's version) is part of the cache's name.
    """
    entries = _search_path(sys.path if path is None else path)
    folder_stamps = _stamps.folder_stamps([*entries, *plugin_folders])
    cache_file = _cache_file(namespace_prefix, cache_dir, entries, plugin_folders, judge)

    def rebuild() -> PluginIndex:
        folders = list(metadata_folders(entries))
        LOG.debug("reading entry points of %d distributions", len(folders))
        own = _prefixes(namespace_prefix)
        prefixes = (*own, *EXTRA_NAMESPACE_PREFIXES)
        index = _build_index(folders, info_files(plugin_folders), folder_stamps, own[0], prefixes, judge)
        if cache_file is not None and _stamps.is_settling(folder_stamps):
            LOG.debug("a path folder changed a moment ago; the entry-point index is not cached this time")
        elif cache_file is not None:
            _write_cache(cache_file, index)
        return index

    if cache_file is not None:
        cached = _read_cache(cache_file, folder_stamps, rebuild)
        if cached is not None:
            LOG.debug("entry points read from %s", cache_file)
            return cached
    return rebuild()


def discard_cache(
    namespace_prefix: str | tuple[str, ...],
    cache_dir: Path | None,
    path: Sequence[str] | None = None,
    plugin_folders: Sequence[str] = (),
    judge: Judge | None = None,
) -> None:
    """Delete the cache file :func:`load_index` keeps for the same arguments, if any.

    The stamps notice installs by themselves; this is for a caller that has
    just changed the environment (``plugin install``) and wants no doubt.
    """
    entries = _search_path(sys.path if path is None else path)
    cache_file = _cache_file(namespace_prefix, cache_dir, entries, plugin_folders, judge)
    if cache_file is None:
        return
    try:
        cache_file.unlink(missing_ok=True)
    except OSError as error:
        LOG.info("cannot delete the entry-point cache in %s (%s)", cache_dir, error)


def _prefixes(namespace_prefix: str | tuple[str, ...]) -> tuple[str, ...]:
    return (namespace_prefix,) if isinstance(namespace_prefix, str) else namespace_prefix


def _search_path(path: Iterable[str]) -> list[str]:
    # An empty entry means the current directory: never a source of plugins.
    return [entry for entry in path if entry and entry != os.curdir]


def _cache_file(
    namespace_prefix: str | tuple[str, ...],
    cache_dir: Path | None,
    entries: list[str],
    plugin_folders: Sequence[str],
    judge: Judge | None,
) -> Path | None:
    """Where :func:`load_index` keeps the index of *entries* and *plugin_folders*; ``None`` without a cache dir.

    One file per namespace, interpreter and search path, so that tools, virtual
    environments and ``PYTHONPATH`` settings never share an index.
    """
    if cache_dir is None:
        return None
    judged = judge.key if judge else ""
    text = "\0".join(
        [*_prefixes(namespace_prefix), sys.version, sys.executable, sys.prefix, *entries, "", *plugin_folders, judged]
    )
    key = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return cache_dir / f"entry-points-{key}.bin"


def _build_index(
    folders: list[str],
    drop_in_files: list[str],
    folder_stamps: tuple[FolderStamp, ...],
    namespace_prefix: str,
    prefixes: tuple[str, ...],
    judge: Judge | None,
) -> PluginIndex:
    distributions: list[RawDistribution] = []
    groups: dict[str, dict[str, list[Row]]] = {}
    markers = tuple(f"[{prefix}" for prefix in prefixes)
    from ..trust import unsafe_reason

    refused = tuple((f, problem) for f in drop_in_files if (problem := unsafe_reason(Path(f))))
    trusted = [f for f in drop_in_files if f not in dict(refused)]
    found = (read_distribution(f, prefixes, markers) for f in folders)
    dropped_in = (read_info_file(f, namespace_prefix) for f in trusted)
    seen: set[str] = set()
    refused_names: list[RefusedName] = []
    for read in (*found, *dropped_in):
        # Like importlib.metadata, the first distribution of a name on the path wins.
        if read is None or normalize_name(read[0][0]) in seen:
            continue
        row, entry_points = read
        seen.add(normalize_name(row[0]))
        distributions.append(row)
        for ep in entry_points:
            file_entry_point(groups, refused_names, namespace_prefix, ep.group, ep.name, (ep.value, row[0], row[1]))
    incompatible = {}
    for row in distributions if judge else ():
        reason = judge.incompatibility(row[4])  # type: ignore[union-attr]
        if reason:
            incompatible[normalize_name(row[0])] = reason
    return PluginIndex(folder_stamps, tuple(distributions), groups, refused, incompatible, tuple(refused_names))


def file_entry_point(
    groups: dict[str, dict[str, list[Row]]],
    refused_names: list[RefusedName],
    namespace_prefix: str,
    group: str,
    name: str,
    row: Row,
) -> None:
    """Put one entry point (*row*: value, distribution, version) in *groups*, or in *refused_names* when its
    name could be read as a path (see :func:`myapp.index.names.refused_entry_point_problem`)."""
    problem = refused_entry_point_problem(group, name, namespace_prefix)
    if problem:
        refused_names.append(RefusedName(row[1], group, name, problem))
    else:
        groups.setdefault(group, {}).setdefault(name, []).append(row)


def _read_cache(
    cache_file: Path, folder_stamps: tuple[FolderStamp, ...], rebuild: Callable[[], PluginIndex]
) -> PluginIndex | None:
    try:
        index = PluginIndex.from_bytes(cache_file.read_bytes(), folder_stamps, rebuild)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as error:
        LOG.debug("entry-point cache %s is unusable (%s); rebuilding it", cache_file, error)
        return None
    if index is None:
        LOG.debug("entry-point cache %s is stale", cache_file)
    return index


def _write_cache(cache_file: Path, index: PluginIndex) -> None:
    from .._files import write_atomic

    try:
        write_atomic(cache_file, index.to_bytes())
    except OSError as error:
        LOG.info("cannot write the entry-point cache %s (%s); running without it", cache_file, error)
