"""``completion``: print the shell completion script for bash, zsh or fish."""

from __future__ import annotations

import argparse

from cliff.command import Command

from ..app import app_of
from ..completion import CALLBACK, SHELLS
from ..completion.scripts import script


class Completion(Command):
    """Print the Tab-completion script for your shell (see 'Shell completion' in the user guide)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("shell", choices=SHELLS, help="the shell to write the script for")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        app = app_of(self)
        app.stdout.write(script(parsed_args.shell, app.NAME, CALLBACK))
        return 0
