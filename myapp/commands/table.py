"""cliff's ``commands`` mapping over the command table, and commands registered in-process.

cliff exposes ``CommandManager.commands``, a dict of command name -> entry
point, and apps write to it. Here it is a live view: reading resolves names
from the index, writing registers or removes commands, so a write is never
silently lost.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any, Protocol

from cliff.commandmanager import EntryPointWrapper

from ..index.records import EntryPointInfo
from .entry import CommandEntry

if TYPE_CHECKING:
    from ..identity import Identity


class _Table(Protocol):
    """What the view needs of :class:`myapp.commands.manager.CommandManager`."""

    def get(self, name: str) -> CommandEntry | None: ...
    def command_names(self) -> list[str]: ...
    def register(self, name: str, value: object, *, lazy: bool = False) -> None: ...
    def remove_command(self, name: str) -> None: ...


class CommandTable(MutableMapping[str, CommandEntry]):
    """Command name -> :class:`~myapp.commands.entry.CommandEntry`, as cliff's ``commands`` dict.

    Each value has ``load()``, ``name`` and ``value`` as an entry point does.
    Setting a name registers the object: an entry point-like object with
    ``load()`` is loaded when the command runs, a class or another factory is
    registered as ``add_command`` registers it; deleting one removes the
    command, plugin commands included, for the rest of the run.
    """

    def __init__(self, table: _Table) -> None:
        self._table = table

    def __getitem__(self, name: str) -> CommandEntry:
        entry = self._table.get(name)
        if entry is None:
            raise KeyError(name)
        return entry

    def __setitem__(self, name: str, value: object) -> None:
        is_entry_point = not isinstance(value, type) and callable(getattr(value, "load", None))
        self._table.register(name, value, lazy=is_entry_point)  # a class or factory: as add_command takes it

    def __delitem__(self, name: str) -> None:
        if self._table.get(name) is None:
            raise KeyError(name)
        self._table.remove_command(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.command_names())

    def __len__(self) -> int:
        return len(self._table.command_names())

    def __repr__(self) -> str:
        return f"CommandTable({dict(self.items())!r})"


def given_entry(identity: Identity, name: str, value: object, version: str, *, lazy: bool = False) -> CommandEntry:
    """The table's row for *value* registered under *name* in-process: a command class or any factory.

    :param lazy: *value* is entry point-like (an entry point, cliff's
        ``EntryPointWrapper``, as cliff's ``commands`` dict holds): its
        ``load()`` gives the factory when the command runs.
    """
    if not lazy:  # cliff wraps it the same way, so what patches cliff's wrapper patches this too
        value = EntryPointWrapper(name, value)  # type: ignore[arg-type]
    loader = lambda: value.load()  # type: ignore[attr-defined]  # noqa: E731 - looked up when the command runs
    entry_point = EntryPointInfo(
        name.replace(" ", "_"), _target_of(value), identity.command_namespace, identity.distribution, version
    )
    return CommandEntry(name, entry_point, builtin=True, loader=loader)


def _target_of(value: object) -> str:
    """``module:qualname`` of what was registered, for messages (cliff logs the same)."""
    if isinstance(value, EntryPointWrapper):
        value = value.command_class
    found: Any = getattr(value, "value", None)
    if isinstance(found, str) and ":" in found:
        return found
    module = getattr(value, "__module__", None) or type(value).__module__
    qualname = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{module}:{qualname}"
