"""A row of the command table: a command's name and entry point, and how it is loaded and checked."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from cliff import command as cliff_command

from ._loading import disable_hint
from .discovery import EntryPointInfo
from .errors import PluginLoadError

if TYPE_CHECKING:
    from .contracts import Contract
    from .versions import VersionChoice


class CommandEntry(NamedTuple):
    """One row of the command table; the command's module is not imported yet."""

    name: str
    entry_point: EntryPointInfo
    builtin: bool = False
    #: the command's versions and why this one was chosen (see :mod:`myapp.versions`)
    choice: VersionChoice | None = None

    @property
    def version(self) -> str:
        """The version of the distribution that registered the command."""
        return self.entry_point.version

    @property
    def value(self) -> str:
        """``module:attribute`` of the command class (cliff reads this for messages)."""
        return self.entry_point.value

    @property
    def distribution(self) -> str:
        """The distribution that registered the command."""
        return self.entry_point.distribution

    def load(self) -> type[cliff_command.Command]:
        """Import the command class and check it against :func:`command_contract`.

        :raises PluginLoadError: the import failed.
        :raises ~myapp.contracts.ContractError: the target does not fit the contract.
        """
        from .contracts import load_verified

        target: type[cliff_command.Command] = load_verified(
            self.entry_point, command_contract(), name=self.name, hint=self.hint
        )
        return target

    @property
    def hint(self) -> str | None:
        """What to do when this command's plugin misbehaves."""
        return None if self.builtin else disable_hint(self.distribution)

    def failure(self, problem: str) -> PluginLoadError:
        """An error blaming this command's distribution for *problem*."""
        return PluginLoadError.of(
            self.entry_point, f"plugin '{self.distribution}' command '{self.name}' {problem}", hint=self.hint
        )


def command_name(entry_point_name: str) -> str:
    """The name users type: ``plugin_list`` is ``plugin list``."""
    return " ".join(entry_point_name.split("_"))


@functools.cache
def command_contract() -> Contract:
    """What a command must be: a cliff ``Command`` subclass whose methods take what cliff passes.

    Subclassing is required (no duck typing): the app drives a command through
    the template methods ``Command`` provides (``run``, hooks, epilog).
    """
    from .contracts import Contract

    methods = ("take_action", "get_parser")
    return Contract.from_class(cliff_command.Command, name="command", methods=methods, subclass=True)
