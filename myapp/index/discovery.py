"""Entry-point metadata of installed distributions, read without importing them.

:func:`load_index` reads one cache file instead of every distribution's
metadata while the cache's stamps match; the readers of each kind of
metadata are in :mod:`myapp.index.metadata`, the file format in
:mod:`myapp.index._cachefile` and :mod:`myapp.index._entrytable`. What is
stamped, why an index read within :data:`SETTLING_TIME_NS` of a change is not
cached, and which edits go unseen: docs/architecture.rst, "Cache and stamps".
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol, TypeVar

from . import _cachefile as indexfile
from . import _stamps
from ._entrytable import EntryTable, Row
from ._stamps import FolderStamp, Source
from .metadata import (
    INFO_SUFFIX,
    RawDistribution,
    info_files,
    is_edited_in_place,
    metadata_folders,
    read_distribution,
    read_info_file,
)
from .names import refused_entry_point_problem

if TYPE_CHECKING:  # importlib.metadata is imported only to read metadata, not at a warm start
    from importlib.metadata import EntryPoint

LOG = logging.getLogger(__name__)

#: Namespaces indexed besides the tool's own: cliff's output formatters.
EXTRA_NAMESPACE_PREFIXES: Final = ("cliff.formatter.",)
_SEPARATORS: Final = re.compile(r"[-_.]+")

T = TypeVar("T")


@functools.lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """The PEP 503 form of a distribution name (``My_App`` -> ``my-app``)."""
    return _SEPARATORS.sub("-", name).lower()


class EntryPointInfo(NamedTuple):
    """One entry point, as registered by a distribution."""

    name: str
    value: str
    group: str
    distribution: str
    version: str = ""

    @property
    def module(self) -> str:
        """The module the entry point's target lives in."""
        return self.value.partition(":")[0].strip()

    def to_entry_point(self) -> EntryPoint:
        """The standard-library form, for stevedore and for importing."""
        from importlib.metadata import EntryPoint

        return EntryPoint(self.name, self.value, self.group)


class DistributionInfo(NamedTuple):
    """An installed distribution that registers entry points in an indexed namespace."""

    name: str
    version: str
    summary: str
    location: str
    requires: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The normalized name, for comparisons."""
        return normalize_name(self.name)

    @property
    def is_drop_in(self) -> bool:
        """Whether it comes from an info file in a plugin folder rather than an install."""
        return self.location.endswith(INFO_SUFFIX)


class RefusedName(NamedTuple):
    """An entry point left out of the index because its name could be read as a path (see :mod:`.names`)."""

    distribution: str
    group: str
    name: str
    #: why, e.g. ``its name contains a path separator``
    problem: str


class Judge(Protocol):
    """Decides whether a distribution fits the running tool, from its requirements."""

    @property
    def key(self) -> str:
        """What the verdicts depend on (the tool's version): part of the cache's name."""
        ...

    def incompatibility(self, requires: tuple[str, ...]) -> str:
        """Why a distribution with these ``Requires-Dist`` lines cannot run, or ``""``."""
        ...


class PluginIndex:
    """Every indexed distribution and entry point, in ``sys.path`` order.

    :param folder_stamps: the stamps of the path entries (see :func:`myapp.index._stamps.folder_stamps`).
    :param distributions: one row per indexed distribution; its location is
        its metadata folder (or info file).
    :param groups: namespace -> entry-point name -> ``(value, distribution, version)`` rows.
    :param refused: ``(info file, reason)`` of drop-in plugins that are not trusted.
    :param incompatible: distribution name -> why it cannot run with this tool (see :mod:`myapp.plugins.compat`).
    :param refused_names: entry points left out because of their names (see :func:`file_entry_point`).
    """

    def __init__(
        self,
        folder_stamps: tuple[FolderStamp, ...],
        distributions: tuple[RawDistribution, ...],
        groups: dict[str, dict[str, list[Row]]],
        refused: tuple[tuple[str, str], ...] = (),
        incompatible: dict[str, str] | None = None,
        refused_names: tuple[RefusedName, ...] = (),
    ) -> None:
        details = marshal.dumps(
            tuple((name, version, summary, requires) for name, version, summary, _, requires in distributions)
        )
        sources = _stamps.sources(row[3] for row in distributions)
        tables = {group: EntryTable.pack(names) for group, names in groups.items()}
        digest = _stamps.file_digest(sources, refused)
        self._restore(folder_stamps, digest, sources, tables, refused, incompatible or {}, details, refused_names)

    def _restore(
        self,
        folder_stamps: tuple[FolderStamp, ...],
        file_digest: int | None,
        sources: tuple[Source, ...],
        tables: dict[str, EntryTable],
        refused: tuple[tuple[str, str], ...],
        incompatible: dict[str, str],
        details: bytes,
        refused_names: tuple[RefusedName, ...],
        rebuild: Callable[[], PluginIndex] | None = None,
    ) -> None:
        """Set every field; *details* are the marshalled ``(name, version, summary, requires)`` rows."""
        self.folder_stamps = folder_stamps
        #: entry points left out because their names could be read as paths (``plugin check`` lists them)
        self.refused_names = refused_names
        #: one number for the stamps of the files checked one by one (``None``: one was missing)
        self.file_digest = file_digest
        self._sources = sources
        self._tables = tables
        #: drop-in plugins refused because others could change them: (info file, reason)
        self.refused = refused
        self._incompatible = incompatible
        self._details = details
        self._rebuild = rebuild

    def __len__(self) -> int:
        """How many distributions are indexed."""
        return sum(len(names) for _, _, names in self._sources)

    def incompatible_names(self) -> list[str]:
        """Normalized names of the distributions that cannot run with this tool."""
        return sorted(self._incompatible)

    def incompatibility(self, name: str) -> str:
        """Why the distribution *name* cannot run with this tool, or ``""``."""
        return self._incompatible.get(normalize_name(name), "")

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short digest of the stamps: changes whenever anything installed changes."""
        return hashlib.sha256(repr((self.folder_stamps, self.file_digest)).encode()).hexdigest()[:16]

    @functools.cached_property
    def distributions(self) -> tuple[DistributionInfo, ...]:
        """The indexed distributions, in path order.

        A cache file's rows are checked here, when first asked for; rows of the
        wrong shape are read again from the installed metadata.
        """
        return self._checked(PluginIndex._distribution_rows)

    def _distribution_rows(self) -> tuple[DistributionInfo, ...]:
        try:
            details = marshal.loads(self._details)
        except (EOFError, ValueError, TypeError):
            details = None
        locations = [os.path.join(folder, name) for folder, _, names in self._sources for name in names]
        if not indexfile.are_details(details, len(locations)):
            raise ValueError("distribution rows of the wrong shape")
        return tuple(
            DistributionInfo(name, version, summary, location, requires)
            for (name, version, summary, requires), location in zip(details, locations, strict=True)
        )

    def _checked(self, read: Callable[[PluginIndex], T]) -> T:
        """``read(self)``; should a cached part turn out damaged, the index is read afresh first.

        :raises ValueError: a part is damaged and there is no way to read the index again.
        """
        try:
            return read(self)
        except ValueError:
            if self._rebuild is None:
                raise
        LOG.debug("part of the entry-point cache is unusable; reading the metadata again")
        fresh = self._rebuild()
        vars(self).update(vars(fresh))
        return read(self)

    @functools.cached_property
    def _by_key(self) -> dict[str, DistributionInfo]:
        return {d.key: d for d in self.distributions}

    def distribution(self, name: str) -> DistributionInfo | None:
        """The distribution called *name* (compared normalized), if indexed."""
        return self._by_key.get(normalize_name(name))

    def is_edited_in_place(self, name: str) -> bool:
        """Whether the distribution *name* runs its code from where it is edited (see :func:`.is_edited_in_place`)."""
        key = normalize_name(name)
        if key not in self._edited_in_place:
            distribution = self._by_key.get(key)
            self._edited_in_place[key] = distribution is not None and is_edited_in_place(distribution.location)
        return self._edited_in_place[key]

    @functools.cached_property
    def _edited_in_place(self) -> dict[str, bool]:
        """What :meth:`is_edited_in_place` found, by normalized name: one look per distribution and run."""
        return {}

    def groups(self) -> list[str]:
        """Every namespace that has at least one entry point."""
        return sorted(self._tables)

    def distribution_names(self, prefix: str | tuple[str, ...]) -> set[str]:
        """The distributions with entry points in the namespaces starting with *prefix* (or one of several).

        Names are as their metadata spells them.

        Read from the entry points alone: the distribution rows stay undecoded.
        """
        groups = [group for group in self._tables if group.startswith(prefix)]
        return {entry_point.distribution for group in groups for entry_point in self.entry_points(group)}

    def names(self, group: str) -> list[str]:
        """The entry-point names registered in *group*, in path order."""
        table = self._tables.get(group)
        return [] if table is None else self._checked(lambda index: index._tables[group].names())

    def most_words(self, group: str) -> int:
        """The most ``_``-separated words in one entry-point name of *group* (0 when it has none)."""
        table = self._tables.get(group)
        return 0 if table is None else table.most_words

    def dotted_names(self, group: str) -> tuple[str, ...]:
        """The entry-point names of *group* that contain a ``.`` (such as versions, ``hello.v2``)."""
        table = self._tables.get(group)
        return () if table is None else table.dotted

    def lookup(self, group: str, name: str) -> list[EntryPointInfo]:
        """Every entry point called *name* in *group*, in path order."""
        if group not in self._tables:
            return []
        rows = self._checked(lambda index: index._tables[group].rows(name))
        return [EntryPointInfo(name, value, group, distribution, version) for value, distribution, version in rows]

    def entry_points(self, group: str) -> list[EntryPointInfo]:
        """The entry points of one namespace, in path order."""
        return [ep for name in self.names(group) for ep in self.lookup(group, name)]

    def to_bytes(self) -> bytes:
        """The cache file's content (see :mod:`myapp.index._cachefile`)."""
        return indexfile.encode(
            (
                self.folder_stamps,
                self.file_digest,
                self._sources,
                {group: table.record() for group, table in self._tables.items()},
                self.refused,
                self._incompatible,
                self._details,
                tuple(map(tuple, self.refused_names)),
            )
        )

    @classmethod
    def from_bytes(
        cls, content: bytes, folder_stamps: tuple[FolderStamp, ...], rebuild: Callable[[], PluginIndex] | None = None
    ) -> PluginIndex | None:
        """The index a cache file holds, or ``None`` when it is stale.

        :param rebuild: reads the index afresh, should a part checked only
            when first asked for (distribution rows, entry-point buckets)
            turn out unusable.
        :raises ValueError: the content is corrupt or of the wrong shape.
        """
        cached_stamps, digest, sources, records, refused, incompatible, details, names = indexfile.decode(content)
        if cached_stamps != folder_stamps:
            return None
        if digest is None or _stamps.file_digest(sources, refused) != digest:
            return None
        tables = {group: EntryTable.from_record(record) for group, record in records.items()}
        if not all(type(group) is str for group in tables):
            raise ValueError("wrong shape")
        index = cls.__new__(cls)
        refused_names = tuple(RefusedName(*row) for row in names)
        index._restore(folder_stamps, digest, sources, tables, refused, incompatible, details, refused_names, rebuild)
        return index


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
