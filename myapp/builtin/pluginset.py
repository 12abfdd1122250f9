"""``plugin install``, ``uninstall``, ``freeze`` and ``sync``: change which plugins are installed.

pip runs in this interpreter (``sys.executable -m pip``), so plugins land
where the tool finds them; pip's messages go to stderr as they come, and
stdout keeps the data: what appeared or disappeared, or what a sync did.

A *plugin set* is a TOML file listing plugins with exact versions and whether
each runs; ``plugin freeze`` writes one and ``plugin sync`` makes an
environment match it (format: :class:`PluginFreeze`).
"""

from __future__ import annotations

import argparse
import logging
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from cliff.command import Command
from cliff.lister import Lister

from ..config import _POSITION, _error_position, _line_of, user_config_file
from ..configfile import add_name, edit_config, remove_name
from ..discovery import discard_cache, normalize_name
from ..errors import ConfigError, MyappError, UsageError
from ..plugins import Plugin, State
from .plugin import _app, installed_plugins

if TYPE_CHECKING:
    import tomlkit

    from ..app import App

LOG = logging.getLogger(__name__)

#: Columns of ``plugin install`` and ``plugin uninstall``.
CHANGE_COLUMNS: Final = ("Change", "Kind", "Name", "Plugin")
#: Columns of ``plugin sync``.
SYNC_COLUMNS: Final = ("Action", "Plugin", "Detail")
#: Always given to pip: a command of ours never prompts, and pip's own upgrade advice is noise here.
_PIP_OPTIONS: Final = ("--disable-pip-version-check", "--no-input")
#: States in which the configuration, not the plugin, keeps a plugin from running.
_DISABLED: Final = frozenset({State.DISABLED_BY_CONFIG, State.DISABLED_BY_PROFILE})
#: A valid distribution name (PEP 508); also keeps a plugin set from smuggling pip options in.
_NAME: Final = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_PIP_ARG: Final = "--pip-arg"

_Row = tuple[str, ...]


# -- running pip ----------------------------------------------------------------------------------------------------


class _GluedPipArgs:
    """Reads ``--pip-arg --no-index`` as ``--pip-arg=--no-index``.

    argparse takes a value that starts with ``-`` for an option and stops with
    "expected one argument", yet every pip option starts with ``-``.
    """

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        return super().parse_known_args(  # type: ignore[misc]
            None if args is None else glue_pip_args(args), namespace
        )


def glue_pip_args(argv: Sequence[str]) -> list[str]:
    """Join each ``--pip-arg`` to the word after it (up to a ``--``)."""
    glued: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            glued += [word, *words]
        elif word == _PIP_ARG:
            value = next(words, None)
            glued.append(word if value is None else f"{word}={value}")
        else:
            glued.append(word)
    return glued


def add_pip_args(parser: argparse.ArgumentParser, what: str) -> argparse.ArgumentParser:
    """Add the repeatable ``--pip-arg ARG`` option to a command's parser."""
    parser.add_argument(
        _PIP_ARG,
        dest="pip_args",
        action="append",
        default=[],
        metavar="ARG",
        help=f"pass ARG to '{what}' (repeatable), e.g. --pip-arg --no-index --pip-arg --find-links --pip-arg DIR",
    )
    # cliff builds the parser; a subclass of its class is the one way to see the words first.
    parser.__class__ = type(type(parser).__name__, (_GluedPipArgs, type(parser)), {})
    return parser


def run_pip(app: App, verb: str, packages: Sequence[str], pip_args: Sequence[str] = ()) -> None:
    """Run ``pip VERB`` in this interpreter, its output on stderr.

    :raises MyappError: pip failed; pip's messages above say why.
    """
    options = [*_PIP_OPTIONS, *(["--quiet"] if app.options.verbose_level == 0 else [])]
    if verb == "uninstall":
        options.append("--yes")
    command = [sys.executable, "-m", "pip", verb, *options, *pip_args, *packages]
    LOG.info("running %s", shlex.join(command))
    status = _run_with_output_on_stderr(app, command)
    if status != 0:
        names = ", ".join(f"'{package}'" for package in packages)
        raise MyappError(f"pip could not {verb} {names} (exit status {status})", hint="pip's messages above say why")


def _run_with_output_on_stderr(app: App, command: list[str]) -> int:
    import subprocess

    app.stderr.flush()
    try:
        stderr = app.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it): pass the text on
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        app.stderr.write(result.stdout + result.stderr)
        return result.returncode
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, check=False).returncode


def refresh(app: App) -> None:
    """See what pip changed: drop the entry-point cache, then index and select plugins again."""
    import importlib

    assert app.config is not None
    importlib.invalidate_caches()
    # The cache key includes the drop-in folders, which App._load_index appended to sys.path.
    folders = [str(path) for path in app.config["plugin_paths"] if str(path) in sys.path]
    discard_cache(app.identity.namespace_prefix, app._cache_dir(), app._path, folders)
    app.refresh_plugins()


# -- install and uninstall ------------------------------------------------------------------------------------------


def provisions(app: App) -> set[tuple[str, str, str]]:
    """``(kind, name, plugin)`` of every command and hook the installed plugins register."""
    found: set[tuple[str, str, str]] = set()
    for plugin in installed_plugins(app):
        commands, events = plugin.provides(app.identity)
        found.update(("command", command, plugin.name) for command in commands)
        found.update(("hook", event, plugin.name) for event in events)
    return found


def changes(before: set[tuple[str, str, str]], after: set[tuple[str, str, str]]) -> list[_Row]:
    """Rows of what appeared and disappeared, by plugin, kind and name."""
    rows = [("added", *item) for item in after - before] + [("removed", *item) for item in before - after]
    return sorted(rows, key=lambda row: (normalize_name(row[3]), row[1], row[2], row[0]))


class _PipCommand(Lister):
    """Shared by install and uninstall: run pip, then list what changed."""

    verb = ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("packages", nargs="+", metavar="PKG", help=f"what pip should {self.verb}")
        return add_pip_args(parser, f"pip {self.verb}")

    def check(self, app: App, packages: list[str]) -> None:
        """Refuse what must not be done, before pip runs."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[_Row]]:
        app = _app(self)
        self.check(app, parsed_args.packages)
        before = provisions(app)
        run_pip(app, self.verb, parsed_args.packages, parsed_args.pip_args)
        refresh(app)
        rows = changes(before, provisions(app))
        if not rows:
            LOG.info("no command or hook appeared or disappeared")
        return CHANGE_COLUMNS, rows


class PluginInstall(_PipCommand):
    """Install plugins with pip and list the commands and hooks that appeared.

    PKG is anything pip accepts: a name, name==version, a wheel file or a URL.
    """

    verb = "install"


class PluginUninstall(_PipCommand):
    """Uninstall plugins with pip and list the commands and hooks that disappeared."""

    verb = "uninstall"

    def check(self, app: App, packages: list[str]) -> None:
        """Refuse to remove the tool itself or pip, which these commands need."""
        needed = {
            normalize_name(app.identity.distribution): "it is this tool itself",
            "pip": f"{app.NAME} needs it to install and uninstall plugins",
        }
        for package in packages:
            reason = needed.get(requirement_name(package))
            if reason:
                raise UsageError(
                    f"refusing to uninstall '{package}': {reason}",
                    hint=f"to remove it anyway, run: {shlex.join([sys.executable, '-m', 'pip', 'uninstall', package])}",
                )


def requirement_name(requirement: str) -> str:
    """The normalized distribution name of ``name``, ``name==1.0``, ``name @ url`` ..."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return normalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return normalize_name(requirement)


# -- freeze ---------------------------------------------------------------------------------------------------------


def is_enabled(plugin: Plugin) -> bool:
    """Whether the configuration lets the plugin run (a broken plugin is still enabled)."""
    return plugin.verdict.state not in _DISABLED


def recorded_source(location: str) -> str | None:
    """Where pip installed a distribution from, as a URL for ``name @ URL``, if pip recorded it (PEP 610)."""
    import importlib.metadata
    import json

    text = importlib.metadata.Distribution.at(location).read_text("direct_url.json")
    if not text:
        return None
    try:
        record = json.loads(text)
        url, vcs = str(record["url"]), record.get("vcs_info")
        return f"{vcs['vcs']}+{url}@{vcs['commit_id']}" if vcs else url
    except (ValueError, KeyError, TypeError) as error:
        LOG.warning("%s/direct_url.json is unreadable (%s); the plugin set has no source for it", location, error)
        return None


def freeze(app: App, plugins: Iterable[Plugin]) -> str:
    """The plugin set of *plugins*, as TOML text."""
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment(f"{app.NAME} plugin set, written by '{app.NAME} plugin freeze'"))
    entries = {plugin.name: _entry(plugin) for plugin in plugins}
    table = tomlkit.table(is_super_table=bool(entries))  # "[plugins]" only when it would be empty
    for name, entry in entries.items():
        table[name] = entry
    document["plugins"] = table
    return document.as_string()


def _entry(plugin: Plugin) -> tomlkit.items.Table:
    import tomlkit

    entry = tomlkit.table()
    entry["version"] = plugin.distribution.version
    entry["enabled"] = is_enabled(plugin)
    source = recorded_source(plugin.distribution.location)
    if source:
        entry["source"] = source
    return entry


class PluginFreeze(Command):
    """Write the installed plugins, their exact versions and states as a plugin set (TOML).

    A comment line, then one table per plugin in name order; 'plugin sync FILE'
    reads it back:

        [plugins.example-plugin]
        version = "1.2.0"
        enabled = true
        source = "file:///wheels/example_plugin-1.2.0-py3-none-any.whl"

    version is the exact installed version; enabled is false when the
    configuration keeps the plugin from running (disable_plugins,
    only_plugins, a profile). source is there only when pip recorded where
    the plugin came from (a wheel, a folder or a VCS URL: direct_url.json);
    sync then installs 'name @ source' rather than 'name==version'. Drop-in
    plugins are left out, as pip does not manage them; a set with no plugins
    is an empty [plugins] table.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--output", "-o", metavar="FILE", type=Path, help="write FILE (atomically), not stdout")
        # Keep the example above as it is in --help.
        parser.formatter_class = _keeping_layout(parser.formatter_class)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        app = _app(self)
        text = freeze(app, [plugin for plugin in installed_plugins(app) if not plugin.distribution.is_drop_in])
        if parsed_args.output is None:
            app.stdout.write(text)
        else:
            _write(parsed_args.output, text)
        return 0


def _keeping_layout(formatter: Any) -> Any:
    """*formatter* (cliff's), printing the description as written rather than refilled."""
    return type("RawDescription", (argparse.RawDescriptionHelpFormatter, formatter), {})


def _write(path: Path, text: str) -> None:
    from .._files import write_atomic

    try:
        write_atomic(path, text, durable=True, mode=0o644)
    except OSError as error:
        raise MyappError(f"cannot write '{path}' ({error.strerror or error})") from error


# -- sync -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PinnedPlugin:
    """One plugin of a plugin set."""

    name: str
    version: str
    enabled: bool = True
    source: str | None = None

    @property
    def key(self) -> str:
        """The normalized name, for comparisons."""
        return normalize_name(self.name)

    @property
    def requirement(self) -> str:
        """What pip installs: ``name @ source`` when there is a source, else ``name==version``."""
        return f"{self.name} @ {self.source}" if self.source else f"{self.name}=={self.version}"


#: The keys of a plugin's table and the type of each value.
_FIELDS: Final = {"version": str, "enabled": bool, "source": str}
_TYPE_NAMES: Final = {str: "a string", bool: "true or false"}


def read_plugin_set(path: Path) -> list[PinnedPlugin]:
    """The plugins a plugin set file lists.

    :raises ConfigError: the file cannot be read, is not TOML, or is not a plugin set.
    """
    text = _read_text(path)
    document = _parse(path, text)
    if "plugins" not in document:
        raise ConfigError(f"{path}: no [plugins] table; is this a plugin set?", path=path)
    plugins = document["plugins"]
    if not isinstance(plugins, dict):
        raise _invalid(path, text, "plugins", "'plugins' must be a table")
    return [_pinned(path, text, name, fields) for name, fields in plugins.items()]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot be read ({reason})", path=path) from error


def _parse(path: Path, text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _error_position(str(error), text)
        reason = _POSITION.sub("", str(error)).strip()
        raise ConfigError(
            f"{path}:{line}:{column}: {reason[:1].lower()}{reason[1:]}",
            hint="fix the file; nothing was changed",
            path=path,
            line=line,
        ) from None


def _pinned(path: Path, text: str, name: str, fields: object) -> PinnedPlugin:
    key = f"plugins.{name}"
    if not _NAME.match(name):
        raise _invalid(path, text, key, f"'{name}' is not a valid distribution name")
    if not isinstance(fields, dict):
        raise _invalid(path, text, key, f"'{key}' must be a table")
    for unknown in sorted(fields.keys() - _FIELDS.keys()):
        LOG.warning("%s:%d: unknown key '%s.%s' ignored", path, _line_of(text, f"{key}.{unknown}"), key, unknown)
    for field, kind in _FIELDS.items():
        if field in fields and not isinstance(fields[field], kind):
            raise _invalid(path, text, f"{key}.{field}", f"'{key}.{field}' must be {_TYPE_NAMES[kind]}")
    if "version" not in fields:
        raise _invalid(path, text, key, f"'{key}' has no version; add one, like version = \"1.0\"")
    if not _is_version(fields["version"]):
        raise _invalid(path, text, f"{key}.version", f"'{fields['version']}' is not a version pip understands")
    return PinnedPlugin(name, fields["version"], fields.get("enabled", True), fields.get("source"))


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _invalid(path: Path, text: str, key: str, problem: str) -> ConfigError:
    line = _line_of(text, key)
    return ConfigError(f"{path}:{line}: {problem}", path=path, line=line)


def plan(installed: Iterable[Plugin], wanted: Sequence[PinnedPlugin]) -> tuple[list[PinnedPlugin], list[Plugin]]:
    """What to install (missing, or another version) and what to uninstall (not in the set)."""
    have = {plugin.distribution.key: plugin for plugin in installed}
    install = [w for w in wanted if w.key not in have or not same_version(have[w.key].distribution.version, w.version)]
    keys = {w.key for w in wanted}
    uninstall = [p for p in have.values() if p.distribution.key not in keys and not p.distribution.is_drop_in]
    return install, uninstall


def same_version(installed: str, pinned: str) -> bool:
    """Whether two versions are equal as pip compares them (``1.0`` is ``1.0.0``)."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


def set_enabled(document: tomlkit.TOMLDocument, name: str, enabled: bool) -> bool:
    """Enable or disable *name* in a config document as ``plugin enable``/``disable`` do; whether it changed."""
    before = document.as_string()
    if not enabled:
        add_name(document, "disable_plugins", name)
    else:
        remove_name(document, "disable_plugins", name)
        if "only_plugins" in document:
            add_name(document, "only_plugins", name)
    return document.as_string() != before


class PluginSync(Lister):
    """Make the installed plugins, their versions and states match a plugin set file.

    Installs what is missing or of another version, uninstalls plugins the
    file does not list, and enables or disables plugins in the user config
    file. Lists each change; nothing when there was nothing to do.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("file", type=Path, metavar="FILE", help="a plugin set, as 'plugin freeze' writes it")
        return add_pip_args(parser, "pip install")

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[_Row]]:
        app = _app(self)
        try:
            wanted = read_plugin_set(parsed_args.file)
        except ConfigError as error:
            error.hint = error.hint or f"'{app.NAME} plugin freeze --help' shows the format"
            raise
        before = {plugin.distribution.key: plugin for plugin in installed_plugins(app)}
        install, uninstall = plan(before.values(), wanted)
        if install:
            run_pip(app, "install", [w.requirement for w in install], parsed_args.pip_args)
        if uninstall:
            run_pip(app, "uninstall", [plugin.name for plugin in uninstall])
        if install or uninstall:
            refresh(app)
        rows = [_installed_row(w, before.get(w.key)) for w in install]
        rows += [("uninstalled", plugin.name, plugin.distribution.version) for plugin in uninstall]
        return SYNC_COLUMNS, rows + switch_states(app, wanted)


def _installed_row(pinned: PinnedPlugin, previous: Plugin | None) -> _Row:
    was = f"{previous.distribution.version} -> " if previous is not None else ""
    return ("installed", pinned.name, f"{was}{pinned.version}")


def switch_states(app: App, wanted: Sequence[PinnedPlugin]) -> list[_Row]:
    """Enable or disable plugins in the user config file as *wanted* says; a row for each change."""
    current = {plugin.distribution.key: plugin for plugin in installed_plugins(app)}
    mismatched = [w for w in wanted if w.key in current and is_enabled(current[w.key]) != w.enabled]
    rows: list[_Row] = []
    if mismatched:
        path = user_config_file(app.identity)
        switched: list[PinnedPlugin] = []
        edit_config(path, _switcher(mismatched, switched))
        app.refresh_plugins()
        rows = [("enabled" if w.enabled else "disabled", w.name, f"in {path}") for w in switched]
    _warn_about_differences(app, wanted)
    return rows


def _switcher(plugins: list[PinnedPlugin], switched: list[PinnedPlugin]) -> Callable[[tomlkit.TOMLDocument], None]:
    def change(document: tomlkit.TOMLDocument) -> None:
        switched.extend(w for w in plugins if set_enabled(document, w.name, w.enabled))

    return change


def _warn_about_differences(app: App, wanted: Iterable[PinnedPlugin]) -> None:
    """A warning for each plugin that still differs from the set: something else decides it."""
    current = {plugin.distribution.key: plugin for plugin in installed_plugins(app)}
    for pinned in wanted:
        plugin = current.get(pinned.key)
        if plugin is None:
            LOG.warning("'%s' is in the plugin set but no installed plugin has that name", pinned.name)
        elif not same_version(plugin.distribution.version, pinned.version):
            LOG.warning("plugin '%s' is %s, not %s", plugin.name, plugin.distribution.version, pinned.version)
        elif is_enabled(plugin) != pinned.enabled:
            verdict = plugin.verdict
            LOG.warning("plugin '%s' is still %s: %s", plugin.name, verdict.state.value, verdict.reason)
