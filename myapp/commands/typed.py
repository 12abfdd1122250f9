"""Reading a command line: which leading words may name a command, and the error when they name none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..errors import UnknownCommand, did_you_mean
from ..index.names import pin_text, split_version

if TYPE_CHECKING:
    from .entry import CommandEntry


def name_words(argv: Sequence[str], limit: int) -> tuple[list[str], dict[int, int]]:
    """The leading words of *argv* that may name a command, and after how many arguments each count of them ends.

    An argument may hold several words, as cliff's own shell passes them
    (``["network list", "-f", "json"]``), when they are spaced as a name
    is; an option, or an argument with other blanks, ends the name.

    :param limit: how many arguments to read at most (the longest name's words).
    """
    words: list[str] = []
    ends: dict[int, int] = {}
    for index, argument in enumerate(argv[:limit]):
        if not argument or argument.startswith("-") or argument != " ".join(argument.split()):
            break
        words.extend(argument.split())
        ends[len(words)] = index + 1
    return words, ends


def group_members(words: Sequence[str], names: Sequence[str]) -> list[str]:
    """The *names* that go on after *words* (``plugin`` -> ``plugin check``, ...)."""
    if not words:
        return []
    return [name for name in names if name.split()[: len(words)] == list(words) and name.count(" ") >= len(words)]


def unknown_command(
    words: list[str], names: Sequence[str], tool: str, get: Callable[[str], object], argv: list[str] | None = None
) -> UnknownCommand:
    """The error for *words* that name none of the commands *names*, with the closest names as a hint.

    :param get: the command called by a name, or ``None`` (``hello.v1`` typed for ``hello`` gets the ``--use`` hint).
    """
    # Report the words that start some command's name, plus the first one that does not.
    known = 0
    while known < len(words) and any(n.split()[: known + 1] == words[: known + 1] for n in names):
        known += 1
    typed = " ".join(words[: known + 1])
    groups = sorted({" ".join(n.split()[:count]) for n in names for count in range(1, n.count(" ") + 1)} - {*names})
    # Suggest what keeps the words that begin some name: 'plugin lst' is a command of 'plugin'.
    alike = [name for name in (*names, *groups) if name.split()[:known] == words[:known]]
    question = did_you_mean(" ".join(words), alike, n=3, command_line=True)
    group = " ".join(words[:known])
    hint = f"'{tool} help {group}' lists its commands" if group else f"'{tool} help' lists all commands"
    if question:
        hint = f"{question} {hint}"
    command, number = split_version(typed)
    if number is not None and get(command) is not None:
        hint = f"a version is chosen with an option: '{tool} --use {pin_text(command, number)} {command}'"
    return UnknownCommand(f"unknown command '{typed}'", words=argv if argv is not None else words, hint=hint)


def shadowing_warning(
    found: CommandEntry, words: list[str], get: Callable[[str], CommandEntry | None], tool: str
) -> str:
    """What to say when *found*, a longer command of another plugin, hides a shorter one's arguments; else ``""``."""
    for count in range(len(words) - 1, 0, -1):
        shorter = get(" ".join(words[:count]))
        if shorter is not None and shorter.distribution != found.distribution:
            rest = " ".join(words[count:])
            return (
                f"running '{found.name}' from '{found.distribution}'; to pass '{rest}' to '{shorter.name}' "
                f"instead, write '{tool} {shorter.name} -- {rest}'"
            )
    return ""
