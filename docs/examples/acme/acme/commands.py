"""``acme deploy``."""

from __future__ import annotations

import argparse

from cliff.command import Command


class Deploy(Command):
    """Deploy the current release to an environment."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("environment", choices=("staging", "production"), help="where to deploy")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        self.app.stdout.write(f"deployed to {parsed_args.environment}\n")
        return 0
