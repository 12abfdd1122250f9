"""What the entry-point cache is checked against: the path folders' stamps and a digest of per-file stamps.

Why installed ``*.dist-info`` folders are covered by their path folder's time
alone, and why an index read within :data:`SETTLING_TIME_NS` of a change is
not cached: docs/architecture.rst, "Cache and stamps".
"""

from __future__ import annotations

import itertools
import operator
import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from .metadata import INFO_SUFFIX

#: ``(folder, kind, names)``: where indexed metadata lives, one run of names per folder and kind
#: (one of :data:`~myapp.index._cachefile.SOURCE_KINDS`).
Source = tuple[str, str, tuple[str, ...]]
#: A folder that changed less than this before it was stamped may still be changing: see the module's docs.
SETTLING_TIME_NS: Final = 2 * 10**9

#: What of a file's status says it changed; info files add mode and owner (see :func:`file_digest`).
_FILE_STAMP: Final = operator.attrgetter("st_mtime_ns", "st_size", "st_ino")
_INFO_STAMP: Final = operator.attrgetter("st_mtime_ns", "st_size", "st_ino", "st_mode", "st_uid")
#: How each kind of source is stamped file by file: the stamp, and the file in each named entry.
#: Installed ``*.dist-info`` folders are covered by their path folder's time alone.
_FILE_STAMPS: Final = {"egg-info": (_FILE_STAMP, "/entry_points.txt"), "drop-in": (_INFO_STAMP, "")}
#: Whether files can be looked up relative to an open folder (not on Windows).
_STAT_IN_FOLDER: Final = os.stat in os.supports_dir_fd
_FOLDER_FLAGS: Final = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


#: What of a path folder's status says something in it was added, removed or renamed: its modification time,
#: and its change time and inode, which the kernel sets and tools that normalise file times cannot.
FolderStamp = tuple[int, int, int]
_FOLDER_STAMP: Final = operator.attrgetter("st_mtime_ns", "st_ctime_ns", "st_ino")
_MISSING: Final = (-1, -1, -1)


def folder_stamps(entries: list[str]) -> tuple[FolderStamp, ...]:
    """The :data:`FolderStamp` of each path entry (``(-1, -1, -1)`` when it cannot be read).

    One ``stat`` per folder, whatever it holds. The change time catches a
    reinstall after which the modification times were set back to a fixed
    value (as reproducible-build tools and some container layers do); the
    inode, a folder replaced by a copy.
    """
    stamps: list[FolderStamp] = []
    for entry in entries:
        try:
            stamps.append(_FOLDER_STAMP(os.stat(entry)))
        except OSError:
            stamps.append(_MISSING)
    return tuple(stamps)


def sources(locations: Iterable[str]) -> tuple[Source, ...]:
    """*locations* as runs of ``(folder, kind, names)``, in the same order."""
    split = ((*os.path.split(location), _kind(location)) for location in locations)
    return tuple(
        (folder, kind, tuple(name for _, name, _ in run))
        for (folder, kind), run in itertools.groupby(split, key=lambda item: (item[0], item[2]))
    )


def _kind(location: str) -> str:
    if location.endswith(INFO_SUFFIX):
        return "drop-in"
    return "egg-info" if location.endswith(".egg-info") else "dist-info"


def file_digest(sources: Iterable[Source], refused: Iterable[tuple[str, str]]) -> int | None:
    """One number that changes whenever a stamped file changes; ``None`` when one is missing.

    Stamped are the ``entry_points.txt`` of ``*.egg-info`` folders (modification
    time, size and inode) and the info files of drop-in plugins, *refused* ones
    included (their mode and owner too, which decide whether they are trusted).
    The digest is the :func:`hash` of the stamps, which for integers is the same
    in every process of this interpreter (the cache's name depends on it).
    """
    stamps: list[tuple[int, ...]] = []
    try:
        for folder, kind, names in sources:
            if kind in _FILE_STAMPS:
                stamps += _stamps_in(folder, names, *_FILE_STAMPS[kind])
        stamps += [_INFO_STAMP(os.stat(path)) for path, _ in refused]
    except OSError:
        return None
    return hash(tuple(stamps))


def _stamps_in(
    folder: str, names: Sequence[str], stamp: Callable[[os.stat_result], tuple[int, ...]], suffix: str
) -> list[tuple[int, ...]]:
    """The stamps of the file ``name + suffix`` of each of *names* in *folder*.

    Each file is looked up relative to the open folder where the platform
    allows it: the kernel then walks a component or two per file, not the
    whole path.

    :raises OSError: a file or the folder is missing or unreadable.
    """
    if not _STAT_IN_FOLDER:
        return [stamp(os.stat(os.path.join(folder, name + suffix))) for name in names]
    descriptor = os.open(folder, _FOLDER_FLAGS)
    try:
        return [stamp(os.stat(name + suffix, dir_fd=descriptor)) for name in names]
    finally:
        os.close(descriptor)


def is_settling(folder_stamps: Iterable[FolderStamp]) -> bool:
    """Whether a folder changed too recently (by its modification time) for an index read from it to be cached."""
    return max((stamp[0] for stamp in folder_stamps), default=-1) > time.time_ns() - SETTLING_TIME_NS
