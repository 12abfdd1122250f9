"""One-line command descriptions, cached so that help imports no plugin code.

A description is read from the command class once and kept in the user
cache, keyed by distribution, version and entry point; a new version of a
plugin is read again. A command that failed to load is retried whenever the
set of installed distributions changes (a missing dependency may have
arrived).
"""

from __future__ import annotations

import inspect
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cliff import command as cliff_command

from ._files import write_atomic
from .discovery import normalize_name
from .errors import PluginLoadError

if TYPE_CHECKING:
    from .commandmanager import CommandEntry

LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Description:
    """What help shows for one command."""

    text: str
    deprecated: bool = False
    #: why the command cannot be loaded; empty when it can
    error: str = ""


def describe_class(factory: type[cliff_command.Command]) -> Description:
    """The first line of the command's description, as cliff computes it."""
    text = factory._description or inspect.getdoc(factory) or ""
    if text == inspect.getdoc(cliff_command.Command):
        text = ""
    first_line = text.strip().split("\n")[0].strip().rstrip(".")
    return Description(first_line, deprecated=bool(factory.deprecated))


class DescriptionCache:
    """Descriptions of commands, loaded from and saved to one JSON file.

    :param cache_file: where to keep them; ``None`` keeps nothing.
    :param fingerprint: the plugin index's fingerprint, to know when to
        retry commands that failed to load.
    """

    def __init__(self, cache_file: Path | None, fingerprint: str) -> None:
        self._file = cache_file
        self._fingerprint = fingerprint
        self._entries = self._read()
        self._changed = False

    def describe(self, entry: CommandEntry) -> Description:
        """The description of *entry*, importing its class only when not cached."""
        key = f"{normalize_name(entry.distribution)} {entry.version} {entry.value}"
        cached = self._entries.get(key)
        if isinstance(cached, dict):
            try:
                if not cached.get("error") or cached.get("fingerprint") == self._fingerprint:
                    return Description(str(cached["text"]), bool(cached["deprecated"]), str(cached["error"]))
            except KeyError:
                pass
        try:
            description = describe_class(entry.load())
        except PluginLoadError as error:
            LOG.debug("cannot describe %s", entry.name, exc_info=True)
            description = Description("", error=error.message)
        self._entries[key] = {
            "text": description.text,
            "deprecated": description.deprecated,
            "error": description.error,
            "fingerprint": self._fingerprint,
        }
        self._changed = True
        return description

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
