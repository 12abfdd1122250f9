"""Changing the user's config file safely.

An edit happens under an exclusive lock (so two runs that edit at once both
take effect), parses the file with a comment-preserving TOML library (so
everything the user wrote stays byte for byte), and replaces the file in one
step with the same permissions (so a crash or a reader never sees half a
file). A file that does not parse is left alone.

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

from .._files import write_atomic
from ..errors import ConfigError
from ..index.discovery import normalize_name

if TYPE_CHECKING:
    import tomlkit


#: What earlier releases locked instead of the folder: ``<config file>`` + this, removed when found empty.
OLD_LOCK_SUFFIX: Final = ".lock"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for editing *path*: a POSIX ``flock`` on its folder (no lock elsewhere)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def edit_config(path: Path, change: Callable[[tomlkit.TOMLDocument], Any]) -> bool:
    """Apply *change* to the file's document and save it if anything changed.

    :returns: whether the file changed.
    :raises ConfigError: the file cannot be read, written or locked, or is not valid TOML.
    """
    path = path.resolve()  # edit the file a symlink (a dotfile manager's) points to, not the link
    try:
        return _edit_locked(path, change)
    except OSError as error:  # the folder cannot be created, or the file or its lock cannot be written
        raise ConfigError(
            f"{path}: cannot be changed ({error.strerror or error})", hint="check the folder's permissions", path=path
        ) from error


def _edit_locked(path: Path, change: Callable[[tomlkit.TOMLDocument], Any]) -> bool:
    import tomlkit
    import tomlkit.exceptions

    with locked(path):
        try:
            # Bytes, not text mode: line endings stay exactly as the user wrote them.
            text = path.read_bytes().decode("utf-8") if path.exists() else ""
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot be read ({error})", path=path) from error
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as error:
            raise ConfigError(
                f"{path}:{error.line}:{error.col}: {error}; nothing was changed",
                hint="fix the file first",
                path=path,
                line=error.line,
            ) from None
        change(document)
        updated = document.as_string()
        if updated == text:
            return False
        write_atomic(path, updated, durable=True, mode=mode)
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
    """Remove every spelling of *name* from the top-level list *key*, if present; a list left empty goes too."""
    names = document.get(key)
    if not isinstance(names, list):
        return
    found = [index for index, item in enumerate(names) if normalize_name(str(item)) == normalize_name(name)]
    for index in reversed(found):
        del names[index]
    if found and not names:
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
