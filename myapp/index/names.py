"""What entry-point names say: the words of a command, and the version in ``hello.v2``; which names are refused.

Read from metadata alone, so the index, the configuration (``--use`` pins)
and the command table agree on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

#: The longest name a command, an event or another entry point of the tool may have, in characters.
MAX_NAME_LENGTH: Final = 100


def unsafe_name_problem(name: str) -> str:
    """Why *name* cannot name a command or a hook event, or ``""``.

    A name ends up in file names (``pre_<command>`` hook scripts), in
    messages and on terminals; one that could be read as a path, or that
    hides characters, is refused wherever it comes from.
    """
    if not name:
        return "is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"is longer than {MAX_NAME_LENGTH} characters"
    if "/" in name or "\\" in name:
        return "contains a path separator"
    if name.startswith("."):
        return "starts with '.'"
    if not name.isprintable():
        return "contains control or other unprintable characters"
    return ""


def refused_entry_point_problem(group: str, name: str, namespace_prefix: str) -> str:
    """Why the entry point *name* of *group* is refused (see :func:`unsafe_name_problem`), or ``""``.

    In the tool's namespaces (``<prefix><kind>[.<name>]``, such as
    ``myapp.commands``, ``myapp.hooks.pre_hello`` or
    ``myapp.commands.hello``), both the entry point's name and the name a
    namespace carries are checked; other namespaces (cliff's formatters) are
    not the tool's to judge.
    """
    if not group.startswith(namespace_prefix):
        return ""
    carried = group[len(namespace_prefix) :].partition(".")[2]
    if carried and (problem := unsafe_name_problem(carried)):
        return f"its namespace's name {problem}"
    problem = unsafe_name_problem(name)
    return f"its name {problem}" if problem else ""


def command_name(entry_point_name: str, convert_underscores: bool = True) -> str:
    """The name users type: ``plugin_list`` is ``plugin list``; ``list files`` (cliff's spelling) stays as it is.

    :param convert_underscores: whether ``_`` reads as a space (cliff's ``CommandManager`` option).
    """
    return " ".join(entry_point_name.split("_")) if convert_underscores else entry_point_name


def entry_point_names(command: str, convert_underscores: bool = True) -> tuple[str, ...]:
    """The entry-point names that register the command *command*: ``list_files`` and ``list files``."""
    if not convert_underscores or " " not in command:
        return (command,)
    return (command.replace(" ", "_"), command)


def untypable_reason(entry_point_name: str, convert_underscores: bool = True) -> str:
    """Why no command line can ever run the command *entry_point_name* registers, or ``""``.

    The shell splits a command line into words at white space, and the app
    reads a word starting with ``-`` as an option; a name with an empty word,
    another white-space character or a control character cannot be typed as
    the words the command table joins with single spaces.
    """
    name = split_version(entry_point_name)[0]
    words = name.split("_") if convert_underscores else [name]
    words = [piece for word in words for piece in word.split(" ")]
    if not name or "" in words:
        return "it has an empty word (a leading, trailing or doubled space or '_')"
    if any(not character.isprintable() or (character.isspace() and character != " ") for character in name):
        return "it contains a control or white-space character that no shell word can hold"
    if any(word.startswith("-") for word in words):
        return "a word of it starts with '-', which reads as an option"
    return ""


#: ``<command>.v<digits>``; the digits are checked separately so that ``hello.v0`` can be reported.
_VERSIONED: Final = re.compile(r"(?P<command>.+)\.v(?P<number>[0-9]+)")


def split_version(entry_point_name: str) -> tuple[str, int | None]:
    """``hello.v2`` -> ``("hello", 2)``; a name without a version suffix -> ``(name, None)``.

    The number is returned as written, valid or not (see :func:`name_problem`).
    """
    match = _VERSIONED.fullmatch(entry_point_name) if "." in entry_point_name else None  # most names have no dot
    if match is None:
        return entry_point_name, None
    return match["command"], int(match["number"])


def name_problem(entry_point_name: str) -> str:
    """What is wrong with a versioned entry-point name (``hello.v0``, ``hello.v01``), or ``""``."""
    match = _VERSIONED.fullmatch(entry_point_name)
    if match is None or not match["number"].startswith("0"):
        return ""
    return (
        f"'{entry_point_name}' is not a valid version name, so it is ignored: "
        f"write '{match['command']}.v<N>' with N a whole number from 1, without leading zeros"
    )


def versioned_names(names: Iterable[str]) -> list[str]:
    """The names among *names* that end in ``.v<digits>`` (a fast test first: most names have no dot)."""
    return [name for name in names if "." in name and _VERSIONED.fullmatch(name)]


def command_key(name: str) -> str:
    """A command name as pins store it: ``greeting_list`` and ``greeting  list`` are ``greeting list``."""
    return " ".join(name.replace("_", " ").split())


def pin_text(command: str, number: int | str) -> str:
    """How to write a pin on the command line or in ``MYAPP_USE``: ``greeting_list=2``."""
    return f"{command.replace(' ', '_')}={number}"


def parse_version(raw: object) -> int:
    """A version number from a file or text: ``2``, ``"2"`` or ``"v2"``.

    :raises ValueError: not a whole number from 1.
    """
    text = str(raw).strip().removeprefix("v") if type(raw) in (int, str) else ""
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise ValueError(f"expected a version number (1, 2, ...), found {raw!r}")
    return int(text)


def parse_pins(text: str) -> dict[str, int]:
    """``hello=2,greeting_list=1`` -> ``{"hello": 2, "greeting list": 1}``; later pins of a command win.

    :raises ValueError: an item is not ``NAME=N``.
    """
    pins = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, number = item.partition("=")
        if not equals or not command_key(name):
            raise ValueError(f"expected NAME=VERSION, e.g. 'hello=2', found {item!r}")
        pins[command_key(name)] = parse_version(number)
    return pins
