"""The entry-point index's cache file: layout, checksum and shape checks.

A file is a big-endian CRC-32 of the payload, then the payload: a
:mod:`marshal` tuple ``(format, folder stamps, file digest, sources,
tables, refused, incompatible, details, refused names)``. *sources* are the folders the
distributions' metadata lives in, each with the names in it; *tables* are
the namespaces' :class:`~myapp.index._entrytable.EntryTable` records. *details* are
the distribution rows, marshalled apart so that a warm start does not decode
them (they are checked by :func:`are_details` when first asked for), as are
the tables' buckets. Everything else is checked here, in one pass without
copies: a file that fails is rebuilt, never trusted.
"""

from __future__ import annotations

import marshal
import zlib
from typing import Any, Final

#: Bumped whenever the layout changes.
CACHE_FORMAT: Final = 9

#: How the metadata of a source folder is stamped (see :mod:`myapp.index.discovery`).
SOURCE_KINDS: Final = frozenset({"dist-info", "egg-info", "drop-in"})

#: Bytes of the checksum in front of a cache file's payload.
DIGEST_SIZE: Final = 4


def _checksum(payload: bytes) -> bytes:
    """CRC-32 of *payload*: catches a damaged file at a fraction of a hash's cost (no adversary here)."""
    return zlib.crc32(payload).to_bytes(DIGEST_SIZE, "big")


def _are_string_pairs(rows: object) -> bool:
    return _are_string_rows(rows, 2)


def _are_string_rows(rows: object, width: int) -> bool:
    """Whether *rows* is a tuple of tuples of *width* strings."""
    return type(rows) is tuple and all(type(row) is tuple and len(row) == width and _are_strings(row) for row in rows)


def _are_strings(items: object) -> bool:
    return type(items) is tuple and all(type(item) is str for item in items)


def are_details(rows: object, count: int) -> bool:
    """Whether *rows* are *count* distribution rows ``(name, version, summary, requires)``."""
    if type(rows) is not tuple or len(rows) != count:
        return False
    try:
        return all(
            type(name) is type(version) is type(summary) is str and _are_strings(requires)
            for name, version, summary, requires in rows
        )
    except (TypeError, ValueError):  # a row that does not unpack
        return False


def _are_sources(sources: object) -> bool:
    """Whether *sources* are ``(folder, kind, names)`` rows."""
    return type(sources) is tuple and all(
        type(row) is tuple
        and len(row) == 3
        and type(row[0]) is type(row[1]) is str
        and row[1] in SOURCE_KINDS
        and _are_strings(row[2])
        for row in sources
    )


def encode(fields: tuple[Any, ...]) -> bytes:
    """The file content for the index *fields* (everything after the format number)."""
    payload = marshal.dumps((CACHE_FORMAT, *fields))
    return _checksum(payload) + payload


def decode(content: bytes) -> tuple[Any, ...]:
    """The index fields a file holds, checked for shape except the details.

    :raises ValueError: the content is corrupt, of another format or of the wrong shape.
    """
    digest, payload = content[:DIGEST_SIZE], content[DIGEST_SIZE:]
    if _checksum(payload) != digest:
        raise ValueError("checksum mismatch")
    fields = marshal.loads(payload)
    if not (type(fields) is tuple and len(fields) == 9 and fields[0] == CACHE_FORMAT):
        raise ValueError("not a cache of this format")
    _, _, _, sources, tables, refused, incompatible, details, refused_names = fields
    # The stamps need no check: the caller compares them with fresh ones. The
    # tables' records are checked by EntryTable.from_record.
    if not (_are_sources(sources) and type(tables) is dict and _are_string_pairs(refused)):
        raise ValueError("wrong shape")
    if (
        type(incompatible) is not dict
        or not _are_string_pairs(tuple(incompatible.items()))
        or type(details) is not bytes
        or not _are_string_rows(refused_names, 4)
    ):
        raise ValueError("wrong shape")
    return fields[1:]
