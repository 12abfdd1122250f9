"""The files a plugin's code is read from, and their stamps: how a cache sees a plugin edited in place.

Only plugins whose code is run from where their author edits it (an editable
install, ``setup.py develop``, a drop-in folder: see
:func:`myapp.index.metadata.is_edited_in_place`) are watched; an installed
copy changes only with its version. The files are found after an import was
attempted, never by importing anything more.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

#: ``[path, nanosecond modification time, size]`` of one file, as JSON keeps it.
Stamp = list[object]

#: The most files :func:`package_files` returns: a package is not a source tree.
MAX_PACKAGE_FILES = 1000


def files_behind(module: str, error: BaseException | None = None) -> list[str]:
    """The source files an import of *module* read or failed in, within its top-level package.

    :param error: what the import raised, if it failed: the file it failed in
        is included, found from a ``SyntaxError`` or the traceback.
    """
    package = module.partition(".")[0]
    found = {_module_file(module)}
    found.update(
        getattr(loaded, "__file__", None) for name, loaded in list(sys.modules.items()) if _within(name, package)
    )
    if error is not None:
        found.add(_failed_in(error, package))
    return sorted(file for file in found if isinstance(file, str) and os.path.isfile(file))


def package_files(module: str) -> list[str]:
    """The source files of *module*'s top-level package (or the module itself), found without importing anything.

    What an import that never finished may have read: when it ended the
    process or overran its time limit, :func:`files_behind` cannot tell.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec(module.partition(".")[0])
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if not spec.submodule_search_locations:
        return [spec.origin] if spec.has_location and spec.origin else []
    found: list[str] = []
    for folder in spec.submodule_search_locations:
        for parent, folders, files in os.walk(folder):
            folders.sort()
            found += (os.path.join(parent, name) for name in sorted(files) if name.endswith(".py"))
            if len(found) >= MAX_PACKAGE_FILES:
                return found[:MAX_PACKAGE_FILES]
    return found


def stamps(files: Iterable[str]) -> list[Stamp]:
    """The stamp of each of *files* that can be read (a vanished file has none, which is a change too)."""
    found = []
    for file in files:
        try:
            status = os.stat(file)
        except OSError:
            continue
        found.append([file, status.st_mtime_ns, status.st_size])
    return found


class StampCheck:
    """Tells whether recorded stamps still match, reading each file's status once per run."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int] | None] = {}

    def is_current(self, recorded: object) -> bool:
        """Whether every ``[path, mtime_ns, size]`` of *recorded* matches the file now (a malformed record does not)."""
        if not isinstance(recorded, list):
            return False
        for stamp in recorded:
            if not (isinstance(stamp, list) and len(stamp) == 3 and isinstance(stamp[0], str)):
                return False
            if self._status(stamp[0]) != (stamp[1], stamp[2]):
                return False
        return True

    def _status(self, file: str) -> tuple[int, int] | None:
        if file not in self._seen:
            try:
                status = os.stat(file)
                self._seen[file] = (status.st_mtime_ns, status.st_size)
            except OSError:
                self._seen[file] = None
        return self._seen[file]


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _module_file(name: str) -> str | None:
    """The file of module *name*, without importing it: a package that failed to import stands for its modules."""
    module = sys.modules.get(name)
    if module is not None:
        return getattr(module, "__file__", None)
    parent = name.rpartition(".")[0]
    if parent and parent not in sys.modules:
        return _module_file(parent)  # finding a submodule would import the parent again
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.has_location else None


def _failed_in(error: BaseException, package: str) -> str | None:
    """The innermost file of *package* that *error* (or its cause) was raised in, if any."""
    import traceback

    cause = error.__cause__ or error
    if isinstance(cause, SyntaxError) and cause.filename:
        return cause.filename
    for frame, _ in reversed(list(traceback.walk_tb(cause.__traceback__))):
        if _within(str(frame.f_globals.get("__name__", "")), package):
            return frame.f_code.co_filename
    return None
