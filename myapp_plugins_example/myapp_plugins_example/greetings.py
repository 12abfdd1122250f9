"""``greeting list`` and ``greeting show``: a Lister and a ShowOne over a small table."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from cliff.lister import Lister
from cliff.show import ShowOne

from myapp import MyappError

#: language code -> (language name, greeting)
GREETINGS = {
    "de": ("German", "Hallo"),
    "en": ("English", "Hello"),
    "es": ("Spanish", "Hola"),
    "fr": ("French", "Bonjour"),
    "ja": ("Japanese", "Konnichiwa"),
}


class GreetingList(Lister):
    """List the greetings this plugin knows."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], Iterable[tuple[str, ...]]]:
        rows = ((code, language, word) for code, (language, word) in sorted(GREETINGS.items()))
        return ("Code", "Language", "Greeting"), rows


class GreetingShow(ShowOne):
    """Show one greeting by its language code."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("code", help="language code, e.g. 'fr'")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...]]:
        try:
            language, word = GREETINGS[parsed_args.code]
        except KeyError:
            known = ", ".join(sorted(GREETINGS))
            raise MyappError(f"unknown language code '{parsed_args.code}'", hint=f"known codes: {known}") from None
        return ("Code", "Language", "Greeting"), (parsed_args.code, language, word)
