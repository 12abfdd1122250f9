"""``help``: list the commands, or show one command's options."""

from __future__ import annotations

import argparse

from cliff.command import Command

from ..app import app_of
from ..errors import IncompleteCommand


class Help(Command):
    """Show the options of a command, or list the commands (all of them, or a group's)."""

    #: shell completion offers command names for COMMAND, word by word (see myapp.completion)
    value_completers = {"command": "commands"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("command", nargs="*", help="the command to explain, e.g. 'plugin list'")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        app = app_of(self)
        if not parsed_args.command:
            app.print_command_list(app.stdout)
            return 0
        manager = app.command_manager
        try:
            entry, _ = manager.find_entry(parsed_args.command)
        except IncompleteCommand as incomplete:  # 'help plugin': the commands of the group
            app.print_command_list(app.stdout, incomplete.group)
            return 0
        command = manager.create(entry, app, self.app_args)
        prog = entry.name if app.interactive_mode else f"{app.NAME} {entry.name}"
        parser = app.command_parser(entry, command, prog)
        app.session.record_arguments(entry, command, parser)  # shell completion offers them from now on
        parser.print_help(app.stdout)
        if entry.choice is not None and entry.choice.is_versioned:
            app.stdout.write("\n" + "\n".join(entry.choice.describe(app.NAME)) + "\n")
        return 0
