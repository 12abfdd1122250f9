"""Exit codes and the exceptions that carry them.

Every error a user can cause is a :class:`MyappError`; the app prints its
message as one ``<tool>: error: ...`` line, its hint (if any) as a
``hint: ...`` line, and exits with its :attr:`~MyappError.exit_code`::

    MyappError                     exit 1   the command failed
     +-- OutputError               exit 1   standard output could not be written (a full disk)
     +-- UsageError                exit 2   unknown command, bad arguments, bad environment value
     |    +-- UnknownCommand       exit 2   no command has the words typed (also a ValueError, as in cliff)
     |    |    +-- IncompleteCommand  exit 2   the words name a group of commands, not one command
     |    +-- ConfigError          exit 2   malformed or unreadable configuration
     |    |    +-- NoHomeError     exit 2   a per-user folder is needed, and there is no home to put it in
     |    +-- ExtensionNotFound    exit 2   no implementation of an extension point has that name
     +-- PluginLoadError           exit 3   a plugin's code could not be loaded
     |    +-- ContractError        exit 3   an entry point's target does not fit its contract
     |    +-- HookFailure          exit 3   a plugin's hook raised
     +-- HookOrderError            exit 3   the before/after constraints of an event's hooks form a cycle
     +-- HookScriptError           exit 3   a hook script could not start, timed out, failed or was killed
     +-- HookAbort                 exit 4   a hook stopped the command on purpose

    Terminated (a BaseException)   exit 143 SIGTERM arrived (129: SIGHUP); raised so that clean-up code runs

Messages that name something unknown end with :func:`did_you_mean`'s suggestion.
This module imports nothing else of myapp, so that every other module may import it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    import difflib

#: How a hint that blames code ends: the traceback is one option away. Dropped when ``--debug`` shows it.
DEBUG_ADVICE = "--debug shows the traceback"

#: How alike (:meth:`difflib.SequenceMatcher.ratio`) a name must be to what was typed to be suggested.
SUGGESTION_CUTOFF: Final = 0.6
#: How much less alike than the closest candidate another may be and still be suggested with it.
SUGGESTION_SPREAD: Final = 0.15


def without_debug_advice(hint: str) -> str:
    """*hint* without :data:`DEBUG_ADVICE`, for when the traceback is already on screen."""
    return hint.removesuffix(DEBUG_ADVICE).rstrip("; ")


def close_matches(
    word: str,
    candidates: Iterable[str],
    *,
    n: int = 1,
    cutoff: float | None = SUGGESTION_CUTOFF,
    command_line: bool = False,
) -> list[str]:
    """The (up to *n*) candidates closest to *word*, closest first; the matching half of :func:`did_you_mean`.

    Only candidates about as close as the closest one (:data:`SUGGESTION_SPREAD`) are returned, and never
    *word* itself; ties keep the order of *candidates*.

    :param cutoff: how alike a candidate must be; ``None`` takes the first *n* candidates as they come.
    :param command_line: *word* is a command line and the candidates are command names: a name of *k* words
        is compared word by word with the line's first *k* words (the rest are arguments) and is as alike as
        its least alike word; a name longer than the line is not compared, and a name that begins a closer
        one is left out (``plugin`` when ``plugin list`` is suggested).
    """
    if cutoff is None:
        return list(candidates)[:n]
    import difflib  # only a typo pays for it

    typed = word.split()
    matcher = difflib.SequenceMatcher()
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        if command_line and candidate.count(" ") >= len(typed):
            continue  # longer than the line: its group is the candidate to offer
        pairs = zip(typed, candidate.split(), strict=False) if command_line else [(word, candidate)]
        score = min(_likeness(matcher, typed_word, name, cutoff) for typed_word, name in pairs)
        if score >= cutoff and score < 1:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])  # stable: ties keep the candidates' order
    matches: list[str] = []
    for score, candidate in scored:
        if score < max(cutoff, scored[0][0] - SUGGESTION_SPREAD) or len(matches) == n:
            break
        if not (command_line and any(match.startswith(f"{candidate} ") for match in matches)):
            matches.append(candidate)
    return matches


def _likeness(matcher: difflib.SequenceMatcher[str], typed: str, name: str, cutoff: float) -> float:
    """How alike *typed* and *name* are, from 0 to 1; 0 as soon as it is clear they are less alike than *cutoff*."""
    matcher.set_seqs(typed, name)
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
        return 0.0
    return matcher.ratio()


def shown(value: object, limit: int = 60) -> str:
    """*value* as Python writes it (control characters escaped), cut short past about *limit* characters."""
    import reprlib

    shorter = reprlib.Repr()
    shorter.maxstring = shorter.maxother = limit
    return shorter.repr(value)


def counted(count: int, noun: str, plural: str = "") -> str:
    """*count* and *noun*, the noun in the plural unless the count is one: ``1 plugin``, ``2 plugins``.

    :param plural: the plural when it is not *noun* + ``s`` (``"entries"``).
    """
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _quoted(name: str) -> str:
    return f"'{name}'"


def did_you_mean(
    word: str,
    candidates: Iterable[str],
    *,
    after: str = "",
    n: int = 1,
    cutoff: float | None = SUGGESTION_CUTOFF,
    show: Callable[[str], str] = _quoted,
    command_line: bool = False,
) -> str:
    """Suggest the candidates closest to *word*: ``did you mean 'x'?``, or ``did you mean 'x' or 'y'?``.

    :param after: the message the question follows: ``<after>; did you mean 'x'?``.
    :param n: how many candidates to suggest at most.
    :param cutoff: see :func:`close_matches`.
    :param show: how a candidate is written; in single quotes unless told otherwise.
    :param command_line: see :func:`close_matches`.
    :returns: the question after *after*; when no candidate is close, *after* alone (``""`` by default).
    """
    matches = close_matches(word, candidates, n=n, cutoff=cutoff, command_line=command_line)
    question = f"did you mean {' or '.join(map(show, matches))}?" if matches else ""
    return "; ".join(text for text in (after, question) if text)


class EntryPointLike(Protocol):
    """What an error keeps of an entry point (:class:`myapp.index.records.EntryPointInfo` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def distribution(self) -> str: ...


class MismatchLike(Protocol):
    """One way a target does not fit a contract (:class:`myapp.contracts.Mismatch` fits); ``str()`` says it."""

    @property
    def member(self) -> str: ...
    @property
    def problem(self) -> str: ...
    @property
    def expected(self) -> str: ...
    @property
    def found(self) -> str: ...


class ExitCode(enum.IntEnum):
    """The exit statuses of the program; a documented contract for scripts."""

    #: the command succeeded
    OK = 0
    #: the command ran and failed, or its output could not be written
    FAILURE = 1
    #: bad usage: unknown command, bad arguments or options, bad configuration, standard output closed
    USAGE = 2
    #: a plugin could not be loaded (or failed in a hook)
    PLUGIN = 3
    #: a hook stopped the command
    HOOK_ABORT = 4
    #: the terminal went away, or SIGHUP was sent (128 + SIGHUP)
    HANGUP = 129
    #: interrupted by Ctrl-C (128 + SIGINT)
    INTERRUPTED = 130
    #: standard output was closed early, e.g. piped into ``head`` (128 + SIGPIPE)
    BROKEN_PIPE = 141
    #: terminated by SIGTERM (128 + SIGTERM)
    TERMINATED = 143


class MyappError(Exception):
    """Base of every error the framework reports to users.

    :param message: what is wrong, naming the thing; lower-case start, no full stop.
    :param hint: what the user can do next.
    """

    exit_code: ExitCode = ExitCode.FAILURE
    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    @property
    def message(self) -> str:
        """The one-line description of the error."""
        return str(self.args[0]) if self.args else ""


class OutputError(MyappError):
    """Standard output could not be written (a full disk, an I/O error): the output asked for is not all there.

    Not the command's fault, so no plugin is blamed. A reader that went away
    (``head``) is not an error: it ends the run with 141.

    :param cause: the error writing met.
    """

    def __init__(self, cause: OSError) -> None:
        super().__init__(f"cannot write to standard output ({cause.strerror or cause})")
        self.__cause__ = cause


class UsageError(MyappError):
    """The command line or environment asks for something that cannot be done."""

    exit_code = ExitCode.USAGE


class UnknownCommand(UsageError, ValueError):
    """No command has the words typed (exit 2).

    Also a :class:`ValueError`, which is what cliff's ``find_command`` raises and
    what cliff's ``HelpCommand`` and cliff apps catch.

    :param words: the words typed that name no command.

    .. versionadded:: 0.1
    """

    def __init__(self, message: str, *, words: Sequence[str] = (), hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.words = tuple(words)


class IncompleteCommand(UnknownCommand):
    """The words typed name a group of commands (``plugin``), not one command (``plugin list``).

    For cliff's callers it is still no command, hence an :class:`UnknownCommand`.

    :param group: the group's name, as typed.
    :param commands: the names of the commands in the group.
    """

    def __init__(self, message: str, *, group: str, commands: Sequence[str], hint: str | None = None) -> None:
        super().__init__(message, words=group.split(), hint=hint)
        self.group = group
        self.commands = tuple(commands)


class ConfigError(UsageError):
    """A configuration source is missing, malformed or unreadable.

    :param path: the file at fault, if a file is.
    :param line: the line at fault, when known.
    """

    def __init__(
        self, message: str, *, hint: str | None = None, path: os.PathLike[str] | None = None, line: int | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line


class NoHomeError(ConfigError):
    """There is no home folder to derive a per-user folder from (no ``HOME``, no password-database entry).

    Commands that only read go on without the user's config file and caches;
    those that must write there fail with this error.

    :param variable: the environment variable that names the folder instead (``MYAPP_CONFIG_DIR``).
    """

    def __init__(self, message: str, *, variable: str) -> None:
        super().__init__(message, hint=f"set HOME, or {variable}, to a folder of yours")
        self.variable = variable


class ExtensionNotFound(UsageError):
    """No implementation that may run has the name asked for (exit 2).

    :param point: the extension point's name.
    :param name: the implementation asked for.
    :param available: the names that could have been used.
    """

    def __init__(self, message: str, *, point: str, name: str, available: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.point = point
        self.name = name
        self.available = available


class PluginLoadError(MyappError):
    """A plugin's entry point could not be imported or is of the wrong kind.

    :param distribution: the distribution that registered the entry point.
    :param entry_point: ``name = value`` of the entry point.
    :param namespace: the entry-point namespace it was registered in.
    """

    exit_code = ExitCode.PLUGIN

    def __init__(
        self,
        message: str,
        *,
        distribution: str,
        entry_point: str,
        namespace: str,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.distribution = distribution
        self.entry_point = entry_point
        self.namespace = namespace

    @classmethod
    def of(cls, entry_point: EntryPointLike, message: str, *, hint: str | None = None) -> PluginLoadError:
        """The error *message* about *entry_point*, whose distribution, ``name = value`` and namespace it keeps."""
        return cls(
            message,
            distribution=entry_point.distribution,
            entry_point=f"{entry_point.name} = {entry_point.value}",
            namespace=entry_point.group,
            hint=hint,
        )


class ContractError(PluginLoadError):
    """An entry point's target does not fit its contract; :attr:`mismatches` says how.

    :param subject: what is at fault, e.g. ``command 'hello' (dist 1.0, entry point hello = m:Hello)``.
    """

    def __init__(
        self,
        subject: str,
        mismatches: Sequence[MismatchLike],
        *,
        entry_point: EntryPointLike,
        hint: str | None = None,
    ) -> None:
        super().__init__(
            f"{subject}: {'; '.join(map(str, mismatches))}",
            distribution=entry_point.distribution,
            entry_point=f"{entry_point.name} = {entry_point.value}",
            namespace=entry_point.group,
            hint=hint,
        )
        self.subject = subject
        self.mismatches = mismatches

    @property
    def problems(self) -> list[str]:
        """One line per mismatch, each naming the subject."""
        return [f"{self.subject}: {mismatch}" for mismatch in self.mismatches]


class HookFailure(PluginLoadError):
    """A hook raised; :attr:`distribution` is the plugin whose code raised (see :func:`~myapp.hooks.context.blame`)."""


class HookAbort(MyappError):
    """Raised by a pre-hook to stop the command; the reason is shown to the user."""

    exit_code = ExitCode.HOOK_ABORT


class HookOrderError(MyappError):
    """The hooks of an event cannot be ordered: their constraints form a cycle.

    :param cycle: the labels of the hooks in the cycle, the first one repeated at the end.
    """

    exit_code = ExitCode.PLUGIN

    def __init__(self, message: str, *, cycle: Sequence[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.cycle = tuple(cycle)


class HookScriptError(MyappError):
    """A hook script could not start, timed out, failed after a command, or was killed."""

    exit_code = ExitCode.PLUGIN


class Terminated(BaseException):
    """Raised by the SIGTERM and SIGHUP handlers so clean-up code runs before exit 143 (129 after SIGHUP).

    :param signum: the signal that arrived; SIGTERM when not given.
    """

    @property
    def exit_code(self) -> ExitCode:
        """128 plus the signal: :attr:`ExitCode.HANGUP` for SIGHUP, else :attr:`ExitCode.TERMINATED`."""
        import signal

        hangup = getattr(signal, "SIGHUP", None)
        return ExitCode.HANGUP if hangup is not None and self.args[:1] == (hangup,) else ExitCode.TERMINATED


def unwrapped_interruption(error: BaseException) -> BaseException:
    """*error*, or the Ctrl-C or termination it wraps.

    Python 3.11 wraps an exception raised while a class is being created
    (in ``__set_name__``, as ``functools.cached_property`` has) in a
    :class:`RuntimeError`, so a signal that lands then arrives in disguise.
    """
    cause = error.__cause__
    if isinstance(error, RuntimeError) and isinstance(cause, (KeyboardInterrupt, Terminated)):
        return cause
    return error
