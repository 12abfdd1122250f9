"""What help and completion know about commands, cached so that neither imports plugin code.

:class:`DescriptionCache` keeps one-line descriptions in ``descriptions.json``
(see docs/architecture.rst, "Command descriptions"); the arguments cache of
:mod:`myapp.commands.arguments` is built on it.
"""

from __future__ import annotations

import inspect
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .._files import write_atomic
from ..errors import PluginLoadError
from ..index.records import normalize_name

if TYPE_CHECKING:
    from cliff import command as cliff_command

    from ..index.records import EntryPointInfo
    from ..plugins.sources import StampCheck
    from ..plugins.trace import PluginTrace
    from .entry import CommandEntry

LOG = logging.getLogger(__name__)

T = TypeVar("T")

#: What the keys of arguments records start with (a cache file may hold descriptions too).
_ARGUMENTS = "arguments "


class Description(NamedTuple):
    """What help shows for one command."""

    text: str
    deprecated: bool = False
    #: why the command cannot be loaded; empty when it can
    error: str = ""


def describe_class(factory: type[cliff_command.Command]) -> Description:
    """The first line of the command's description, as cliff computes it."""
    from cliff import command as cliff_command  # not needed to read the cache

    text = getattr(factory, "_description", "") or inspect.getdoc(factory) or ""
    if not isinstance(text, str) or text == inspect.getdoc(cliff_command.Command):
        text = ""  # a factory that is not a Command class (cliff's add_command takes any)
    first_line = text.strip().split("\n")[0].strip().rstrip(".")
    return Description(first_line, deprecated=getattr(factory, "deprecated", False) is True)


class DescriptionCache:
    """Descriptions of commands, loaded from and saved to one JSON file.

    :param cache_file: where to keep them; ``None`` keeps nothing.
    :param fingerprint: the plugin index's fingerprint, to know when to
        retry commands that failed to load.
    :param is_edited_in_place: whether a distribution (by name) runs its code
        from where it is edited: the files behind such a plugin command's
        record are stamped, and an edit of one makes the record stale (see
        :mod:`myapp.plugins.sources`). Other records cost nothing to check.
    """

    def __init__(
        self, cache_file: Path | None, fingerprint: str, is_edited_in_place: Callable[[str], bool] | None = None
    ) -> None:
        self._file = cache_file
        self._fingerprint = fingerprint
        self._is_edited_in_place = is_edited_in_place
        self._entries = self._read()
        self._changed = False
        self._stamp_check: StampCheck | None = None

    def describe(self, entry: CommandEntry, trace: PluginTrace | None = None) -> Description:
        """The description of *entry*, importing its class only when not cached (*trace* times the import)."""
        if entry.loader is not None:  # registered in-process: the app's code of this very run
            return _description(self._read_description(entry, trace))
        cached = self._current(entry)
        if cached is not None:
            return cached
        return _description(self._store(_key(entry.entry_point), self._read_description(entry, trace)))

    def _current(self, entry: CommandEntry) -> Description | None:
        """The cached description of *entry*, if there is one, current and well-formed."""
        cached = self._entries.get(_key(entry.entry_point))
        if isinstance(cached, dict) and self._is_current(cached, entry):
            try:
                return _description(cached)
            except (KeyError, TypeError, ValueError):
                pass
        return None

    def describe_all(
        self, entries: Sequence[CommandEntry], trace: PluginTrace | None = None, time_limit: float = 0.0
    ) -> list[Description]:
        """The descriptions of *entries*, in order, the plugin commands not cached read in child processes.

        A plugin whose import ends its process or never returns is then
        described as broken, with what happened (see
        :mod:`myapp.plugins.isolation`), and the other commands still are
        described. When every description is cached, nothing more is done
        than :meth:`describe` does.

        :param time_limit: seconds each import may take in the child; 0 means no limit.
        """
        stale = {entry.entry_point: entry for entry in entries if self._is_stale(entry)}
        if stale:
            self._read_isolated(stale, trace, time_limit)
        return [self.describe(entry, trace) for entry in entries]

    def _is_stale(self, entry: CommandEntry) -> bool:
        """Whether describing *entry* imports plugin code: a plugin command not cached, its module not imported."""
        if entry.loader is not None or entry.builtin or entry.entry_point.module in sys.modules:
            return False
        return self._current(entry) is None

    def _read_isolated(
        self, entries: dict[EntryPointInfo, CommandEntry], trace: PluginTrace | None, time_limit: float
    ) -> None:
        """Read and keep the records of *entries* in child processes (see :mod:`myapp.plugins.isolation`)."""
        from ..plugins.isolation import run_isolated

        def work(entry_point: EntryPointInfo) -> dict[str, Any]:
            return self._read_description(entries[entry_point], trace)

        for outcome in run_isolated(list(entries), work, time_limit, trace):
            entry = entries[outcome.entry_point]
            record = outcome.record
            if record is None:
                record = {"text": "", "deprecated": False, "error": outcome.message}
                if self._watches(entry):  # the import never finished: every file of the package may be to blame
                    from ..plugins.sources import package_files, stamps

                    record["sources"] = stamps(package_files(entry.entry_point.module))
            self._store(_key(entry.entry_point), record)

    def _is_current(self, record: dict[str, Any], entry: CommandEntry) -> bool:
        """Whether the cached *record* still describes *entry*.

        A record with stamped sources holds while they are unchanged. One
        written before something was installed or removed (under another index
        fingerprint) is read again if it is a failure (the missing dependency
        may be there now) or if its plugin is edited in place now and was not
        then (an editable reinstall of the same version); otherwise it holds,
        and takes the new fingerprint.
        """
        if "sources" in record and not self._sources_unchanged(record):
            return False
        if record.get("fingerprint") == self._fingerprint:
            return True
        if record.get("error") or ("sources" not in record and self._watches(entry)):
            return False
        record["fingerprint"] = self._fingerprint
        self._changed = True
        return True

    def _watches(self, entry: CommandEntry) -> bool:
        """Whether the files behind *entry* are stamped: a plugin command whose code is edited in place."""
        is_edited_in_place = self._is_edited_in_place
        return not entry.builtin and is_edited_in_place is not None and is_edited_in_place(entry.distribution)

    def _read_description(self, entry: CommandEntry, trace: PluginTrace | None) -> dict[str, Any]:
        """A new record for *entry*: its class imported and described, or why that failed, and the files behind it."""
        failure: PluginLoadError | None = None
        try:
            description = describe_class(entry.load(trace))
        except PluginLoadError as error:
            LOG.debug("cannot describe %s", entry.name, exc_info=True)
            description, failure = Description("", error=error.message), error
        record = {"text": description.text, "deprecated": description.deprecated, "error": description.error}
        if self._watches(entry):
            from ..plugins.sources import files_behind, stamps

            record["sources"] = stamps(files_behind(entry.entry_point.module, failure))
        return record

    def cached_description(self, entry_point: EntryPointInfo) -> Description | None:
        """The description of the command *entry_point* names, if cached and current; never imports anything."""
        cached = self._entries.get(_key(entry_point))
        if not isinstance(cached, dict) or not self._sources_unchanged(cached):
            return None
        try:
            return _description(cached)
        except (KeyError, TypeError, ValueError):
            return None

    def arguments(self, key: str, read: Callable[[], tuple[list[Any], str]], convert: Callable[[list[Any]], T]) -> T:
        """A command's arguments, from cache or, when not cached (or unusable), from *read*.

        :param key: names the command and everything its arguments depend on.
        :param read: returns JSON-ready rows and, when they could not be read, why not.
        :param convert: turns the rows into the caller's objects; raises
            ``KeyError``, ``TypeError`` or ``ValueError`` for rows of the wrong shape.
        """

        def rows_and_error() -> dict[str, Any]:
            rows, error = read()
            return {"arguments": rows, "error": error}

        return self._remembered(_ARGUMENTS + key, rows_and_error, lambda record: convert(record["arguments"]))

    def cached_arguments(self, key: str, convert: Callable[[list[Any]], T]) -> T | None:
        """A command's arguments if cached (and usable), else ``None``; never reads the command.

        :param key: as for :meth:`arguments`.
        :param convert: as for :meth:`arguments`.
        """
        cached = self._entries.get(_ARGUMENTS + key)
        if not isinstance(cached, dict) or cached.get("error"):
            return None
        try:
            return convert(cached["arguments"])
        except (KeyError, TypeError, ValueError):
            return None

    def store_arguments(self, key: str, rows: list[Any]) -> None:
        """Keep *rows* as the arguments of the command *key* names; unchanged rows leave nothing to save."""
        record = {"arguments": rows, "error": ""}
        if self._entries.get(_ARGUMENTS + key) != record:
            self._entries[_ARGUMENTS + key] = record
            self._changed = True

    def _remembered(self, key: str, read: Callable[[], dict[str, Any]], convert: Callable[[dict[str, Any]], T]) -> T:
        """The cached record *key* converted, else a fresh one from *read*, stored.

        A record of a failure is trusted only while the index's fingerprint is
        the same; a record that does not convert is read again.
        """
        cached = self._entries.get(key)
        if isinstance(cached, dict) and (not cached.get("error") or cached.get("fingerprint") == self._fingerprint):
            try:
                return convert(cached)
            except (KeyError, TypeError, ValueError):
                pass
        return convert(self._store(key, read()))

    def _store(self, key: str, record: dict[str, Any]) -> dict[str, Any]:
        """Keep *record* as *key*, with the index's fingerprint; returns it."""
        record = {**record, "fingerprint": self._fingerprint}
        self._entries[key] = record
        self._changed = True
        return record

    def _sources_unchanged(self, record: dict[str, Any]) -> bool:
        """Whether the files stamped in *record*, if any, are as they were (one ``stat`` per file and run)."""
        if "sources" not in record:
            return True
        if self._stamp_check is None:
            from ..plugins.sources import StampCheck

            self._stamp_check = StampCheck()
        return self._stamp_check.is_current(record["sources"])

    def save(self) -> None:
        """Write new descriptions back, atomically; a failure only costs speed."""
        if self._file is None or not self._changed:
            return
        try:
            write_atomic(self._file, json.dumps(self._entries, sort_keys=True))
        except OSError as error:
            LOG.info("cannot write the description cache %s (%s)", self._file, error)

    def _read(self) -> dict[str, object]:
        if self._file is None:
            return {}
        try:
            data = json.loads(self._file.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            LOG.debug("description cache %s is unusable (%s); rebuilding it", self._file, error)
            return {}
        return data if isinstance(data, dict) else {}


def _key(entry_point: EntryPointInfo) -> str:
    return f"{normalize_name(entry_point.distribution)} {entry_point.version} {entry_point.value}"


def _description(record: dict[str, Any]) -> Description:
    return Description(str(record["text"]), bool(record["deprecated"]), str(record["error"]))
