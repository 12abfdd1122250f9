"""The arguments cache: each command's options, recorded where its parser is built anyway.

:func:`store_arguments` writes a record (through
:meth:`myapp.session.Session.record_arguments`) under :func:`arguments_key`,
which completion computes from the entry-point index alone; completion reads
it back with :func:`arguments_cache`. Why, and what a record holds: see
docs/architecture.rst, "Shell completion".
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ..index.discovery import EXTRA_NAMESPACE_PREFIXES
from ..index.pluginindex import PluginIndex
from ..index.records import EntryPointInfo, normalize_name

if TYPE_CHECKING:
    import argparse

    from cliff import command as cliff_command

    from ..identity import Identity
    from .descriptions import DescriptionCache

LOG = logging.getLogger(__name__)

#: The folder, in the cache folder, that holds one file per record.
ARGUMENTS_FOLDER: Final = "arguments"


#: The value completer of arguments that name a file (the shell lists files instead).
PATHS: Final = "paths"
#: The class attribute in which a command declares its value completers:
#: ``{argparse dest: completer name}``, e.g. ``{"name": "plugins"}``.
VALUE_COMPLETERS_ATTRIBUTE: Final = "value_completers"
#: Metavars that mark an argument as a file name when it declares no completer.
_PATH_METAVARS: Final = frozenset({"PATH", "FILE", "DIR", "DIRECTORY"})


class Argument(NamedTuple):
    """What completion knows about one option or positional argument of a command."""

    #: the option strings; empty for a positional argument
    flags: tuple[str, ...]
    #: whether a value follows the option (always true for a positional)
    takes_value: bool
    #: a positional that takes any number of words (``nargs`` ``*``, ``+`` or ``...``)
    repeats: bool
    help: str
    #: the values argparse accepts, if it restricts them
    choices: tuple[str, ...] = ()
    #: the name of a value completer, e.g. ``plugins`` (see :mod:`myapp.completion`)
    completer: str = ""


def arguments_of(parser: argparse.ArgumentParser, completers: Mapping[str, str]) -> list[Argument]:
    """The arguments of *parser*, minus hidden ones.

    :param completers: argparse ``dest`` -> value completer name, as the
        command declares them (see :data:`VALUE_COMPLETERS_ATTRIBUTE`).
    """
    import argparse

    arguments = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        flags = tuple(action.option_strings)
        completer = completers.get(action.dest, "")
        if not completer and _names_a_file(action):
            completer = PATHS
        arguments.append(
            Argument(
                flags=flags,
                takes_value=not flags or action.nargs != 0,
                repeats=not flags and action.nargs in ("*", "+", argparse.REMAINDER),
                help=" ".join((action.help or "").split()),
                choices=tuple(str(choice) for choice in action.choices or ()),
                completer=completer,
            )
        )
    return arguments


def _names_a_file(action: argparse.Action) -> bool:
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    return action.type is Path or metavar.upper() in _PATH_METAVARS


def arguments_key(
    identity: Identity,
    index: PluginIndex,
    is_allowed: Callable[[EntryPointInfo], bool],
    name: str,
    entry_point: EntryPointInfo,
) -> str:
    """Names everything the arguments of the command *name* depend on.

    That is the command's entry point and version, and those of the
    ``CommandHook`` plugins and output formatters *is_allowed* lets run: a run
    and a Tab press with the same configuration compute the same key.
    """
    hooks = index.entry_points(f"{identity.command_namespace}.{name.replace(' ', '_')}")
    parts = [name, _describe(entry_point)]
    parts += sorted(f"hook {_describe(ep)}" for ep in hooks if is_allowed(ep))
    formatters = (
        ep
        for group in index.groups()
        if group.startswith(EXTRA_NAMESPACE_PREFIXES)
        for ep in index.entry_points(group)
        if is_allowed(ep)
    )
    parts += sorted({f"formatter {normalize_name(ep.distribution)} {ep.version}" for ep in formatters})
    return " | ".join(parts)


def _describe(entry_point: EntryPointInfo) -> str:
    return f"{normalize_name(entry_point.distribution)} {entry_point.version} {entry_point.value}"


def parser_arguments(command: cliff_command.Command, parser: argparse.ArgumentParser) -> list[Argument]:
    """The arguments *parser* takes, with the value completers *command*'s class declares."""
    return arguments_of(parser, getattr(type(command), VALUE_COMPLETERS_ATTRIBUTE, None) or {})


def rows_of(arguments: Iterable[Argument]) -> list[list[Any]]:
    """Arguments as JSON rows: lists throughout, so that a row read back compares equal."""
    return [[list(a.flags), a.takes_value, a.repeats, a.help, list(a.choices), a.completer] for a in arguments]


def arguments_from_rows(rows: list[Any]) -> list[Argument]:
    """The arguments a cache record holds.

    :raises TypeError: a row is not of the shape :func:`rows_of` writes.
    """
    arguments = []
    for flags, takes_value, repeats, text, choices, completer_name in rows:
        if not (_are_strings(flags) and _are_strings(choices) and _are_strings([text, completer_name])):
            raise TypeError("not an argument row")
        if not (isinstance(takes_value, bool) and isinstance(repeats, bool)):
            raise TypeError("not an argument row")
        arguments.append(Argument(tuple(flags), takes_value, repeats, text, tuple(choices), completer_name))
    return arguments


def _are_strings(items: object) -> bool:
    return isinstance(items, (list, tuple)) and all(isinstance(item, str) for item in items)


def arguments_cache(cache_dir: Path | None, key: str, fingerprint: str) -> DescriptionCache:
    """The cache that holds the record *key*: a file of its own (the record in it names its whole key).

    :param cache_dir: the tool's trusted cache folder; ``None`` keeps nothing.
    :param fingerprint: the plugin index's, for records of failures (see :class:`.DescriptionCache`).
    """
    from .descriptions import DescriptionCache

    if cache_dir is None:
        return DescriptionCache(None, fingerprint)
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return DescriptionCache(cache_dir / ARGUMENTS_FOLDER / f"{digest}.json", fingerprint)


def store_arguments(cache_dir: Path, key: str, command: cliff_command.Command, parser: argparse.ArgumentParser) -> None:
    """Keep, under *key*, the arguments *parser* takes, for completion.

    The record's file is written only when the record is new or changed, and
    nothing here fails the caller: the cache only saves completion work.
    """
    try:
        cache = arguments_cache(cache_dir, key, "")  # a record of arguments is never one of a failure
        cache.store_arguments(key, rows_of(parser_arguments(command, parser)))
        cache.save()
    except Exception:  # the command must still run
        LOG.debug("cannot record the arguments under '%s'", key, exc_info=True)
