"""``acme server list``."""

from __future__ import annotations

import argparse

from cliff.lister import Lister


class ServerList(Lister):
    """List the servers of every environment."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
        return ("Name", "Environment"), [("web-1", "production"), ("web-2", "staging")]
