"""The global options: the parser, and what the user typed as a configuration layer.

Each option's destination is the key of the setting it sets (see
:mod:`myapp.config`), and its default is ``SUPPRESS``: after parsing, the
namespace holds exactly what the user typed, which becomes the top layer of
the configuration.

Argument errors, of these options and of every command's, become usage errors
(see :func:`raise_usage_errors`) rather than argparse's usage text and exit.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, NoReturn

from cliff import _argparse

if TYPE_CHECKING:
    from .config import Config
    from .identity import Identity


def build_parser(identity: Identity, description: str, version: str) -> argparse.ArgumentParser:
    """The parser of the options that come before the command."""
    env = identity.env_name
    parser = _argparse.ArgumentParser(
        prog=identity.name,
        description=description,
        epilog=(
            f"Options can also be set in the environment ({env('no_plugins')}=1,\n"
            f"{env('verbose')}=2, {env('disable_plugins')}=a,b) or in the config file."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
        # No abbreviated options: a new option must never change what an old command line means.
        allow_abbrev=False,
        argument_default=argparse.SUPPRESS,
    )
    parser.add_argument("--version", action="version", version=f"{identity.name} {version}")
    parser.add_argument("-h", "--help", dest="deferred_help", action="store_true", help="Show this help and exit.")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="count", dest="verbose", help="More messages on stderr; repeat for more."
    )
    verbosity.add_argument("-q", "--quiet", action="store_true", dest="quiet", help="Only errors on stderr.")
    parser.add_argument("--log-file", dest="log_file", metavar="PATH", help="Also log everything to this file.")
    parser.add_argument(
        "--log-format", dest="log_format", choices=("text", "json"), help="Log lines as text (default) or JSON lines."
    )
    parser.add_argument("--no-color", action="store_true", dest="no_color", help="No colour in any output.")
    parser.add_argument(
        "--debug-plugins",
        action="store_true",
        dest="debug_plugins",
        help="Say on stderr which plugins were found, imported and run, and how long each took.",
    )
    parser.add_argument("--debug", action="store_true", help="Show tracebacks on errors.")
    parser.add_argument("--config", dest="config_file", metavar="PATH", help="Read this config file too.")
    parser.add_argument(
        "--no-plugins", action="store_true", dest="no_plugins", help="Built-in commands only; import no plugin code."
    )
    parser.add_argument(
        "--disable-plugin",
        action="append",
        dest="disable_plugins",
        metavar="NAME",
        help="Do not load this plugin distribution (repeatable).",
    )
    parser.add_argument(
        "--ignore-compat",
        action="append",
        dest="ignore_compat",
        metavar="NAME",
        help="Load this plugin even if it was made for another version (repeatable).",
    )
    parser.add_argument(
        "--profile", dest="profile", metavar="NAME", help="Apply the [profiles.NAME] section of the config."
    )
    parser.add_argument(
        "--use",
        action=_PinVersion,
        dest="use",
        metavar="NAME=N",
        help="Run version N of command NAME (repeatable; see 'help NAME').",
    )
    parser.add_argument(
        "--strict-plugins",
        action="store_true",
        dest="strict_plugins",
        help="Fail the run when a plugin or hook is broken.",
    )
    parser.set_defaults(deferred_help=False)
    return parser


class _PinVersion(argparse.Action):
    """``--use NAME=N``: adds one pin to the ``use`` mapping; a malformed value is a usage error."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, value: Any, option: str | None = None
    ) -> None:
        from .errors import UsageError
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
        from .errors import UsageError

        options = [word for word in _unrecognized(message) if word.startswith("-")]
        suggestion = closest_option(parser, options[0]) if options else None
        hint = f"did you mean '{suggestion}'? {help_hint}" if suggestion else help_hint
        prefix = f"{subject}: " if subject else ""
        raise UsageError(f"{prefix}{message[:1].lower()}{message[1:]}", hint=hint)

    parser.error = error  # type: ignore[method-assign]


def closest_option(parser: argparse.ArgumentParser, word: str) -> str | None:
    """The option of *parser* closest to *word*, an option it does not know (``--shot`` -> ``--shout``)."""
    import difflib

    known = [option for action in parser._actions for option in action.option_strings]
    matches = difflib.get_close_matches(word.partition("=")[0], known, n=1)
    return matches[0] if matches else None


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
