"""The ``hello`` command."""

from __future__ import annotations

import argparse

from cliff.command import Command


class Hello(Command):
    """Greet someone by name."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", nargs="?", default="world", help="who to greet (default: world)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        self.app.stdout.write(f"Hello, {parsed_args.name}!\n")
        return 0
