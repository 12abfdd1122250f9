"""The ``hello`` command, in two versions (entry points ``hello.v1`` and ``hello.v2``)."""

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


class HelloV2(Hello):
    """Greet someone by name.

    Version 2 writes the name with a capital letter and can repeat the greeting.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--times", type=_whole_number, default=1, metavar="N", help="greet N times (default: 1)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        name = parsed_args.name[:1].upper() + parsed_args.name[1:]
        self.app.stdout.write(f"Hello, {name}!\n" * parsed_args.times)
        return 0


def _whole_number(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, found '{text}'")
    return int(text)
