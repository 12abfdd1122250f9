"""The index itself: every indexed distribution and entry point, in ``sys.path`` order, and its cache file's content.

Built by :func:`myapp.index.discovery.load_index`, from metadata or from the
cache file; the rows it answers with are :mod:`myapp.index.records`. A cache
file's parts are checked when first asked for, and read afresh from the
installed metadata should one turn out damaged.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import os
from collections.abc import Callable
from typing import TypeVar

from . import _cachefile as indexfile
from . import _stamps
from ._entrytable import EntryTable, Row
from ._stamps import FolderStamp, Source
from .metadata import RawDistribution, is_edited_in_place
from .records import DistributionInfo, EntryPointInfo, RefusedName, normalize_name

LOG = logging.getLogger(__name__)

T = TypeVar("T")


class PluginIndex:
    """Every indexed distribution and entry point, in ``sys.path`` order.

    :param folder_stamps: the stamps of the path entries (see :func:`myapp.index._stamps.folder_stamps`).
    :param distributions: one row per indexed distribution; its location is
        its metadata folder (or info file).
    :param groups: namespace -> entry-point name -> ``(value, distribution, version)`` rows.
    :param refused: ``(info file, reason)`` of drop-in plugins that are not trusted.
    :param incompatible: distribution name -> why it cannot run with this tool (see :mod:`myapp.plugins.compat`).
    :param refused_names: entry points left out because of their names
        (see :func:`myapp.index.discovery.file_entry_point`).
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
