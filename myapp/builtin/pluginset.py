"""``plugin install``, ``uninstall``, ``freeze`` and ``sync``: change which plugins are installed.

pip runs as :mod:`myapp.management.pip` runs it: its messages go to stderr as they
come, and stdout keeps the data: what appeared or disappeared, or what a sync
did. A *plugin set* (:mod:`myapp.management.pluginsets`) is a TOML file listing plugins
with exact versions and whether each runs; ``plugin freeze`` writes one and
``plugin sync`` makes an environment match it (format: :class:`PluginFreeze`).

``plugin sync`` and ``plugin uninstall`` take ``--dry-run`` (print the plan,
change nothing) and, on a terminal, show the plan and ask before they
uninstall anything (:func:`confirm`) unless given ``--yes``. Off a terminal
they never ask: scripts run as before.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cliff.command import Command

from ..app import app_of
from ..config.edits import edit_config, set_plugin_enabled
from ..config.layers import user_config_file
from ..console import is_terminal
from ..errors import ConfigError, MyappError, UsageError
from ..index.records import normalize_name
from ..management.pip import add_pip_args, requirement_name, run_pip
from ..management.pluginsets import (
    PinnedPlugin,
    SyncPlan,
    allows,
    freeze,
    is_enabled,
    plan,
    read_plugin_set,
    same_version,
    version_change,
)
from ..plugins.state import Plugin
from ..progressbar import Progress
from .plugin import named_plugin
from .records import Records

if TYPE_CHECKING:
    import tomlkit

    from ..app import App

LOG = logging.getLogger(__name__)

#: Columns of ``plugin install`` and ``plugin uninstall``.
CHANGE_COLUMNS: Final = ("Change", "Kind", "Name", "Plugin")
#: Columns of ``plugin sync``.
SYNC_COLUMNS: Final = ("Action", "Plugin", "Detail")

_Row = tuple[str, ...]


# -- install and uninstall ------------------------------------------------------------------------------------------


def provisions(app: App, leaving_out: Collection[str] = ()) -> set[tuple[str, str, str]]:
    """``(kind, name, plugin)`` of every command and hook the installed plugins register.

    :param leaving_out: normalized names of plugins to pass over (as if uninstalled).
    """
    found: set[tuple[str, str, str]] = set()
    for plugin in app.session.installed_plugins():
        if plugin.distribution.key in leaving_out:
            continue
        commands, events = plugin.provides(app.identity)
        found.update(("command", command, plugin.name) for command in commands)
        found.update(("hook", event, plugin.name) for event in events)
    return found


def changes(before: set[tuple[str, str, str]], after: set[tuple[str, str, str]]) -> list[_Row]:
    """Rows of what appeared and disappeared, by plugin, kind and name."""
    rows = [("added", *item) for item in after - before] + [("removed", *item) for item in before - after]
    return sorted(rows, key=lambda row: (normalize_name(row[3]), row[1], row[2], row[0]))


class _PipCommand(Records):
    """Shared by install and uninstall: run pip, then list what changed."""

    verb = ""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("packages", nargs="+", metavar="PKG", help=f"what pip should {self.verb}")
        return add_pip_args(parser, f"pip {self.verb}")

    def check(self, app: App, packages: list[str]) -> None:
        """Refuse what must not be done, before pip runs."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[_Row]]:
        app = app_of(self)
        self.check(app, parsed_args.packages)
        before = provisions(app)
        planned = self.plan_only(app, parsed_args, before)
        if planned is not None:
            return CHANGE_COLUMNS, planned
        with Progress(f"pip {self.verb} {' '.join(parsed_args.packages)}") as bar:
            # On a terminal the bar says pip is at work; pip's own lines would break it (errors still show).
            pip_args = [*parsed_args.pip_args, *(["--quiet"] if bar.is_drawn else [])]
            run_pip(app.stderr, self.verb, parsed_args.packages, pip_args, quiet=_is_quiet(app))
            bar.advance()
        app.refresh_plugins(rescan=True)
        rows = changes(before, provisions(app))
        if not rows:
            LOG.info("no command or hook appeared or disappeared")
        return CHANGE_COLUMNS, rows

    def plan_only(
        self, app: App, parsed_args: argparse.Namespace, before: set[tuple[str, str, str]]
    ) -> list[_Row] | None:
        """The rows to print instead of running pip (``--dry-run``), or ``None`` to run it.

        :param before: what the installed plugins provide now (see :func:`provisions`).
        """
        return None


class PluginInstall(_PipCommand):
    """Install plugins with pip and list the commands and hooks that appeared.

    PKG is anything pip accepts: a name, name==version, a wheel file or a URL.
    """

    verb = "install"


class PluginUninstall(_PipCommand):
    """Uninstall plugins with pip and list the commands and hooks that disappeared.

    On a terminal it lists what would disappear and asks first, unless given
    --yes; off a terminal it never asks. --dry-run only lists it.
    """

    verb = "uninstall"

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        return add_plan_options(super().get_parser(prog_name), "uninstall")

    def plan_only(
        self, app: App, parsed_args: argparse.Namespace, before: set[tuple[str, str, str]]
    ) -> list[_Row] | None:
        """What would disappear, with ``--dry-run``; else ``None``, once the user said yes on a terminal."""
        leaving = {requirement_name(package) for package in parsed_args.packages}
        planned = [("remove", *row[1:]) for row in changes(before, provisions(app, leaving_out=leaving))]
        if parsed_args.dry_run:
            return planned
        confirm(app, parsed_args, planned, f"uninstall {', '.join(parsed_args.packages)}")
        return None

    def check(self, app: App, packages: list[str]) -> None:
        """Refuse to remove anything but installed plugins: the tool, pip and what the tool needs to run above all."""
        plugins = {plugin.distribution.key for plugin in app.session.installed_plugins()}
        for package in packages:
            name = requirement_name(package)
            if name in plugins and name != normalize_name(app.identity.distribution):
                continue
            reason = _needed_by_the_tool(app).get(name)
            if reason is None and not _is_installed(name):
                named_plugin(app.session, package)  # raises: no installed plugin has that name
            raise UsageError(
                f"refusing to uninstall '{package}': {reason or f'it is not a {app.NAME} plugin'}",
                hint=f"to remove it anyway, run: {shlex.join([sys.executable, '-m', 'pip', 'uninstall', package])}",
            )


def _needed_by_the_tool(app: App) -> dict[str, str]:
    """The distributions the tool cannot lose, by normalized name, with the reason."""
    needed = {name: f"{app.NAME} needs it to run" for name in map(requirement_name, _requirements(app))}
    needed["pip"] = f"{app.NAME} needs it to install and uninstall plugins"
    needed[normalize_name(app.identity.distribution)] = "it is this tool itself"
    return needed


def _requirements(app: App) -> list[str]:
    """What the tool's distribution requires, for every environment marker that holds here."""
    from importlib import metadata

    from packaging.requirements import Requirement

    try:
        requirements = metadata.requires(app.identity.distribution) or []
    except metadata.PackageNotFoundError:  # a tool run from a source tree
        return []
    return [text for text in requirements if (marker := Requirement(text).marker) is None or marker.evaluate()]


def _is_installed(name: str) -> bool:
    """Whether a distribution called *name* is installed (pip would find it to remove)."""
    from importlib import metadata

    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


# -- freeze ---------------------------------------------------------------------------------------------------------


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
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        app = app_of(self)
        installed = app.session.installed_plugins()
        text = freeze(app.NAME, [plugin for plugin in installed if not plugin.distribution.is_drop_in])
        if parsed_args.output is None:
            app.stdout.write(text)
        else:
            _write(parsed_args.output, text)
        return 0


def _write(path: Path, text: str) -> None:
    from .._files import write_atomic

    try:
        write_atomic(path, text, durable=True, mode=0o644)
    except OSError as error:
        raise MyappError(f"cannot write '{path}' ({error.strerror or error})") from error


# -- sync -----------------------------------------------------------------------------------------------------------


class PluginSync(Records):
    """Make the installed plugins, their versions and states match a plugin set file.

    Installs what is missing or of another version, uninstalls plugins the
    file does not list, and enables or disables plugins in the user config
    file. Lists each change; nothing when there was nothing to do.

    On a terminal it shows the plan and asks before uninstalling anything,
    unless given --yes; off a terminal it never asks. --dry-run lists the plan
    (install, upgrade, downgrade, uninstall, enable, disable) and changes nothing.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("file", type=Path, metavar="FILE", help="a plugin set, as 'plugin freeze' writes it")
        return add_pip_args(add_plan_options(parser, "sync"), "pip install")

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[_Row]]:
        app = app_of(self)
        try:
            wanted = read_plugin_set(parsed_args.file)
        except ConfigError as error:
            error.hint = error.hint or f"'{app.NAME} plugin freeze --help' shows the format"
            raise
        before = {plugin.distribution.key: plugin for plugin in app.session.installed_plugins()}
        todo = plan(before.values(), wanted, lambda name: allows(app.session.plugins.verdict(name)))
        planned = plan_rows(todo, before, user_config_file(app.identity))
        if parsed_args.dry_run:
            return SYNC_COLUMNS, planned
        if todo.uninstall:
            confirm(app, parsed_args, planned, f"uninstall {', '.join(plugin.name for plugin in todo.uninstall)}")
        install, uninstall = todo.install, todo.uninstall
        if install:
            run_pip(app.stderr, "install", [w.requirement for w in install], parsed_args.pip_args, quiet=_is_quiet(app))
        if uninstall:
            run_pip(app.stderr, "uninstall", [plugin.name for plugin in uninstall], quiet=_is_quiet(app))
        if install or uninstall:
            app.refresh_plugins(rescan=True)
        rows = [_installed_row(w, before.get(w.key)) for w in install]
        rows += [("uninstalled", plugin.name, plugin.distribution.version) for plugin in uninstall]
        return SYNC_COLUMNS, rows + switch_states(app, wanted)


def plan_rows(todo: SyncPlan, installed: Mapping[str, Plugin], config_file: Path) -> list[_Row]:
    """The rows of ``plugin sync --dry-run``: each step of *todo*, in the order a sync takes them.

    :param installed: the installed plugins by normalized name.
    """
    rows: list[_Row] = []
    for pinned in todo.install:
        previous = installed.get(pinned.key)
        old = previous.distribution.version if previous is not None else None
        detail = f"{old} -> {pinned.version}" if old is not None else pinned.version
        rows.append((version_change(old, pinned.version), pinned.name, detail))
    rows += [("uninstall", plugin.name, plugin.distribution.version) for plugin in todo.uninstall]
    rows += [("enable" if w.enabled else "disable", w.name, f"in {config_file}") for w in todo.switch]
    return rows


def _installed_row(pinned: PinnedPlugin, previous: Plugin | None) -> _Row:
    was = f"{previous.distribution.version} -> " if previous is not None else ""
    return ("installed", pinned.name, f"{was}{pinned.version}")


def switch_states(app: App, wanted: Sequence[PinnedPlugin]) -> list[_Row]:
    """Enable or disable plugins in the user config file as *wanted* says; a row for each change."""
    current = {plugin.distribution.key: plugin for plugin in app.session.installed_plugins()}
    mismatched = [w for w in wanted if w.key in current and is_enabled(current[w.key]) != w.enabled]
    rows: list[_Row] = []
    if mismatched:
        path = user_config_file(app.identity)
        switched: list[PinnedPlugin] = []
        edit_config(path, _switcher(mismatched, switched), tool=app.NAME)
        app.refresh_plugins()
        rows = [("enabled" if w.enabled else "disabled", w.name, f"in {path}") for w in switched]
    _warn_about_differences(app, wanted)
    return rows


def _switcher(plugins: list[PinnedPlugin], switched: list[PinnedPlugin]) -> Callable[[tomlkit.TOMLDocument], None]:
    def change(document: tomlkit.TOMLDocument) -> None:
        switched.extend(w for w in plugins if set_plugin_enabled(document, w.name, w.enabled))

    return change


def _warn_about_differences(app: App, wanted: Iterable[PinnedPlugin]) -> None:
    """A warning for each plugin that still differs from the set: something else decides it."""
    current = {plugin.distribution.key: plugin for plugin in app.session.installed_plugins()}
    for pinned in wanted:
        plugin = current.get(pinned.key)
        if plugin is None:
            LOG.warning("'%s' is in the plugin set but no installed plugin has that name", pinned.name)
        elif not same_version(plugin.distribution.version, pinned.version):
            LOG.warning("plugin '%s' is %s, not %s", plugin.name, plugin.distribution.version, pinned.version)
        elif is_enabled(plugin) != pinned.enabled:
            verdict = plugin.verdict
            LOG.warning("plugin '%s' is still %s: %s", plugin.name, verdict.state.value, verdict.reason)


def _is_quiet(app: App) -> bool:
    """Whether ``-q`` was given (pip is then quiet too)."""
    return bool(app.options.verbose_level == 0)


# -- asking first ---------------------------------------------------------------------------------------------------


def add_plan_options(parser: argparse.ArgumentParser, verb: str) -> argparse.ArgumentParser:
    """Add ``--dry-run`` and ``--yes`` to the parser of a command that may uninstall plugins."""
    parser.add_argument("--dry-run", action="store_true", help=f"list what {verb} would do, and change nothing")
    parser.add_argument(
        "--yes", "-y", action="store_true", help="do not ask before uninstalling (off a terminal it never asks)"
    )
    return parser


def confirm(app: App, parsed_args: argparse.Namespace, plan: Sequence[_Row], action: str) -> None:
    """Show *plan* on a terminal and ask before *action*; go on at once off a terminal or with ``--yes``.

    The plan and the question go to stderr, the answer comes from stdin: both
    must be a terminal. Anything but ``y`` or ``yes`` (Enter, end of input) is no.

    :raises MyappError: the answer was no; nothing has been changed (exit 1).
    """
    if parsed_args.yes or not (is_terminal(app.stdin) and is_terminal(app.stderr)):
        return
    widths = [max(len(str(row[column])) for row in plan) for column in range(len(plan[0]))] if plan else []
    for row in plan:
        cells = (f"{cell!s:<{width}}" for cell, width in zip(row, widths, strict=True))
        app.stderr.write(f"  {'  '.join(cells).rstrip()}\n")
    app.stderr.write(f"{action}? [y/N] ")
    app.stderr.flush()
    answer = app.stdin.readline()
    if not answer.endswith("\n"):
        app.stderr.write("\n")  # end of input: what follows starts on a line of its own
    if answer.strip().lower() not in ("y", "yes"):
        raise MyappError(
            "nothing was changed: the answer was not yes",
            hint="pass --yes not to be asked, or --dry-run to see the plan only",
        )
