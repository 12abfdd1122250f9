"""Reading TOML files users wrote, with errors that point at file, line and column."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Final

from .errors import ConfigError

_POSITION: Final = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and the data it holds; keep the text to find lines with :func:`line_of`.

    :raises ConfigError: the file cannot be read, is not UTF-8 or is not
        TOML; the message names the file, line and column.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot be read ({reason})", path=path) from error
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _error_position(str(error), text)
        reason = _POSITION.sub("", str(error)).strip()
        raise ConfigError(
            f"{path}:{line}:{column}: {reason[:1].lower()}{reason[1:]}",
            hint="fix the file; nothing was changed",
            path=path,
            line=line,
        ) from None


def _error_position(message: str, text: str) -> tuple[int, int]:
    """Line and column of a TOML error; the end of the text when the parser says so."""
    found = _POSITION.search(message)
    if found and found[1]:
        return int(found[1]), int(found[2])
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


_HEADER: Final = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")
_ASSIGNMENT: Final = re.compile(r"^[ \t]*([\w.\"' -]+?)[ \t]*=")


def line_of(text: str, key: str) -> int:
    """The line of TOML *text* that sets the dotted *key*: its assignment or its table header.

    Best effort, for messages: ``1`` when no line matches.
    """
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header[1])
            if table == key or table.startswith(key + "."):
                return number
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            assigned = ".".join(filter(None, (table, _dotted(assignment[1]))))
            if assigned == key or assigned.startswith(key + "."):  # also a table built from dotted keys
                return number
    return 1


def _dotted(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
