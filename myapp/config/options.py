"""The global options: the parser, and what the user typed as a configuration layer.

Every option that sets a setting is made from its row of the settings table
(:data:`myapp.config.settings.SETTINGS`): spellings, action, value name and help.
Its destination is the setting's key (see :mod:`myapp.config.layers`), and
every option's default is ``SUPPRESS``: after parsing, the
namespace holds exactly what the user typed, which becomes the top layer of
the configuration.

Argument errors, of these options and of every command's, become usage errors
(see :func:`raise_usage_errors`) rather than argparse's usage text and exit.
Help text fits the terminal (:func:`help_width`), paragraph by paragraph
(:class:`ParagraphHelpFormatter`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from cliff import _argparse

if TYPE_CHECKING:
    from ..errors import UsageError
    from ..identity import Identity
    from .layers import Config


def build_parser(
    identity: Identity, description: str, version: str, argparse_kwargs: Mapping[str, Any] | None = None
) -> argparse.ArgumentParser:
    """The parser of the options that come before the command.

    :param argparse_kwargs: passed to the parser's constructor over the defaults (cliff's ``argparse_kwargs``).
    """
    env = identity.env_name
    settings: dict[str, Any] = {
        "prog": identity.name,
        "description": description,
        "epilog": (
            f"Options can also be set in the environment ({env('no_plugins')}=1, "
            f"{env('verbose')}=2, {env('disable_plugins')}=a,b) or in the config file."
        ),
        "formatter_class": ParagraphHelpFormatter,
        "add_help": False,
        # No abbreviated options: a new option must never change what an old command line means.
        "allow_abbrev": False,
        "argument_default": argparse.SUPPRESS,
    }
    parser = _argparse.ArgumentParser(**{**settings, **(argparse_kwargs or {})})
    parser.register("action", "pin", _PinVersion)
    # The options that are not settings; every other option comes from the settings table.
    parser.add_argument("--version", action="version", version=f"{identity.name} {version}")
    parser.add_argument("-h", "--help", dest="deferred_help", action="store_true", help="Show this help and exit.")
    parser.add_argument("--config", dest="config_file", metavar="PATH", help="Read this config file too.")
    parser.set_defaults(deferred_help=False)
    _add_setting_options(parser)
    return parser


def help_width() -> int:
    """How wide help text may be: the terminal's width (``COLUMNS``, else the terminal's size, else 80) less 2.

    The margin is argparse's own, so that the options and the lists printed next to them end at the same column;
    below 40 columns, help stays 40 wide rather than one word a line.
    """
    import shutil

    return max(shutil.get_terminal_size().columns - 2, 40)


class ParagraphHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, filling descriptions and epilogs paragraph by paragraph to :func:`help_width`.

    Paragraphs are separated by blank lines; one whose lines are all indented (an example, a listing) is
    printed as written. argparse itself would run every paragraph into one. Mixed into cliff's formatter
    for every command's help (see :func:`myapp.app.App.command_parser`).
    """

    def __init__(self, prog: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("width", help_width())
        super().__init__(prog, *args, **kwargs)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import re
        import textwrap

        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", textwrap.dedent(text).strip("\n")):
            lines = paragraph.splitlines()
            if all(line[:1].isspace() for line in lines):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append("\n".join(wrap(" ".join(paragraph.split()), width, indent)))
        return "\n\n".join(paragraphs)


#: Each formatter class that :func:`fill_paragraphs` was given -> the same, filling paragraphs.
_FILLING: dict[type, type] = {}


def fill_paragraphs(formatter: Any) -> Any:
    """A command parser's *formatter_class* (cliff's by default), filling paragraphs as :class:`ParagraphHelpFormatter`.

    A formatter that keeps descriptions as written (argparse's raw ones) is left alone: its author chose it.
    """
    if not isinstance(formatter, type) or issubclass(
        formatter, (ParagraphHelpFormatter, argparse.RawDescriptionHelpFormatter)
    ):
        return formatter
    if formatter not in _FILLING:
        _FILLING[formatter] = type(formatter.__name__, (ParagraphHelpFormatter, formatter), {})
    return _FILLING[formatter]


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """*text* in lines of at most *width* characters, *indent* included; words (names, URLs) are never split.

    What :func:`textwrap.wrap` does without breaking words, in a fifth of the time: ``--help`` wraps a line
    for every installed plugin.

    :param first: what the first line starts with instead of *indent*.
    """
    lines, line, empty = [], indent if first is None else first, True
    for word in text.split():
        if not empty and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = line + word if empty else f"{line} {word}"
            empty = False
    return [*lines, line]


def two_columns(rows: Sequence[tuple[str, str]], width: int | None = None) -> str:
    """*rows* of (name, text) as help lists commands: the texts wrapped under their own column."""
    names = max((len(name) for name, _ in rows), default=0)
    width = max(width or help_width(), names + 24)  # at least 20 characters for the texts
    lines = (
        line.rstrip() for name, text in rows for line in wrap(text, width, " " * (names + 4), f"  {name:<{names}}  ")
    )
    return "".join(f"{line}\n" for line in lines)


def _add_setting_options(parser: argparse.ArgumentParser) -> None:
    """Add an option for each setting that has one, in the order of the table."""
    from .settings import SETTINGS

    groups: dict[str, argparse._ActionsContainer] = {"": parser}
    for setting in (setting for setting in SETTINGS.values() if setting.options):
        if setting.group not in groups:
            groups[setting.group] = parser.add_mutually_exclusive_group()
        container = groups[setting.group]
        extra: dict[str, Any] = {"metavar": setting.metavar} if setting.metavar else {}
        if setting.kind.choices:
            extra["choices"] = setting.kind.choices
        container.add_argument(
            *setting.options, action=setting.action, dest=setting.key, help=option_help(setting.help), **extra
        )


def option_help(text: str) -> str:
    """A setting's help text as ``--help`` shows it: a sentence."""
    return f"{text[:1].upper()}{text[1:]}."


class _PinVersion(argparse.Action):
    """``--use NAME=N``: adds one pin to the ``use`` mapping; a malformed value is a usage error."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, value: Any, option: str | None = None
    ) -> None:
        from ..errors import UsageError
        from .settings import SETTINGS

        try:
            pins = SETTINGS[self.dest].kind.from_text(str(value))
            if not pins:
                raise ValueError("expected NAME=VERSION, e.g. 'hello=2'")
        except ValueError as error:
            raise UsageError(
                f"{option} {str(value)!r} is not valid: {error}",
                hint=f"write {option} NAME=N; '{parser.prog} help NAME' lists the versions of a command",
            ) from None
        setattr(namespace, self.dest, {**getattr(namespace, self.dest, {}), **pins})


def raise_usage_errors(parser: argparse.ArgumentParser, subject: str, help_hint: str) -> None:
    """Make *parser* raise :class:`~myapp.errors.UsageError` where argparse would print its usage and exit 2.

    The error says what argparse says, after ``<subject>:``; an unrecognized option's hint
    suggests the closest option of *parser*.

    :param subject: what the arguments are for (a command's name), or ``""`` for the global options.
    :param help_hint: where the options are listed, e.g. ``'myapp help hello' lists its options``.
    """

    def error(message: str) -> NoReturn:
        from ..errors import UsageError

        options = [word for word in _unrecognized(message) if word.startswith("-")]
        suggestion = closest_option(parser, options[0]) if options else None
        hint = f"did you mean '{suggestion}'? {help_hint}" if suggestion else help_hint
        prefix = f"{subject}: " if subject else ""
        raise UsageError(f"{prefix}{message[:1].lower()}{message[1:]}", hint=hint)

    parser.error = error  # type: ignore[method-assign]


def closest_option(parser: argparse.ArgumentParser, word: str) -> str | None:
    """The option of *parser* closest to *word*, an option it does not know (``--shot`` -> ``--shout``)."""
    from ..errors import close_matches

    known = [option for action in parser._actions for option in action.option_strings]
    matches = close_matches(word.partition("=")[0], known)
    return matches[0] if matches else None


def options_hint(tool: str) -> str:
    """The hint of an error about a global option of *tool*: where they are listed."""
    return f"'{tool} --help' lists the options"


def unknown_option_error(
    parser: argparse.ArgumentParser, option: str, tool: str, is_command: Callable[[str], bool]
) -> UsageError:
    """The error about *option*, typed before the command but not a global option (``myapp --verbos``).

    The hint suggests the closest global option, else the command the word names (``myapp --bug-report``).
    """
    from ..errors import UsageError

    suggestion = closest_option(parser, option)
    word = option.lstrip("-").partition("=")[0]
    if suggestion:
        hint = f"did you mean '{suggestion}'? {options_hint(tool)}"
    elif word and is_command(word):
        hint = f"'{word}' is a command: run '{tool} {word}'"
    else:
        hint = options_hint(tool)
    return UsageError(f"unknown option '{option}'", hint=hint)


def _unrecognized(message: str) -> list[str]:
    """The words of argparse's "unrecognized arguments" *message* (in the user's language), else none."""
    from gettext import gettext  # what argparse translates its messages with

    prefix = gettext("unrecognized arguments: %s").partition("%s")[0]
    return message[len(prefix) :].split() if message.startswith(prefix) else []


def typed_settings(parser: argparse.ArgumentParser, namespace: argparse.Namespace) -> dict[str, tuple[Any, str]]:
    """The settings the user typed: key -> (value, the option that set it)."""
    from .settings import SETTINGS

    typed = {}
    for action in parser._actions:
        if action.dest in SETTINGS and hasattr(namespace, action.dest):
            value = getattr(namespace, action.dest)
            if isinstance(value, list):
                value = tuple(value)
            elif isinstance(value, str):  # a path: expanded as in files
                value = SETTINGS[action.dest].kind.from_text(value)
            typed[action.dest] = (value, action.option_strings[-1])
    return typed


def apply_config(namespace: argparse.Namespace, config: Config) -> None:
    """Fill the namespace with effective values, in the attributes cliff reads."""
    for key in (
        "debug",
        "log_file",
        "log_format",
        "no_color",
        "debug_plugins",
        "no_plugins",
        "disable_plugins",
        "strict_plugins",
    ):
        setattr(namespace, key, config[key])
    # cliff's scale: 0 quiet, 1 normal, 2 and more verbose. Of -q and -v, the
    # one from the stronger layer wins (-v on the command line beats MYAPP_QUIET).
    quiet = config["quiet"] and config.layer("quiet") >= config.layer("verbose")
    namespace.verbose_level = 0 if quiet else 1 + config["verbose"]


def provisional_verbosity(namespace: argparse.Namespace) -> int:
    """cliff's verbosity from the options alone, for messages before the configuration is read."""
    if getattr(namespace, "quiet", False):
        return 0
    return 1 + getattr(namespace, "verbose", 0)
