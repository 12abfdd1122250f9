"""How the app turns a command's outcome into an exit status, and what went wrong into one line on stderr.

A command's result, or its ``sys.exit`` argument, is its exit status when it
is one. A plugin's unexpected exception blames the distribution whose code
raised it (found from the traceback by :mod:`myapp.plugins.blame`) and says
where to report it; ``--debug`` adds the traceback. Standard output that
cannot be written is nobody's fault but the surroundings', and no plugin is
blamed for it.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any, TextIO, TypeGuard

from ._process import silence, take_output_failure
from .errors import (
    DEBUG_ADVICE,
    ExitCode,
    MyappError,
    OutputError,
    PluginLoadError,
    Terminated,
    UsageError,
    shown,
    without_debug_advice,
)
from .plugins.loading import describe_exception

if TYPE_CHECKING:
    from cliff.command import Command

    from .commands.entry import CommandEntry
    from .index.records import DistributionInfo
    from .session import Session


class ErrorReporting:
    """The half of :class:`myapp.app.App` that turns outcomes into exit statuses and errors into one line."""

    NAME: str
    stdout: TextIO
    stderr: TextIO
    options: Any
    _opened: Session | None

    def _command_result(self, entry: CommandEntry, command: Command, parsed_args: Any) -> int:
        """Run *command*; return the exit status its result (or ``sys.exit`` argument) stands for, output flushed."""
        try:
            status = self._exit_status(entry, command.run(parsed_args))
        except SystemExit as exit_request:
            status = self._exit_status(entry, exit_request.code, "exited with")
        self.flush_output()
        return status

    def _as_reportable(self, entry: CommandEntry, error: BaseException) -> BaseException:
        """Unexpected exceptions from a command become one-line errors that blame the plugin that raised them."""
        if isinstance(error, (MyappError, BrokenPipeError)) or not isinstance(error, Exception):
            return error
        output_failure = _output_error(error)
        if output_failure is not None:
            return output_failure
        if isinstance(error, ValueError) and _raised_in(error, "cliff.display"):  # -c naming no column
            message = str(error)
            return UsageError(
                f"{entry.name}: {message[:1].lower()}{message[1:]}",
                hint=f"'{self.NAME} help {entry.name}' lists its options; -c takes one of the recognized columns",
            )
        culprit = self._culprit(entry, error)
        where = f" in plugin '{culprit.name} {culprit.version}'" if culprit else ""
        if isinstance(error, AttributeError) and error.obj is self:  # written for another app (a client manager...)
            missing = f"the app attribute '{error.name}', which {self.NAME} does not have"
            failure = MyappError(
                f"command '{entry.name}'{where} needs {missing}",
                hint=f"the command was written for another cliff app; {self._blame_hint(culprit)}",
            )
            failure.__cause__ = error
            return failure
        failure = MyappError(
            f"command '{entry.name}' failed{where} ({describe_exception(error)})", hint=self._blame_hint(culprit)
        )
        failure.__cause__ = error
        return failure

    def report(self, error: BaseException) -> int:
        """Tell the user what went wrong, in one line (and a hint); return the exit status."""
        debug = bool(getattr(getattr(self, "options", None), "debug", False))
        if isinstance(error, SystemExit):
            outcome = _exit_outcome(error)
            if isinstance(outcome, int):
                return outcome
            error = outcome
        if isinstance(error, KeyboardInterrupt):
            self._tell("\n")
            return ExitCode.INTERRUPTED
        if isinstance(error, Terminated):
            return error.exit_code
        if isinstance(error, BrokenPipeError):
            return ExitCode.BROKEN_PIPE
        error = _output_error(error) or error
        if isinstance(error, MyappError):
            message, hint, code = error.message, error.hint, error.exit_code
            cause: BaseException | None = error.__cause__
            if isinstance(error, PluginLoadError) and cause is not None:
                hint = self._with_report_url(error.distribution, hint)
        else:
            message = f"internal error ({describe_exception(error)})"
            hint, code, cause = f"please report this bug with the traceback; {DEBUG_ADVICE}", ExitCode.FAILURE, error
        shows_traceback = debug and cause is not None
        if shows_traceback and hint:
            hint = without_debug_advice(hint)
        lines = f"{self.NAME}: error: {_one_line(message)}\n" + (f"hint: {_one_line(hint)}\n" if hint else "")
        self._tell("".join(traceback.format_exception(cause)) + lines if shows_traceback and cause else lines)
        return code

    def _tell(self, text: str) -> None:
        """Write *text* on stderr; one that cannot take it (a full disk) changes nothing about the exit status."""
        try:
            self.stderr.write(text)
            self.stderr.flush()
        except (OSError, ValueError):
            silence(self.stderr)

    def _exit_status(self, entry: CommandEntry, value: object, how: str = "returned") -> int:
        """The exit status a command's result (or ``sys.exit`` argument, *how* = ``"exited with"``) stands for.

        :raises MyappError: the value is not an exit status; the message names the command and its plugin.
        """
        if value is None:
            return ExitCode.OK
        if _is_exit_status(value):
            return int(value)
        if isinstance(value, str) and how == "exited with":  # sys.exit("message") prints the message, as Python does
            raise MyappError(value)
        culprit = self._culprit(entry)
        where = f" of plugin '{culprit.name} {culprit.version}'" if culprit else ""
        raise MyappError(
            f"command '{entry.name}'{where} {how} {shown(value)}, which is not an exit status (an int from 0 to 255)",
            hint=without_debug_advice(self._blame_hint(culprit)) or None,  # a traceback would not show more
        )

    def flush_output(self) -> None:
        """Write out what the command left in standard output's buffer, so that a failure is the command's outcome.

        :raises OutputError: writing failed, now or earlier in the command (which may have swallowed the error).
        :raises BrokenPipeError: the reader went away.
        """
        self.stdout.flush()
        failure = take_output_failure()
        if failure is not None:
            raise OutputError(failure)

    def _culprit(self, entry: CommandEntry, error: BaseException | None = None) -> DistributionInfo | None:
        """The plugin whose code raised *error* (see :mod:`myapp.plugins.blame`), else the command's."""
        if self._opened is None:
            return None
        found = None
        if error is not None:
            from .plugins.blame import find_culprit

            found = find_culprit(error, self._opened.index, self._opened.plugins.trusted)
        return found or (None if entry.builtin else self._opened.index.distribution(entry.distribution))

    def _with_report_url(self, distribution: str, hint: str | None) -> str | None:
        """Add where to report a plugin's load or hook failure, when its metadata says."""
        found = self._opened.index.distribution(distribution) if self._opened is not None else None
        if found is None or not hint:
            return hint
        from .plugins.blame import report_url

        url = report_url(found)
        return f"{hint}; report bugs at {url}" if url and url not in hint else hint

    def _blame_hint(self, culprit: DistributionInfo | None) -> str:
        if culprit is None:
            return DEBUG_ADVICE
        from .plugins.blame import report_hint

        return report_hint(culprit, self.NAME)


def _one_line(text: str) -> str:
    """*text* with control characters (a typed newline, bytes that are not UTF-8) shown as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in text)


def _exit_outcome(exit_request: SystemExit) -> int | MyappError:
    """The exit status *exit_request* asks for, or the error to report when its code is not one."""
    code = exit_request.code
    if code is None:
        return ExitCode.OK
    if _is_exit_status(code):
        return code
    if isinstance(code, str):  # sys.exit("message") prints the message, as Python does
        return MyappError(code)
    return MyappError(f"the program exited with {shown(code)}, which is not an exit status (an int from 0 to 255)")


def _output_error(error: BaseException) -> OutputError | None:
    """The error to report when *error* is standard output failing to be written, not its raiser's fault."""
    if not isinstance(error, OSError) or isinstance(error, BrokenPipeError):
        return None
    failure = take_output_failure()
    return None if failure is None else OutputError(failure)


def _is_exit_status(value: object) -> TypeGuard[int]:
    """Whether a process can exit with *value*: an int from 0 to 255 (``True`` is not a number of anything)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 255


def _raised_in(error: BaseException, module: str) -> bool:
    """Whether the innermost frame of *error*'s traceback is code of *module*."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_globals.get("__name__") == module
