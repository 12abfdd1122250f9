"""Changing the user's config file safely.

An edit happens under an exclusive lock (so two runs that edit at once both
take effect), parses the file with a comment-preserving TOML library (so
everything the user wrote stays byte for byte), and replaces the file in one
step with the same permissions (so a crash or a reader never sees half a
file). A file that does not parse is left alone, and so is one the user made
read-only, a link that points nowhere, a folder, and, run as root, a file of
another user's.

The lock is held on the folder of the file, not on a file of its own: it
leaves nothing behind next to the user's config, and every run that edits
the same file agrees on it whatever its cache or runtime folders are.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .._files import USER_FILE_MODE, MissingHomeError, foreign_owner, make_folders, write_atomic
from ..errors import ConfigError
from ..index.records import normalize_name

if TYPE_CHECKING:
    import tomlkit

#: How long an edit waits for another process that is editing the same file before it gives up.
LOCK_WAIT_SECONDS: Final = 5.0


#: What earlier releases locked instead of the folder: ``<config file>`` + this, removed when found empty.
OLD_LOCK_SUFFIX: Final = ".lock"


@contextlib.contextmanager
def locked(path: Path, wait: float | None = None, tool: str = "") -> Iterator[None]:
    """Hold an exclusive lock for editing *path*: a POSIX ``flock`` on its folder (no lock file anywhere).

    :param wait: seconds to wait for a process that holds the lock; :data:`LOCK_WAIT_SECONDS` by default.
    :param tool: the program that edits, for the message when another one holds the lock.
    :raises ConfigError: the lock was still held after *wait* seconds.
    """
    make_folders(path.parent)
    descriptor = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        _lock(descriptor, path, LOCK_WAIT_SECONDS if wait is None else wait, tool)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _lock(descriptor: int, path: Path, wait: float, tool: str) -> None:
    import fcntl

    from .._process import TimeLimit

    try:
        with TimeLimit(wait):  # a blocking wait, so that waiting runs queue up in the kernel's order
            fcntl.flock(descriptor, fcntl.LOCK_EX)
    except TimeoutError:
        raise ConfigError(
            f"another {tool or 'process'} is editing the config file '{path}'; nothing was changed",
            hint=f"try again when it has finished (waited {wait:g} s for it)",
            path=path,
        ) from None


def edit_config(path: Path, change: Callable[[tomlkit.TOMLDocument], Any], *, tool: str = "") -> bool:
    """Apply *change* to the file's document and save it if anything changed.

    :param tool: the program that edits (``myapp``), for messages.
    :returns: whether the file changed.
    :raises ConfigError: the file cannot be read, written or locked, is not
        valid TOML, is read-only, a folder or a dangling link, or, run as root,
        belongs to another user.
    """
    try:
        path = editable_file(path)
        return _edit_locked(path, change, tool)
    except OSError as error:  # the folder cannot be created, or the file or its lock cannot be written
        hint = "create it, or set HOME to yours" if isinstance(error, MissingHomeError) else "check the permissions"
        raise ConfigError(
            f"config file '{path}' cannot be changed ({error.strerror or error}); nothing was changed",
            hint=hint,
            path=path,
        ) from error


def editable_file(path: Path) -> Path:
    """The file to edit for *path*: where a link (a dotfile manager's) points; refused when it must not be changed.

    :raises ConfigError: *path* is a link to nothing, a folder, read-only, or, run as root, another user's.
    :raises OSError: it cannot be looked at.
    """
    if path.is_symlink():
        target = path.resolve()
        if not os.path.exists(target):
            raise ConfigError(
                f"config file '{path}' is a symbolic link to '{os.readlink(path)}', which does not exist; "
                "nothing was changed",
                hint="create the file it points to, or remove the link",
                path=path,
            )
        path = target
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ConfigError(
            f"config file '{path}' is a folder, not a file; nothing was changed",
            hint="move the folder away, then run the command again",
            path=path,
        )
    if info is not None and not info.st_mode & stat.S_IWUSR:
        raise ConfigError(
            f"config file '{path}' is read-only; nothing was changed",
            hint=f"edit it by hand, or let this command change it: chmod u+w {path}",
            path=path,
        )
    owner = foreign_owner(path)
    if owner is not None:
        raise ConfigError(
            f"config file '{path}' belongs to uid {owner}; not changing it as root",
            hint="run the command as that user, or give root a home of its own (sudo -H)",
            path=path,
        )
    return path


def _edit_locked(path: Path, change: Callable[[tomlkit.TOMLDocument], Any], tool: str) -> bool:
    import tomlkit
    import tomlkit.exceptions

    from .._toml import BOM, check_nesting, parse_toml

    with locked(path, tool=tool):
        try:
            # Bytes, not text mode: line endings stay exactly as the user wrote them.
            text = path.read_bytes().decode("utf-8") if path.exists() else ""
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot be read ({error})", path=path) from error
        bom = BOM if text.startswith(BOM) else ""
        text = text.removeprefix(BOM)
        check_nesting(path, text)  # before either parser recurses once per level
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as error:
            raise ConfigError(
                f"{path}:{error.line}:{error.col}: {error}; nothing was changed",
                hint="fix the file first",
                path=path,
                line=error.line,
            ) from None
        parse_toml(path, text)  # what reading it refuses, editing it refuses too
        change(document)
        updated = document.as_string()
        if updated == text:
            return False
        write_atomic(path, bom + updated, durable=True, mode=mode, new_mode=USER_FILE_MODE)
        _remove_old_lock(path)
        return True


def _remove_old_lock(path: Path) -> None:
    """Delete the empty lock file an earlier release left next to *path*, if there is one."""
    old = path.with_name(path.name + OLD_LOCK_SUFFIX)
    try:
        found = old.lstat()
        if stat.S_ISREG(found.st_mode) and found.st_size == 0:
            old.unlink()
    except OSError:  # none there, or not ours to remove: it does no harm
        return


def add_name(document: tomlkit.TOMLDocument, key: str, name: str) -> None:
    """Add *name* to the top-level list *key* unless it is there (compared normalized)."""
    import tomlkit

    names = document.get(key)
    if names is None:
        names = tomlkit.array()
        document[key] = names
    if not isinstance(names, list):
        raise ConfigError(f"'{key}' in the config file is not a list; fix it by hand")
    if normalize_name(name) not in {normalize_name(str(item)) for item in names}:
        names.append(name)


def remove_name(document: tomlkit.TOMLDocument, key: str, name: str) -> None:
    """Remove every spelling of *name* from the top-level list *key*, if present.

    A list left empty goes too, unless the user wrote a comment on its line:
    that stays, with the empty list it describes.
    """
    names = document.get(key)
    if not isinstance(names, list):
        return
    found = [index for index, item in enumerate(names) if normalize_name(str(item)) == normalize_name(name)]
    for index in reversed(found):
        del names[index]
    if found and not names and not getattr(getattr(names, "trivia", None), "comment", ""):
        del document[key]


def set_plugin_enabled(document: tomlkit.TOMLDocument, name: str, enabled: bool) -> bool:
    """Enable or disable the plugin *name* in a config document; whether the document changed.

    Disabling adds it to ``disable_plugins``; enabling removes it from there
    and adds it to ``only_plugins`` when that allow-list exists.
    """
    before = document.as_string()
    if not enabled:
        add_name(document, "disable_plugins", name)
    else:
        remove_name(document, "disable_plugins", name)
        if "only_plugins" in document:
            add_name(document, "only_plugins", name)
    return document.as_string() != before
