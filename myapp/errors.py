"""Exit codes and the exceptions that carry them.

Every error a user can cause is a :class:`MyappError`; the app prints its
message as one ``<tool>: error: ...`` line, its hint (if any) as a
``hint: ...`` line, and exits with its :attr:`~MyappError.exit_code`::

    MyappError                     exit 1   the command failed
     +-- OutputError               exit 1   standard output could not be written (a full disk)
     +-- UsageError                exit 2   unknown command, bad arguments, bad environment value
     |    +-- ConfigError          exit 2   malformed or unreadable configuration
     |    +-- ExtensionNotFound    exit 2   no implementation of an extension point has that name
     +-- PluginLoadError           exit 3   a plugin's code could not be loaded
     |    +-- ContractError        exit 3   an entry point's target does not fit its contract
     |    +-- HookFailure          exit 3   a plugin's hook raised
     +-- HookOrderError            exit 3   the before/after constraints of an event's hooks form a cycle
     +-- HookScriptError           exit 3   a hook script could not start, timed out, failed or was killed
     +-- HookAbort                 exit 4   a hook stopped the command on purpose

    Terminated (a BaseException)   exit 143 SIGTERM arrived; raised so that clean-up code runs

Messages that name something unknown end with :func:`did_you_mean`'s suggestion.
This module imports nothing else of myapp, so that every other module may import it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Final, Protocol

#: How a hint that blames code ends: the traceback is one option away. Dropped when ``--debug`` shows it.
DEBUG_ADVICE = "--debug shows the traceback"

#: How alike (:meth:`difflib.SequenceMatcher.ratio`) a name must be to what was typed to be suggested.
SUGGESTION_CUTOFF: Final = 0.6


def without_debug_advice(hint: str) -> str:
    """*hint* without :data:`DEBUG_ADVICE`, for when the traceback is already on screen."""
    return hint.removesuffix(DEBUG_ADVICE).rstrip("; ")


def close_matches(
    word: str, candidates: Iterable[str], *, n: int = 1, cutoff: float | None = SUGGESTION_CUTOFF
) -> list[str]:
    """The (up to *n*) candidates closest to *word*, closest first; the matching half of :func:`did_you_mean`.

    :param cutoff: how alike a candidate must be; ``None`` takes the first *n* candidates as they come.
    """
    if cutoff is None:
        return list(candidates)[:n]
    import difflib  # only a typo pays for it

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


def shown(value: object, limit: int = 60) -> str:
    """*value* as Python writes it (control characters escaped), cut short past about *limit* characters."""
    import reprlib

    shorter = reprlib.Repr()
    shorter.maxstring = shorter.maxother = limit
    return shorter.repr(value)


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
) -> str:
    """Suggest the candidates closest to *word*: ``did you mean 'x'?``, or ``did you mean 'x' or 'y'?``.

    :param after: the message the question follows: ``<after>; did you mean 'x'?``.
    :param n: how many candidates to suggest at most.
    :param cutoff: see :func:`close_matches`.
    :param show: how a candidate is written; in single quotes unless told otherwise.
    :returns: the question after *after*; when no candidate is close, *after* alone (``""`` by default).
    """
    matches = close_matches(word, candidates, n=n, cutoff=cutoff)
    question = f"did you mean {' or '.join(map(show, matches))}?" if matches else ""
    return "; ".join(text for text in (after, question) if text)


class EntryPointLike(Protocol):
    """What an error keeps of an entry point (:class:`myapp.index.discovery.EntryPointInfo` fits)."""

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
    """Raised by the SIGTERM handler so clean-up code runs before exit 143."""
