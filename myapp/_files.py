"""Writing the user's files: whole or not at all, never creating a missing home, never as root in a user's folder."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

#: The permissions a new file of the user's gets before the umask: never writable by others (the trust
#: checks of :mod:`myapp.trust` would refuse it), never wider than the umask allows.
USER_FILE_MODE = 0o644


def write_atomic(
    path: Path, content: str | bytes, *, durable: bool = False, mode: int | None = None, new_mode: int = 0o600
) -> None:
    """Replace *path* with *content* (text is written as UTF-8) in one step.

    The content goes to a temporary file in the same directory, which is then
    renamed over *path*: a concurrent reader sees the old file or the new one,
    never a mix, and a crash leaves the old file intact. Missing folders are
    made with :func:`make_folders`.

    :param durable: flush to disk before the rename (for files users wrote).
    :param mode: permission bits of the new file, exactly (to keep those of the file it replaces).
    :param new_mode: without *mode*, the permission bits asked for, which the umask narrows.
    """
    import secrets  # only writers pay for it

    make_folders(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, flags, new_mode)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - a hundred collisions of 32 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content.encode() if isinstance(content, str) else content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def make_folders(folder: Path, mode: int = 0o777) -> None:
    """Create *folder* and its missing parents, but never a missing home folder or one of another user's.

    A home folder that does not exist is a broken setup that creating it
    would hide (and, as root, leave root-owned). Run as root, nothing is
    created inside a folder that belongs to another user (``sudo`` keeping the
    user's ``HOME``): that user could not change or remove it afterwards.

    :raises OSError: the folder cannot be made; ``strerror`` says why.
    """
    if folder.is_dir():
        return
    home = home_folder()
    if home is not None and not home.is_dir() and folder.is_relative_to(home):
        problem = "is not a folder" if home.exists() else "does not exist"
        raise MissingHomeError(errno.ENOENT, f"the home folder '{home}' {problem}", str(folder))
    owner = foreign_owner(folder)
    if owner is not None:
        raise PermissionError(errno.EACCES, f"it is inside a folder of uid {owner}, and this is root", str(folder))
    folder.mkdir(mode=mode, parents=True, exist_ok=True)


class MissingHomeError(FileNotFoundError):
    """:func:`make_folders` was asked for a folder in a home folder that does not exist."""


def home_folder() -> Path | None:
    """The user's home folder, as ``~`` means it (``HOME``, else the password database); ``None`` if there is none."""
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        try:
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            return None
    return Path(home) if os.path.isabs(home) else None


def foreign_owner(path: Path) -> int | None:
    """Run as root: the uid of the user that *path* (or, while it does not exist, its nearest parent) belongs to.

    ``None`` when this is not root, or when that is root itself: then root may write there.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    for candidate in (path, *path.parents):
        try:
            owner = candidate.stat().st_uid
        except OSError:
            continue
        return owner or None
    return None
