"""A row of the command table: a command's name and entry point, and how it is loaded and checked."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from cliff import command as cliff_command

from ..errors import MyappError, PluginLoadError, Terminated
from ..index.records import EntryPointInfo
from ..plugins.loading import describe_exception, disable_hint

if TYPE_CHECKING:
    import argparse

    from ..contracts import Contract
    from ..plugins.trace import PluginTrace
    from .versions import VersionChoice


class CommandEntry(NamedTuple):
    """One row of the command table; the command's module is not imported yet."""

    name: str
    entry_point: EntryPointInfo
    builtin: bool = False
    #: the command's versions and why this one was chosen (see :mod:`myapp.commands.versions`)
    choice: VersionChoice | None = None
    #: gives the command factory registered in-process (``add_command``), instead of importing the entry point
    loader: Callable[[], Any] | None = None

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

    def instantiate(self, factory: Any, app: Any, app_args: Any) -> cliff_command.Command:
        """Make this command from its class or factory as cliff does, passing ``cmd_name`` where it is taken.

        :raises PluginLoadError: the factory failed.
        """
        kwargs = {"cmd_name": self.name} if _takes_cmd_name(factory) else {}
        try:
            command: cliff_command.Command = factory(app, app_args, **kwargs)
        except (KeyboardInterrupt, Terminated):
            raise
        except Exception as error:
            raise self.failure(f"could not be created ({describe_exception(error)})") from error
        return command

    def load(self, trace: PluginTrace | None = None) -> type[cliff_command.Command]:
        """Import the command class and check it against :func:`command_contract`.

        A factory registered in-process (cliff's ``add_command``) is the
        app's own code: it is returned as it was given, whatever it is.

        :param trace: the ``--debug-plugins`` trace, told how long the import took.

        :raises PluginLoadError: the import failed.
        :raises ~myapp.contracts.ContractError: the target does not fit the contract.
        """
        if self.loader is not None:
            given: type[cliff_command.Command] = self.loader()
            return given
        from ..contracts import load_verified

        target: type[cliff_command.Command] = load_verified(
            self.entry_point, command_contract(), name=self.name, hint=self.hint, trace=trace
        )
        return target

    @property
    def hint(self) -> str | None:
        """What to do when this command's plugin misbehaves."""
        return None if self.builtin else disable_hint(self.distribution)

    def parser(self, command: cliff_command.Command, prog: str, help_hint: str) -> argparse.ArgumentParser:
        """The argument parser of *command*, this entry's command once created; bad arguments are usage errors.

        Its help is filled paragraph by paragraph. An argument error raises a
        :class:`~myapp.errors.UsageError` that starts with this command's name and
        has *help_hint* as its hint (see :func:`myapp.config.options.raise_usage_errors`),
        rather than argparse's usage text.

        :raises PluginLoadError: the command cannot build its parser; its plugin is to blame.
        """
        from ..config.options import fill_paragraphs, raise_usage_errors

        try:
            parser = command.get_parser(prog)
        except (KeyboardInterrupt, Terminated, MyappError):
            raise
        except Exception as error:
            raise self.failure(f"could not build its arguments ({describe_exception(error)})") from error
        parser.formatter_class = fill_paragraphs(parser.formatter_class)
        raise_usage_errors(parser, self.name, help_hint)
        return parser

    def failure(self, problem: str) -> PluginLoadError:
        """An error blaming this command's distribution for *problem*."""
        return PluginLoadError.of(
            self.entry_point, f"plugin '{self.distribution}' command '{self.name}' {problem}", hint=self.hint
        )


@functools.cache
def command_contract() -> Contract:
    """What a command must be: a cliff ``Command`` subclass whose methods take what cliff passes.

    Subclassing is required (no duck typing): the app drives a command through
    the template methods ``Command`` provides (``run``, hooks, epilog).
    """
    from ..contracts import Contract

    methods = ("take_action", "get_parser")
    return Contract.from_class(cliff_command.Command, name="command", methods=methods, subclass=True)


class CommandBuilder(Protocol):
    """What creates a command and its argument parser as a run would: the cliff App."""

    def build_command(
        self, entry: CommandEntry, prog: str | None = None
    ) -> tuple[cliff_command.Command, argparse.ArgumentParser]:
        """The command of *entry*, created, and its parser (*prog* names it in usage lines)."""
        ...


def _takes_cmd_name(factory: object) -> bool:
    """Whether cliff would pass ``cmd_name`` to *factory* (its ``__init__`` names the parameter)."""
    try:
        return "cmd_name" in inspect.signature(factory.__init__).parameters  # type: ignore[misc]
    except (TypeError, ValueError):  # a factory without an inspectable signature
        return False
