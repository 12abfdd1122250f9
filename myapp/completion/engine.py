"""Candidates for the word under the cursor, worked out from metadata alone.

The :class:`Completer` knows nothing about plugins or caches: it is given the
command names, the global options and a way to get one command's arguments,
and reads the words typed so far the way the app will parse them (global
options anywhere, the longest run of words that names a command, then the
command's options and positionals).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from ..commands.arguments import PATHS, Argument

#: The value completer of arguments that name a command, word by word (``help plugin li`` -> ``list``).
COMMANDS: Final = "commands"


class Candidate(NamedTuple):
    """One possible word, with a line of help for shells that show it."""

    value: str
    help: str = ""


class Reply(NamedTuple):
    """The answer to one completion request."""

    candidates: tuple[Candidate, ...] = ()
    #: the word is a file name: the shell should complete it itself
    paths: bool = False


class Completer:
    """Completes one command line.

    :param names: every command that may run, by the name users type.
    :param global_arguments: the options that come before (or anywhere after) the command.
    :param arguments: a command's arguments, by command name.
    :param describe: a command's one-line help, by command name ("" when unknown); ``None``: no help.
    :param values: value completer name -> the values it offers.
    """

    def __init__(
        self,
        names: Collection[str],
        global_arguments: Sequence[Argument],
        arguments: Callable[[str], Sequence[Argument]],
        describe: Callable[[str], str] | None,
        values: Mapping[str, Callable[[], Iterable[Candidate]]],
    ) -> None:
        self._names = names
        self._globals = [argument for argument in global_arguments if argument.flags]
        self._arguments = arguments
        self._describe = describe
        self._values = values

    def complete(self, words: Sequence[str]) -> Reply:
        """Candidates for the last of *words* (the words after the program name; the last may be "")."""
        *typed, current = words or [""]
        start, pending = _skip_options(typed, self._globals)
        if pending is not None:
            return self._values_of(pending, current)
        rest = typed[start:]
        found: list[Candidate] = []
        if not current.startswith("-") and not any(word.startswith("-") for word in rest):
            found = self._next_words(rest, current)
        name, count = self._command_in(rest)
        if name is None:
            if not rest and current.startswith("-"):
                return self._complete_option(self._globals, current)
            return Reply(tuple(found))
        reply = self._complete_arguments([*self._arguments(name), *self._globals], rest[count:], current)
        return Reply((*found, *reply.candidates), reply.paths)

    def _next_words(self, typed: list[str], current: str) -> list[Candidate]:
        """The words that can follow *typed* in some command name (multi-word names complete word by word)."""
        depth = len(typed)
        found: dict[str, str] = {}
        for name in self._names:
            parts = name.split()
            if len(parts) > depth and parts[:depth] == typed and parts[depth].startswith(current):
                complete = len(parts) == depth + 1
                if complete or parts[depth] not in found:
                    found[parts[depth]] = self._describe(name) if complete and self._describe else ""
        return [Candidate(word, text) for word, text in sorted(found.items())]

    def _command_in(self, words: list[str]) -> tuple[str | None, int]:
        """The command the longest run of leading words names, and how many words that is."""
        leading = []
        for word in words:
            if word.startswith("-"):
                break
            leading.append(word)
        for count in range(len(leading), 0, -1):
            name = " ".join(leading[:count])
            if name in self._names:
                return name, count
        return None, 0

    def _complete_arguments(self, arguments: list[Argument], typed: list[str], current: str) -> Reply:
        options = [argument for argument in arguments if argument.flags]
        positionals = [argument for argument in arguments if not argument.flags]
        pending: Argument | None = None
        given: list[str] = []  # the positional words
        ended = False
        for word in typed:
            if pending is not None:
                pending = None
            elif not ended and word == "--":
                ended = True
            elif not ended and word.startswith("-") and word != "-":
                option = _option_named(options, word.partition("=")[0])
                if option is not None and option.takes_value and "=" not in word:
                    pending = option
            else:
                given.append(word)
        if pending is not None:
            return self._values_of(pending, current)
        if current.startswith("-") and not ended:
            return self._complete_option(options, current)
        positional, held = _positional_at(positionals, len(given))
        if positional is None:
            return Reply()
        return self._values_of(positional, current, before=given[len(given) - held :])

    def _complete_option(self, options: list[Argument], current: str) -> Reply:
        """The options that start with *current*; after ``--option=``, that option's values."""
        flag, equals, value = current.partition("=")
        option = _option_named(options, flag)
        if equals and option is not None and option.takes_value:
            return self._values_of(option, value, prefix=flag + equals)
        return Reply(tuple(_options_matching(options, current)))

    def _values_of(self, argument: Argument, current: str, prefix: str = "", before: Sequence[str] = ()) -> Reply:
        """The values of *argument* that start with *current*.

        :param prefix: put before each value (``--option=``).
        :param before: the words the argument already holds (a repeating positional).
        """
        if argument.choices:
            offered: Iterable[Candidate] = (Candidate(choice) for choice in argument.choices)
        elif argument.completer == PATHS:
            return Reply(paths=True)
        elif argument.completer == COMMANDS:
            offered = self._next_words(list(before), current)
        elif argument.completer in self._values:
            offered = self._values[argument.completer]()
        else:
            offered = ()
        matching = (c for c in offered if c.value.startswith(current))
        return Reply(tuple(Candidate(prefix + c.value, c.help) for c in matching))


def _skip_options(words: list[str], options: list[Argument]) -> tuple[int, Argument | None]:
    """Where the words after the leading options start, and the option still waiting for its value."""
    position = 0
    while position < len(words) and words[position].startswith("-"):
        option = _option_named(options, words[position].partition("=")[0])
        position += 1
        if option is not None and option.takes_value and "=" not in words[position - 1]:
            if position == len(words):
                return position, option
            position += 1
    return position, None


def _option_named(options: Iterable[Argument], flag: str) -> Argument | None:
    return next((option for option in options if flag in option.flags), None)


def _options_matching(options: Iterable[Argument], current: str) -> list[Candidate]:
    """Option strings starting with *current*; for a bare ``-`` or nothing, each option's long form only."""
    found: dict[str, str] = {}
    for option in options:
        flags = [flag for flag in option.flags if flag.startswith(current)]
        if current in ("", "-"):
            flags = [flag for flag in flags if flag.startswith("--")] or flags[:1]
        for flag in flags:
            found.setdefault(flag, option.help)
    return [Candidate(flag, text) for flag, text in sorted(found.items())]


def _positional_at(positionals: list[Argument], seen: int) -> tuple[Argument | None, int]:
    """The positional argument the next word fills, after *seen* positional words, and how many words it holds."""
    for positional in positionals:
        if positional.repeats or seen == 0:
            return positional, seen
        seen -= 1
    return None, 0
