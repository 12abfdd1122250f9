"""Running a program as another user, for what root would hide (CI runs as root).

Tests that need it are skipped when the suite does not run as root or
``setpriv`` is missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest

#: The unprivileged user of every Linux system.
NOBODY = 65534

#: Marks a test that switches users: it needs root and ``setpriv``.
needs_root = pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0 or shutil.which("setpriv") is None,
    reason="switching users needs root and setpriv",
)


def as_user(uid: int, argv: list[str]) -> list[str]:
    """*argv* run as *uid* (its own group, no other groups)."""
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *argv]


def uid_without_entry() -> int:
    """A uid the password database does not know, as a container may run a program with."""
    uid = 54321
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


def open_the_way(path: Path) -> None:
    """Let every user reach *path*: pytest makes its temporary folders private (0700) to their owner."""
    for folder in (path, *path.parents):
        mode = folder.stat().st_mode
        if mode & 0o001 == 0:
            folder.chmod(mode | 0o001)
