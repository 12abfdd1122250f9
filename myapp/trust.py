"""Whether a file or folder may be trusted to hold code or settings.

Something another user could change would let that user run code as you:
myapp refuses hook scripts, drop-in plugin folders and their info files,
config files and the cache folder when they are writable by group or others,
or owned by someone other than you (or root). A relative hooks or plugin
folder is refused too: it would be whatever folder the tool starts in.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from pathlib import Path

LOG = logging.getLogger(__name__)


def unsafe_reason(path: Path) -> str:
    """Why *path* must not be trusted, with the command that fixes it, or ``""``."""
    try:
        info = path.stat()
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return unsafe_stat_reason(path, info)


def unsafe_stat_reason(path: Path, info: os.stat_result) -> str:
    """:func:`unsafe_reason` for a path already stat'ed."""
    if hasattr(os, "getuid") and info.st_uid not in (os.getuid(), 0):
        # Root is told to become the owner rather than take the user's file (their HOME, under sudo).
        fix = "run the tool as that user" if os.getuid() == 0 else f"run 'chown {os.getuid()} {path}'"
        return f"is owned by another user (uid {info.st_uid}); {fix}"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"is writable by other users; run 'chmod go-w {path}'"
    return ""


def unsafe_if_present_reason(path: Path) -> str:
    """:func:`unsafe_reason` for something the tool may create itself: ``""`` while it does not exist."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return unsafe_stat_reason(path, info)


def absolute_folder(path: Path, what: str) -> Path | None:
    """*path*; ``None``, with a warning naming it as *what*, when it is relative.

    A relative folder means whichever folder the tool happens to start in,
    which may be one someone else filled: it is never searched for code.
    """
    if path.is_absolute():
        return path
    LOG.warning("ignoring %s '%s': give an absolute path (or start it with ~)", what, path)
    return None


def foreign_link(path: Path, *, hops: int = 40) -> tuple[str, int] | None:
    """The first symbolic link on the way to *path* that another user owns, and its owner's uid; ``None`` if none.

    Such a link lets its owner decide, at any moment, where the files
    written "into" *path* end up. Links are followed as the kernel would;
    the walk stops at the first part that does not exist (the tool would
    create the rest itself).
    """
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows
        return None
    trusted = (os.getuid(), 0)
    current, pending = os.sep, os.path.abspath(path).split(os.sep)[1:]
    while pending and hops > 0:
        name = pending.pop(0)
        if name in ("", "."):
            continue
        candidate = os.path.dirname(current) if name == ".." else os.path.join(current, name)
        try:
            info = os.lstat(candidate)
        except OSError:
            return None
        if not stat.S_ISLNK(info.st_mode):
            current = candidate
            continue
        if info.st_uid not in trusted:
            return candidate, info.st_uid
        hops -= 1
        target = os.readlink(candidate)
        if os.path.isabs(target):
            current = os.sep
        pending[:0] = target.split(os.sep)
    return None


def unsafe_folder_reason(path: Path) -> str:
    """:func:`unsafe_if_present_reason` for a folder the tool writes into, and the links on the way to it.

    :raises OSError: the folder exists but cannot be read (it is not another user's doing).
    """
    link = foreign_link(path)
    if link is not None:
        return f"is reached through the symbolic link '{link[0]}', which belongs to another user (uid {link[1]})"
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return ""
    return unsafe_stat_reason(path, info)


def trusted_plugin_folders(paths: Sequence[Path]) -> list[str]:
    """The configured drop-in plugin folders that may be used; a warning for each refused one."""
    folders = []
    for path in paths:
        if absolute_folder(path, "plugin folder") is None:
            continue
        if not path.is_dir():
            LOG.warning("ignoring plugin folder '%s': it is not a folder", path)
        elif problem := unsafe_reason(path):
            LOG.warning("ignoring plugin folder '%s': it %s", path, problem)
        else:
            folders.append(str(path))
    return folders
