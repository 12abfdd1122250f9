"""The base classes of the built-in data commands: how list fields and empty results are printed.

A field whose value is a Python ``list`` stays an array in the formats that
keep structure (``json``, ``yaml``) and becomes text in the others (``table``,
``value``, ``csv``, ``shell``): the items joined by ``", "`` in a row of a
list, one per line in a single record. An empty list of records prints
nothing in a table (cliff prints a lone blank line), and ``[]`` in JSON and
YAML. docs/output.rst documents the contract.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import Any, Final

from cliff.lister import Lister
from cliff.show import ShowOne

#: The output formats whose documents keep lists as lists.
STRUCTURED_FORMATS: Final = frozenset({"json", "yaml"})


def keeps_structure(parsed_args: argparse.Namespace) -> bool:
    """Whether the chosen output format prints lists as arrays (``-f json`` or ``-f yaml``)."""
    return getattr(parsed_args, "formatter", "") in STRUCTURED_FORMATS


def _printable(row: Sequence[Any], structured: bool, separator: str) -> tuple[Any, ...]:
    """*row* with each list joined into text by *separator*, unless the format is *structured*."""
    if structured:
        return tuple(row)
    return tuple(separator.join(map(str, value)) if isinstance(value, list) else value for value in row)


class Records(Lister):
    """A ``Lister`` whose list fields are arrays in JSON and YAML; an empty table prints nothing."""

    #: what joins a list's items in the formats that print text
    separator = ", "

    def produce_output(
        self, parsed_args: argparse.Namespace, column_names: Sequence[str], data: Iterable[Sequence[Any]]
    ) -> int:
        """Print the records as cliff does, with lists and empty tables handled as the module says."""
        structured = keeps_structure(parsed_args)
        rows = [_printable(row, structured, self.separator) for row in data]
        if not rows and parsed_args.formatter == "table" and not getattr(parsed_args, "print_empty", False):
            return 0
        return int(super().produce_output(parsed_args, column_names, rows))


class Record(ShowOne):
    """A ``ShowOne`` whose list fields are arrays in JSON and YAML, and one item per line elsewhere."""

    #: what joins a list's items in the formats that print text
    separator = "\n"

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Sequence[str], data: Sequence[Any]) -> int:
        """Print the record as cliff does, with lists handled as the module says."""
        return int(
            super().produce_output(
                parsed_args, column_names, _printable(data, keeps_structure(parsed_args), self.separator)
            )
        )
