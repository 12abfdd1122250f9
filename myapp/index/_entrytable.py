"""One namespace's entry points as the index caches them, decoded a bucket at a time.

Running one of a thousand installed commands must not decode a thousand
rows. A namespace's names are spread over buckets by a CRC-32 of the name
(the same in every process, unlike :func:`hash` of a string); each bucket is
marshalled apart, and decoded and checked for shape only when a name in it
is looked up. What start-up needs to know of all the names -- how many words
the longest has, and which carry a ``.`` suffix (command versions) -- is
kept beside the buckets, so that nothing has to list them all.
"""

from __future__ import annotations

import marshal
import zlib
from typing import Final

#: ``(value, distribution, version)`` of one entry point.
Row = tuple[str, str, str]

#: How many names a bucket holds at most.
NAMES_PER_BUCKET: Final = 32


def _bucket_of(name: str, count: int) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % count


def _are_rows(rows: object) -> bool:
    return type(rows) is list and all(
        type(row) is tuple and len(row) == 3 and type(row[0]) is type(row[1]) is type(row[2]) is str for row in rows
    )


def _is_bucket(bucket: object) -> bool:
    """Whether *bucket* maps names to ``(position, rows)``."""
    return type(bucket) is dict and all(
        type(name) is str and type(entry) is tuple and len(entry) == 2 and type(entry[0]) is int and _are_rows(entry[1])
        for name, entry in bucket.items()
    )


class EntryTable:
    """Entry-point name -> rows of one namespace, in the order the distributions registered them.

    :param buckets: marshalled ``{name: (position, rows)}`` dictionaries.
    :param most_words: the most words, separated by ``_`` or a space, in one name.
    :param dotted: the names that contain a ``.``.
    """

    def __init__(self, buckets: tuple[bytes, ...], most_words: int, dotted: tuple[str, ...]) -> None:
        self._buckets = buckets
        self._open: dict[int, dict[str, tuple[int, list[Row]]]] = {}
        self.most_words = most_words
        self.dotted = dotted

    @classmethod
    def pack(cls, names: dict[str, list[Row]]) -> EntryTable:
        """The table of *names* (in registration order)."""
        count = max(1, -(-len(names) // NAMES_PER_BUCKET))
        buckets: list[dict[str, tuple[int, list[Row]]]] = [{} for _ in range(count)]
        for position, (name, rows) in enumerate(names.items()):
            buckets[_bucket_of(name, count)][name] = (position, rows)
        most_words = max((name.replace(" ", "_").count("_") + 1 for name in names), default=0)
        dotted = tuple(name for name in names if "." in name)
        return cls(tuple(marshal.dumps(bucket) for bucket in buckets), most_words, dotted)

    def record(self) -> tuple[int, tuple[str, ...], tuple[bytes, ...]]:
        """What a cache file keeps of the table."""
        return self.most_words, self.dotted, self._buckets

    @classmethod
    def from_record(cls, record: object) -> EntryTable:
        """The table a cache file's *record* describes; its buckets are checked when first read.

        :raises ValueError: the record is of the wrong shape.
        """
        if not (type(record) is tuple and len(record) == 3):
            raise ValueError("entry-point table of the wrong shape")
        most_words, dotted, buckets = record
        if not (
            type(most_words) is int
            and type(dotted) is tuple
            and all(type(name) is str for name in dotted)
            and type(buckets) is tuple
            and buckets
            and all(type(bucket) is bytes for bucket in buckets)
        ):
            raise ValueError("entry-point table of the wrong shape")
        return cls(buckets, most_words, dotted)

    def rows(self, name: str) -> list[Row]:
        """The rows registered as *name*, in path order.

        :raises ValueError: the bucket holding *name* is damaged.
        """
        entry = self._bucket(_bucket_of(name, len(self._buckets))).get(name)
        return [] if entry is None else entry[1]

    def names(self) -> list[str]:
        """Every name, in registration order (decodes every bucket).

        :raises ValueError: a bucket is damaged.
        """
        found = [
            (position, name)
            for number in range(len(self._buckets))
            for name, (position, _) in self._bucket(number).items()
        ]
        return [name for _, name in sorted(found)]

    def _bucket(self, number: int) -> dict[str, tuple[int, list[Row]]]:
        if number not in self._open:
            try:
                bucket = marshal.loads(self._buckets[number])
            except (EOFError, ValueError, TypeError):
                bucket = None
            if not _is_bucket(bucket):
                raise ValueError("entry-point rows of the wrong shape")
            self._open[number] = bucket
        return self._open[number]
