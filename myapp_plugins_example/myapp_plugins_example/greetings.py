"""``greeting list``, ``greeting show`` and ``greeting styles``: Listers and a ShowOne over a small table.

``greeting show --style NAME`` picks one greeting style by name (the driver
pattern) and ``greeting styles`` renders a greeting in every style (the
iterator pattern); the styles come from :mod:`myapp_plugins_example.styles`
and from any plugin that adds one.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from cliff.lister import Lister
from cliff.show import ShowOne

from myapp import MyappError
from myapp.app import app_of

from .styles import GREETING_STYLES

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
        parser.add_argument("--style", default="plain", help="greeting style (default: plain; see 'greeting styles')")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...]]:
        try:
            language, word = GREETINGS[parsed_args.code]
        except KeyError:
            known = ", ".join(sorted(GREETINGS))
            raise MyappError(f"unknown language code '{parsed_args.code}'", hint=f"known codes: {known}") from None
        style = GREETING_STYLES.select(app_of(self)).driver(parsed_args.style)
        return ("Code", "Language", "Greeting"), (parsed_args.code, language, style.render(word))


class GreetingStyles(Lister):
    """List the greeting styles installed, each with an example."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], Iterable[tuple[str, ...]]]:
        examples = GREETING_STYLES.select(app_of(self)).map("render", "Hello")
        rows = ((style.name, style.distribution, example) for style, example in examples)
        return ("Style", "Plugin", "Example"), rows
