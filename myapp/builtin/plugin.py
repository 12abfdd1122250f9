"""``plugin list``, ``show``, ``check``, ``enable`` and ``disable``: see and control plugins."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..app import app_of
from ..config.edits import edit_config, remove_name, set_plugin_enabled
from ..config.layers import user_config_file
from ..errors import PluginLoadError, UsageError, did_you_mean
from ..management.checks import ERROR, check_plugins, config_references
from ..plugins.state import Plugin, find_plugin
from ..progressbar import progress
from .records import Record, Records

if TYPE_CHECKING:
    from ..session import Session

#: Field names of ``plugin list -f json``: part of the documented output contract.
LIST_COLUMNS = ("Name", "Version", "Summary", "Commands", "Hooks", "State", "Reason")


def named_plugin(session: Session, name: str) -> Plugin:
    """The installed plugin called *name*.

    :raises UsageError: nothing installed has that name; suggests a close one.
    """
    plugins = session.installed_plugins()
    plugin = find_plugin(plugins, name)
    if plugin is None:
        names = [p.distribution.key for p in plugins]
        raise UsageError(
            did_you_mean(name, names, after=f"no installed plugin is called '{name}'"),
            hint=f"'{session.identity.name} plugin list' shows the installed plugins",
        )
    return plugin


class PluginList(Records):
    """List installed plugins: version, what they provide, and whether they run."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("--verify", action="store_true", help="also import each plugin and report load errors")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], Iterable[tuple[Any, ...]]]:
        app = app_of(self)
        session = app.session
        plugins = session.installed_plugins()
        columns: tuple[str, ...] = LIST_COLUMNS
        seconds: dict[str, float] = {}
        if parsed_args.verify:
            report = check_plugins(session, app, plugins, isolated=True)
            session.plugins.mark_broken(report.broken)
            plugins, seconds = session.installed_plugins(), report.load_seconds
            columns += ("Load time (ms)",)
        rows = []
        for plugin in plugins:
            commands, events = plugin.provides(session.identity)
            state, reason = plugin.verdict.state.value, plugin.verdict.reason
            row: tuple[Any, ...] = (
                plugin.name,
                plugin.distribution.version,
                plugin.distribution.summary,
                commands,
                events,
                state,
                reason,
            )
            if parsed_args.verify:
                load = seconds.get(plugin.name)
                row += ("" if load is None else round(load * 1000, 1),)
            rows.append(row)
        return columns, rows


class PluginShow(Record):
    """Show everything about one plugin: metadata, entry points, state."""

    #: shell completion offers installed plugin names for NAME (see myapp.completion)
    value_completers = {"name": "plugins"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the plugin's distribution name")
        parser.add_argument("--verify", action="store_true", help="also import it and report load errors and time")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        import importlib.metadata

        from ..plugins.blame import home_page

        app = app_of(self)
        session = app.session
        plugin = named_plugin(session, parsed_args.name)
        metadata: Any = {}
        if not plugin.distribution.is_drop_in:
            metadata = importlib.metadata.Distribution.at(plugin.distribution.location).metadata
        fields: dict[str, Any] = {
            "Name": plugin.name,
            "Version": plugin.distribution.version,
            "Summary": plugin.distribution.summary,
            "Author": metadata.get("Author") or metadata.get("Author-email") or "",
            "Home page": home_page(metadata) if metadata else "",
            "License": metadata.get("License") or "",
            "Requires": list(plugin.distribution.requires),
            "Location": plugin.distribution.location,
            "Entry points": [f"{ep.group}: {ep.name} = {ep.value}" for ep in plugin.entry_points],
        }
        if parsed_args.verify:
            report = check_plugins(session, app, [plugin], isolated=True)
            session.plugins.mark_broken(report.broken)
            seconds = report.load_seconds.get(plugin.name)
            fields["Load time (ms)"] = "" if seconds is None else round(seconds * 1000, 1)
        verdict = session.plugins.verdict(plugin.name)
        fields["State"], fields["Reason"] = verdict.state.value, verdict.reason
        return tuple(fields), tuple(fields.values())


class PluginCheck(Records):
    """Import plugins and report every problem; exit 3 when any is broken (a CI gate).

    The installed metadata is read afresh first, so a check also picks up an
    edit made by hand inside an installed ``*.dist-info`` folder (installers
    never make one, so start-up does not look for it).
    """

    #: shell completion offers installed plugin names for NAME (see myapp.completion)
    value_completers = {"names": "plugins"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("names", nargs="*", metavar="NAME", help="only these plugins (default: all)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        app = app_of(self)
        app.refresh_plugins(rescan=True)
        session = app.session
        plugins = [named_plugin(session, name) for name in parsed_args.names] or session.installed_plugins()
        report = check_plugins(
            session, app, plugins, progress=progress(plugins, description="checking plugins"), isolated=True
        )
        problems = report.problems
        if not parsed_args.names:
            problems += config_references(session)
        self.failed = any(problem.severity == ERROR for problem in problems)
        self.rows: list[tuple[str, ...]] = [(p.plugin, p.entry_point, p.severity, p.problem) for p in problems]
        return ("Plugin", "Entry point", "Severity", "Problem"), self.rows

    def run(self, parsed_args: argparse.Namespace) -> int:
        status = super().run(parsed_args)
        app = app_of(self)
        if not self.rows and app.options.verbose_level > 0:
            app.stderr.write("no problems found\n")
        if self.failed:
            raise self._failure(app.NAME)
        return status

    def _failure(self, tool: str) -> PluginLoadError:
        """The error that makes the check exit 3: the table on stdout has the details, stderr says it failed."""
        broken = sorted({plugin for plugin, _, severity, _ in self.rows if severity == ERROR})
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        shown = ", ".join(f"'{name}'" for name in broken[:3]) + more
        plural = "s" if len(broken) > 1 else ""
        return PluginLoadError(
            f"plugin check found errors in {len(broken)} plugin{plural}: {shown}",
            distribution=broken[0],
            entry_point="",
            namespace="",
            hint=f"the table lists each problem; fix or reinstall the plugin{plural}, "
            f"or skip one with '--disable-plugin NAME' ('{tool} plugin disable NAME' for good)",
        )


#: Field names of ``plugin enable`` and ``plugin disable``.
_COLUMNS = ("Name", "State", "Reason", "Config file", "Changed")


class _Switch(Record):
    """Shared by enable and disable: edit the user config file, then report the new state."""

    #: whether the command enables the plugin or disables it
    enabled = True
    #: shell completion offers installed plugin names for NAME (see myapp.completion)
    value_completers = {"name": "plugins"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the plugin's distribution name")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        app = app_of(self)
        path = user_config_file(app.identity)
        try:
            plugin = named_plugin(app.session, parsed_args.name)
        except UsageError:
            if self.enabled and _forget_disabled(app.NAME, path, parsed_args.name):
                return _COLUMNS, (parsed_args.name, "not installed", "removed from disable_plugins", str(path), True)
            raise
        changed = edit_config(
            path, lambda document: set_plugin_enabled(document, plugin.name, self.enabled), tool=app.NAME
        )
        app.refresh_plugins()
        verdict = app.session.plugins.verdict(plugin.name)
        return _COLUMNS, (
            plugin.name,
            verdict.state.value,
            verdict.reason,
            str(path),
            changed,
        )


def _forget_disabled(tool: str, path: Path, name: str) -> bool:
    """Take *name*, a plugin uninstalled since it was disabled, out of the file's ``disable_plugins``.

    :returns: whether the file listed it.
    """
    if not path.exists():
        return False
    return edit_config(path, lambda document: remove_name(document, "disable_plugins", name), tool=tool)


class PluginDisable(_Switch):
    """Disable a plugin in the user config file: its code is never imported."""

    enabled = False


class PluginEnable(_Switch):
    """Enable a plugin in the user config file (and add it to the allow-list, if there is one)."""

    enabled = True
