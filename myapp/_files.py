"""Writing files so that readers never see half of one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomic(path: Path, content: str | bytes, *, durable: bool = False, mode: int | None = None) -> None:
    """Replace *path* with *content* (text is written as UTF-8) in one step.

    The content goes to a temporary file in the same directory, which is then
    renamed over *path*: a concurrent reader sees the old file or the new one,
    never a mix, and a crash leaves the old file intact.

    :param durable: flush to disk before the rename (for files users wrote).
    :param mode: permission bits of the new file (the temporary file's are 0o600).
    """
    import tempfile  # only writers pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
