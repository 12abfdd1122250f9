"""cliff's ``CommandManager`` API on myapp's command table: namespaces, in-process commands, ``commands``.

A mixin of :class:`myapp.commands.manager.CommandManager`: everything here
records or reads metadata; nothing scans or imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .table import CommandTable, given_entry

if TYPE_CHECKING:
    from ..identity import Identity
    from ..index.pluginindex import PluginIndex
    from ..index.records import EntryPointInfo
    from .entry import CommandEntry


class CliffApi:
    """cliff's methods for command groups and in-process commands, mixed into the command manager."""

    identity: Identity
    group_list: list[str]
    namespace: str | None
    _builtins: dict[str, CommandEntry]
    _removed: set[str]

    if TYPE_CHECKING:

        @property
        def _index(self) -> PluginIndex | None: ...
        def _forget(self) -> None: ...
        def _may_provide(self, entry_point: EntryPointInfo) -> bool: ...
        def _typed_name(self, entry_point_name: str) -> str: ...
        def command_names(self) -> list[str]: ...
        def get(self, name: str) -> CommandEntry | None: ...

    def load_commands(self, namespace: str) -> None:
        """Read commands from the entry-point namespace *namespace* too (cliff's API); nothing is imported.

        Its commands are subject to the same plugin selection as the others;
        a namespace outside the tool's prefix is indexed from the next run's
        session on (the App opens its session after its constructor).
        """
        if namespace not in self.group_list:
            self.group_list.append(namespace)
        groups = self.identity.command_groups
        if namespace not in groups:
            self.identity = self.identity._replace(command_namespaces=(*groups, namespace))
            self.namespace = self.identity.command_namespace
        self._forget()

    def add_command_group(self, group: str | None = None) -> None:
        """cliff's API: :meth:`load_commands` for *group*, if given."""
        if group:
            self.load_commands(group)

    def get_command_groups(self) -> list[str]:
        """The namespaces commands are read from, in the order they were added (cliff's API)."""
        return list(self.group_list)

    def get_command_names(self, group: str | None = None) -> list[str]:
        """The command names of namespace *group*, or of the whole table (cliff's API); metadata only."""
        if group is None:
            return self.command_names()
        names = self._index.names(group) if self._index is not None else []
        return list(dict.fromkeys(self._typed_name(n) for n in names if self._index and self._runs(group, n)))

    def _runs(self, group: str, entry_point_name: str) -> bool:
        """Whether a distribution that may run registers *entry_point_name* in *group*."""
        assert self._index is not None
        return any(map(self._may_provide, self._index.lookup(group, entry_point_name)))

    def add_command(self, name: str, command_class: Any) -> None:
        """Register the object given, as it is, under *name* (cliff's API).

        A class defined in a function, made with ``type()``, a factory or a
        test double: it is the app's own code, so it wins clashes with plugins
        and is not checked against the command contract.
        """
        self.register(name, command_class)

    def register(self, name: str, value: object, *, lazy: bool = False) -> None:
        """Register *value* under *name*; *lazy*: it is entry point-like, loaded when the command runs."""
        self._builtins[name] = given_entry(self.identity, name, value, "", lazy=lazy)
        self._removed.discard(name)
        self._forget()

    def unregister(self, name: str) -> None:
        """Forget the built-in or in-process command *name*; a plugin's command of that name shows again."""
        self._builtins.pop(name, None)
        self._forget()

    def remove_command(self, name: str) -> None:
        """Take the command *name* out of the table for the rest of the run, whoever provides it."""
        self.unregister(name)
        self._removed.add(name)

    @property  # cliff's table holds entry points; ours, entries
    def commands(self) -> CommandTable:
        """Every command by name, a live mapping (cliff's API): writes register and remove commands."""
        return CommandTable(self)

    @commands.setter
    def commands(self, value: Mapping[str, Any]) -> None:
        """Replace the commands known now with *value*'s (cliff's constructor assigns an empty table)."""
        if "_builtins" not in vars(self):
            return  # cliff's constructor, before the table exists
        table = self.commands
        table.clear()
        for name, entry_point in value.items():
            table[name] = entry_point

    @property
    def _subclass_table(self) -> Mapping[str, Any]:
        """The ``commands`` dict of a subclass that keeps its own (cliff allows it), read as in-process commands."""
        own = vars(self).get("commands")
        return own if isinstance(own, dict) else {}
