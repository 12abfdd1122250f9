"""``greeting count``: greet a crowd one by one, with myapp's progress helper.

:func:`myapp.progress` wraps the loop: a bar on a terminal, a plain line now
and then on stderr otherwise, nothing with ``-q``. The greetings themselves
are data, on stdout.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

from cliff.lister import Lister

from myapp import progress


class GreetingCount(Lister):
    """Greet a crowd of N guests one by one, showing progress (slowly, with --delay)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("guests", type=int, metavar="N", help="how many guests to greet")
        parser.add_argument("--delay", type=float, default=0.0, metavar="SECONDS", help="pause before each greeting")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[int, str]]]:
        return ("Guest", "Greeting"), list(self._greet(parsed_args.guests, parsed_args.delay))

    @staticmethod
    def _greet(guests: int, delay: float) -> Iterator[tuple[int, str]]:
        for number in progress(range(1, guests + 1), description="greeting guests"):
            time.sleep(delay)
            yield number, f"Hello, guest {number}!"
