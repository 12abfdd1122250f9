"""Reading TOML files users wrote, with errors that point at file, line and column.

Pathological files fail fast: a byte-order mark is skipped, nesting deeper
than :data:`MAX_NESTING` is refused with its position (before the parser
could run out of stack), and :class:`KeyLines` finds the line of every key in
one pass, so a file with tens of thousands of keys is read in linear time.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from .errors import ConfigError

_POSITION: Final = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")
#: How deeply tables and arrays may nest in a file; no setting needs more than a few levels.
MAX_NESTING: Final = 32
#: The UTF-8 byte-order mark some editors put at the start of a file; TOML does not allow it, myapp skips it.
BOM: Final = "\ufeff"


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and the data it holds; keep the text to find lines with :class:`KeyLines`.

    :raises ConfigError: the file cannot be read, is not UTF-8, is not TOML
        or nests too deeply; the message names the file, line and column.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot be read ({reason})", path=path) from error
    text = text.removeprefix(BOM)
    return text, parse_toml(path, text)


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The data TOML *text* (read from *path*) holds.

    :raises ConfigError: it is not TOML or nests too deeply, with file, line and column.
    """
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    check_nesting(path, text)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _error_position(str(error), text)
        reason = _POSITION.sub("", str(error)).strip()
        raise _positioned(path, line, column, f"{reason[:1].lower()}{reason[1:]}") from None
    deep = _too_deep_key(data)
    if deep is not None:
        raise _positioned(path, KeyLines(text).line(deep), 1, _TOO_DEEP)
    return data


_TOO_DEEP: Final = f"tables and arrays nest more than {MAX_NESTING} levels deep"


def check_nesting(path: Path, text: str) -> None:
    """Refuse keys, tables and arrays nested deeper than :data:`MAX_NESTING`, naming where.

    The parser would otherwise recurse once per level and fail with a
    ``RecursionError`` (or worse) on a file of a few kilobytes, and it reads a
    dotted key in time that grows with the square of its length.

    :raises ConfigError: too deep; the message gives the line and column of the first bracket or dot too many.
    """
    if text.count("[") + text.count("{") + text.count(".") <= MAX_NESTING:  # the usual file: nothing to scan
        return
    offset = _too_deep_offset(text)
    if offset >= 0:
        line = text.count("\n", 0, offset) + 1
        raise _positioned(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1, _TOO_DEEP)


def _positioned(path: Path, line: int, column: int, reason: str) -> ConfigError:
    return ConfigError(
        f"{path}:{line}:{column}: {reason}", hint="fix the file; nothing was changed", path=path, line=line
    )


_SPECIAL: Final = re.compile(r"[\[\]{}\"'#.=,\n]")


def _too_deep_offset(text: str) -> int:
    """The offset of the first bracket, or dot in a key, nested deeper than :data:`MAX_NESTING`; -1 if none.

    Strings and comments are skipped; one ``str.find`` per string keeps the
    scan linear. An unterminated string ends the scan (the parser reports it).
    """
    brackets: list[str] = []  # the arrays and inline tables open here, innermost last
    dots, in_key, position = 0, True, 0  # dots in the key being read; whether a key (or table header) is being read
    while found := _SPECIAL.search(text, position):
        character, start = found[0], found.start()
        position = start + 1
        if character in "\"'":
            position = _string_end(text, start, character)
            if position < 0:
                return -1
        elif character == "#":
            end = text.find("\n", start)
            position = len(text) if end < 0 else end
        elif character == "." and in_key:
            dots += 1
            if dots > MAX_NESTING:
                return start
        elif character in "[{":
            header = character == "[" and in_key and brackets in ([], ["["])
            brackets.append(character)
            if len(brackets) > MAX_NESTING:
                return start
            in_key, dots = header or character == "{", dots if header else 0
        elif character in "]}":
            if brackets:
                brackets.pop()
            in_key = False
        elif character == "=":
            in_key = False
        elif (character == "," and brackets[-1:] == ["{"]) or (character == "\n" and not brackets):
            in_key, dots = True, 0  # the next key of an inline table, or of the file
    return -1


def _string_end(text: str, start: int, quote: str) -> int:
    """Where the string opening at *start* ends (just past its closing quotes), or -1 if it does not."""
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    position = start + len(delimiter)
    while True:
        end = text.find(delimiter, position)
        if end < 0:
            return -1
        if delimiter == quote and text.find("\n", position, end) >= 0:  # a one-line string that does not close
            return -1
        escape = end
        while quote == '"' and escape > position and text[escape - 1] == "\\":
            escape -= 1
        if (end - escape) % 2 == 0:  # the quote is not escaped
            return end + len(delimiter)
        position = end + 1


def _too_deep_key(data: dict[str, Any]) -> str | None:
    """The dotted key of a value nested deeper than :data:`MAX_NESTING` (tables from dotted keys too), or ``None``."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        key, value, depth = stack.pop()
        if depth > MAX_NESTING:
            return key
        if isinstance(value, dict):
            stack += ((f"{key}.{name}" if key else name, item, depth + 1) for name, item in value.items())
        elif isinstance(value, list):
            stack += ((key, item, depth + 1) for item in value)
    return None


def _error_position(message: str, text: str) -> tuple[int, int]:
    """Line and column of a TOML error; the end of the text when the parser says so."""
    found = _POSITION.search(message)
    if found and found[1]:
        return int(found[1]), int(found[2])
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


_HEADER: Final = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")
_ASSIGNMENT: Final = re.compile(r"^[ \t]*([\w.\"' -]+?)[ \t]*=")


class KeyLines:
    """The line of TOML *text* that sets each dotted key: its assignment or its table header.

    Built in one pass over the text, so that looking up every key of a big
    file stays linear. Best effort, for messages: ``1`` when no line matches.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        for number, key in _keys_set(text):
            parts = key.split(".", MAX_NESTING + 1)[: MAX_NESTING + 1]  # deeper keys are refused anyway
            for end in range(len(parts), 0, -1):  # a key, and every table it is in
                prefix = ".".join(parts[:end])
                if prefix in self._lines:
                    break  # its tables were registered with it, at an earlier line
                self._lines[prefix] = number

    def line(self, key: str) -> int:
        """The first line that sets *key* or something inside it."""
        return self._lines.get(key, 1)


def _keys_set(text: str) -> Iterator[tuple[int, str]]:
    """``(line, dotted key)`` of each table header and each assignment, in order."""
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header[1])
            yield number, table
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            yield number, ".".join(filter(None, (table, _dotted(assignment[1]))))


def line_of(text: str, key: str) -> int:
    """The line of TOML *text* that sets the dotted *key* (see :class:`KeyLines`, for many keys)."""
    return KeyLines(text).line(key)


def _dotted(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
