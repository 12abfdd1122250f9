"""``EntryTable``: one namespace's entry points, decoded a bucket at a time."""

from __future__ import annotations

import marshal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myapp.index._entrytable import NAMES_PER_BUCKET, EntryTable, Row


def rows_of(name: str) -> list[Row]:
    return [(f"{name}.module:Command", "myapp-many", "1.0")]


MANY = {f"command_{number:04d}": rows_of(f"command_{number:04d}") for number in range(10 * NAMES_PER_BUCKET)}


def copied(table: EntryTable) -> EntryTable:
    """The table as a cache file gives it back."""
    return EntryTable.from_record(marshal.loads(marshal.dumps(table.record())))


def test_many_names_are_spread_over_buckets_and_keep_their_order() -> None:
    table = copied(EntryTable.pack(MANY))

    assert len(table.record()[2]) == 10
    assert table.names() == list(MANY)
    assert all(table.rows(name) == rows for name, rows in MANY.items())
    assert table.rows("command_9999") == []


def test_looking_up_a_name_decodes_only_its_bucket() -> None:
    most_words, dotted, buckets = EntryTable.pack(MANY).record()
    wanted = EntryTable(buckets, most_words, dotted).rows("command_0007")
    holding = [number for number, bucket in enumerate(buckets) if "command_0007" in marshal.loads(bucket)]
    damaged = tuple(bucket if number in holding else b"\x00 damaged" for number, bucket in enumerate(buckets))
    table = EntryTable(damaged, most_words, dotted)

    assert table.rows("command_0007") == wanted == rows_of("command_0007")
    with pytest.raises(ValueError, match="wrong shape"):
        table.names()


def test_what_start_up_needs_of_all_names_is_kept_beside_the_buckets() -> None:
    table = EntryTable.pack({"hello": [], "plugin_list": [], "hello.v2": [], "a_b_c.v1": []})

    assert table.most_words == 3
    assert table.dotted == ("hello.v2", "a_b_c.v1")
    assert EntryTable.pack({}).most_words == 0


@pytest.mark.parametrize(
    "record",
    [
        None,
        (),
        (1, (), ()),
        ("1", (), (b"",)),
        (1, ("hello.v1", 2), (b"",)),
        (1, [], (b"",)),
        (1, (), [b""]),
        (1, (), ("bucket",)),
    ],
    ids=["None", "empty", "no buckets", "words as text", "dotted number", "dotted list", "buckets list", "text bucket"],
)
def test_records_of_the_wrong_shape_are_refused(record: object) -> None:
    with pytest.raises(ValueError, match="wrong shape"):
        EntryTable.from_record(record)


_names = st.text(alphabet="abcxyz_.0123456789-\u00e9", min_size=1, max_size=12)
_rows = st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8), st.text(max_size=4)), max_size=3)


@given(st.dictionaries(_names, _rows, max_size=3 * NAMES_PER_BUCKET))
def test_any_table_survives_the_cache(names: dict[str, list[Row]]) -> None:
    table = copied(EntryTable.pack(names))

    assert table.names() == list(names)
    assert {name: table.rows(name) for name in names} == names
    assert table.dotted == tuple(name for name in names if "." in name)
