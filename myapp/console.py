"""What the app writes on stderr besides errors: logging, set up once per run.

Warnings and errors read ``<tool>: warning: ...``; ``-v`` adds information,
``-vv`` debugging detail, ``-q`` leaves errors only. ``--log-file`` receives
everything, with times. ``--log-format json`` turns both into JSON lines.
Whether colour may be used is decided here too (:func:`colour_allowed`), and
whether a stream is a terminal (:func:`is_terminal`).
"""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import stat
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from .errors import UsageError

if TYPE_CHECKING:
    from .identity import Identity

#: -q, default, -v: the console's logging level for each of cliff's verbosity levels; -vv and up: DEBUG.
CONSOLE_LEVELS: Final = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO}
#: How lines look in --log-file.
LOG_FILE_FORMAT: Final = "[%(asctime)s] %(levelname)-8s %(name)s %(message)s"


#: Finds the plugin distribution a logger belongs to (by its module name), or ``None``.
OwnerLookup = Callable[[str], "str | None"]


def install_logging(
    tool: str,
    stderr: TextIO,
    verbose_level: int,
    log_file: Path | str | None,
    identity: Identity,
    *,
    log_format: str = "text",
    owner_of: OwnerLookup | None = None,
) -> None:
    """Send log records to *stderr* at the level *verbose_level* asks for, and all of them to *log_file*.

    Handlers an earlier run in this process installed (tests, the interactive
    shell) are replaced, not piled up.

    :param log_format: ``text``, or ``json`` for one JSON object per line.
    :param owner_of: names the plugin distribution of a logger, for JSON lines.
    :raises UsageError: the log file cannot be opened.
    """
    remove_logging_handlers()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    console = _OwnStreamHandler(stderr)
    console.setLevel(CONSOLE_LEVELS.get(verbose_level, logging.DEBUG))
    console.setFormatter(JsonFormatter(owner_of) if log_format == "json" else ConsoleFormatter(tool))
    root.addHandler(console)
    if log_file:
        try:
            file_handler = _OwnFileHandler(log_file, encoding="utf-8")
        except OSError as error:
            raise UsageError(
                f"cannot write the log file '{log_file}' ({error.strerror})",
                hint=f"check --log-file or {identity.env_name('log_file')}",
            ) from error
        file_handler.setFormatter(
            JsonFormatter(owner_of) if log_format == "json" else logging.Formatter(LOG_FILE_FORMAT)
        )
        root.addHandler(file_handler)
    logging.captureWarnings(True)


class _OwnHandler(logging.Handler):
    """Marks the handlers the app installs, so that it can replace them."""


class _OwnStreamHandler(logging.StreamHandler, _OwnHandler):  # type: ignore[type-arg]
    pass


class _OwnFileHandler(logging.FileHandler, _OwnHandler):
    """``--log-file``: created private (0600), and never through a symbolic link another user planted."""

    def _open(self) -> io.TextIOWrapper:
        return open(_open_log_file(self.baseFilename), "a", encoding=self.encoding, errors=self.errors)


def _open_log_file(path: str) -> int:
    """A descriptor of *path* opened to append, created 0600 if new.

    A log holds whole command lines and environment details. Someone who
    could point the name at a file of their choosing (a link left in
    ``/tmp``) would make this process append to, or create, that file; a link
    that the user or root made, such as ``/dev/stderr``, is followed.

    :raises OSError: it cannot be opened, or is a link that another user owns.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    no_follow = getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, flags | no_follow, 0o600)
    except OSError as error:  # ELOOP for a link; EACCES where the kernel protects links in shared folders
        try:
            info = os.lstat(path)
        except OSError:
            raise error from None
        if not no_follow or not stat.S_ISLNK(info.st_mode):
            raise
    if info.st_uid not in (os.getuid(), 0):
        raise PermissionError(errno.EACCES, f"a symbolic link that uid {info.st_uid} owns", path)
    return os.open(path, flags, 0o600)


def remove_logging_handlers() -> None:
    """Take away the logging handlers an :class:`App` installed in this process."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OwnHandler)]:
        root.removeHandler(handler)
        handler.close()
    logging.captureWarnings(False)


class ConsoleFormatter(logging.Formatter):
    """``<tool>: warning: message`` for warnings and errors, the bare message otherwise."""

    def __init__(self, tool: str) -> None:
        super().__init__("%(message)s")
        self.tool = tool

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.levelno >= logging.WARNING:
            return f"{self.tool}: {record.levelname.lower()}: {text}"
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, ``logger``, ``message``, and ``distribution`` when known.

    The distribution is the record's ``distribution`` attribute (``extra=``), or
    the plugin whose module the logger is named after.
    """

    def __init__(self, owner_of: OwnerLookup | None = None) -> None:
        super().__init__()
        self.owner_of = owner_of

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        distribution = getattr(record, "distribution", None) or (self.owner_of and self.owner_of(record.name))
        if distribution:
            fields["distribution"] = distribution
        if record.exc_info:
            fields["traceback"] = self.formatException(record.exc_info)
        return json.dumps(fields, ensure_ascii=False)


def colour_allowed(stream: TextIO, no_color: bool) -> bool:
    """Whether *stream* may get colour: a terminal, and neither ``--no-color``, ``NO_COLOR`` nor ``TERM=dumb``."""
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    """Whether *stream* is a terminal (a closed stream, or an object without ``isatty``, is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
