"""Exit codes and the exceptions that carry them.

Every error a user can cause is a :class:`MyappError`; the app prints its
message as one ``<tool>: error: ...`` line, its hint (if any) as a
``hint: ...`` line, and exits with its :attr:`~MyappError.exit_code`::

    MyappError                 exit 1   the command failed
     +-- UsageError            exit 2   unknown command, bad arguments, bad environment value
     |    +-- ConfigError      exit 2   malformed or unreadable configuration
     +-- PluginLoadError       exit 3   a plugin's code could not be loaded
     +-- HookAbort             exit 4   a hook stopped the command on purpose
"""

from __future__ import annotations

import enum
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .discovery import EntryPointInfo

#: How a hint that blames code ends: the traceback is one option away. Dropped when ``--debug`` shows it.
DEBUG_ADVICE = "--debug shows the traceback"


def without_debug_advice(hint: str) -> str:
    """*hint* without :data:`DEBUG_ADVICE`, for when the traceback is already on screen."""
    return hint.removesuffix(DEBUG_ADVICE).rstrip("; ")


class ExitCode(enum.IntEnum):
    """The exit statuses of the program; a documented contract for scripts."""

    #: the command succeeded
    OK = 0
    #: the command ran and failed
    FAILURE = 1
    #: bad usage: unknown command, bad arguments or options, bad configuration
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
    def of(cls, entry_point: EntryPointInfo, message: str, *, hint: str | None = None) -> PluginLoadError:
        """The error *message* about *entry_point*, whose distribution, ``name = value`` and namespace it keeps."""
        return cls(
            message,
            distribution=entry_point.distribution,
            entry_point=f"{entry_point.name} = {entry_point.value}",
            namespace=entry_point.group,
            hint=hint,
        )


class HookAbort(MyappError):
    """Raised by a pre-hook to stop the command; the reason is shown to the user."""

    exit_code = ExitCode.HOOK_ABORT


class Terminated(BaseException):
    """Raised by the SIGTERM handler so clean-up code runs before exit 143."""
