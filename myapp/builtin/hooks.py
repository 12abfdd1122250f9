"""``hooks list``, ``hooks run`` and ``hooks init``: see, try and set up hooks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from cliff.command import Command

from .._files import MissingHomeError, foreign_owner, make_folders
from ..app import app_of
from ..errors import ConfigError, ExitCode, UsageError, shown
from ..hooks.context import INITIALIZE, POST_COMMAND, PRE_COMMAND, HookContext, command_event
from ..hooks.order import HookOrderError, PlacedHook
from ..hooks.scripts import events_with_scripts, script_candidates
from ..index.names import unsafe_name_problem
from ..management.checks import unknown_event_problem
from .records import Records

if TYPE_CHECKING:
    from ..app import App
    from ..hooks.runner import HookRunner

#: The events ``hooks init`` writes a template for.
GLOBAL_EVENTS: Final = (INITIALIZE, PRE_COMMAND, POST_COMMAND)

_TEMPLATE: Final = """\
#!/bin/sh
# {tool} runs this script at the '{event}' event, once it is executable:
#     chmod +x {path}
#
# It gets the context in environment variables:
#   {prefix}EVENT      the event, '{event}'
#   {prefix}COMMAND    the command being run, e.g. 'hello' (empty for initialize)
#   {prefix}ARGV       the command line as a JSON list
#   {prefix}EXIT_CODE  the command's exit status (post events only)
#
# Before a command, a non-zero exit status stops the command ({tool} exits 4).
# A file named '{event}.py' instead runs with {tool}'s own Python.

"""


def _event(command: Command, typed: str) -> str:
    """The event name typed, checked: one that could be read as a path names no event (and no script)."""
    problem = unsafe_name_problem(typed)
    if problem:
        tool = app_of(command).NAME
        raise UsageError(f"{shown(typed)} is not an event name: it {problem}", hint=f"'{tool} hooks list' lists them")
    return typed


def _runner(command: Command) -> HookRunner:
    runner = app_of(command).hooks
    assert runner is not None, "hooks are set up before any command runs"
    return runner


class HooksList(Records):
    """List hooks by event, in the order they run, and why each stands there."""

    #: shell completion offers hook event names for EVENT (see myapp.completion)
    value_completers = {"event": "events"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("event", nargs="?", help="only this event, e.g. 'pre_command' or 'post_hello'")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], Iterable[tuple[Any, ...]]]:
        columns = ("Event", "Order", "Hook", "Kind", "Distribution", "Priority", "Placed by", "State")
        events = [_event(self, parsed_args.event)] if parsed_args.event else self._known_events()
        return columns, [row for event in events for row in self._rows(event)]

    def _known_events(self) -> list[str]:
        app, directory = app_of(self), _runner(self).script_directory
        prefix = app.identity.hook_namespace("")
        events = {group[len(prefix) :] for group in app.session.index.groups() if group.startswith(prefix)}
        return sorted(events | (events_with_scripts(directory) if directory else set()))

    def _rows(self, event: str) -> list[tuple[Any, ...]]:
        app, runner = app_of(self), _runner(self)
        rows: list[tuple[Any, ...]] = []
        placed_hooks, cycle = _placed_hooks(runner, event)
        for placed in placed_hooks:
            hook = placed.hook
            if hook.error:
                state = f"broken: {hook.error.message}"
            elif hook.label in cycle:
                state = f"cycle: {' -> '.join(cycle)}"
            else:
                state = "enabled"
            order = "" if cycle else len(rows) + 1
            rows.append(
                (event, order, hook.label, "python", hook.distribution, hook.order.priority, placed.reason, state)
            )
        for entry_point in app.session.index.entry_points(app.identity.hook_namespace(event)):
            if not runner.is_allowed(entry_point):
                label = f"{entry_point.distribution}:{entry_point.name}"
                rows.append((event, "", label, "python", entry_point.distribution, "", "", "disabled"))
        directory = runner.script_directory
        for path, problem in script_candidates(directory, event) if directory else ():
            order = "" if problem or cycle else len(rows) + 1
            rows.append(
                (event, order, f"script:{path.name}", "script", "", "", "after Python hooks", problem or "enabled")
            )
        return rows


def _placed_hooks(runner: HookRunner, event: str) -> tuple[list[PlacedHook], tuple[str, ...]]:
    """The event's Python hooks in running order, and no cycle; or, when their constraints form one, unordered.

    Listing never fails: hooks that cannot be ordered are shown with the cycle
    (firing the event still fails closed).
    """
    try:
        return runner.python_hooks(event), ()
    except HookOrderError as error:
        reason = "not ordered: the constraints form a cycle"
        return [PlacedHook(hook, reason) for hook in runner.loaded_hooks(event)], error.cycle


class HooksRun(Command):
    """Fire one event's hooks now and trace each one (for hook authors)."""

    #: shell completion offers hook event names for EVENT (see myapp.completion)
    value_completers = {"event": "events"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("event", help="the event to fire, e.g. 'pre_hello'")
        parser.add_argument("argv", nargs=argparse.REMAINDER, help="the command line the hooks should see")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        event = _event(self, parsed_args.event)
        commands = list(app_of(self).command_manager.commands)
        problem = unknown_event_problem(event, commands, consequence="")
        if problem:
            raise UsageError(problem, hint=f"'{app_of(self).NAME} hooks list' lists the events that have hooks")
        command_name = _command_of(event, commands)
        argv = tuple(parsed_args.argv[1:] if parsed_args.argv[:1] == ["--"] else parsed_args.argv)
        context = HookContext(event, app_of(self), command_name, argv, argparse.Namespace())
        if event.startswith("post_"):
            context.exit_code = 0

        def trace(line: str) -> None:
            sys.stderr.write(line + "\n")

        failures = _runner(self).fire(event, context, trace=trace)
        return ExitCode.PLUGIN if failures else ExitCode.OK


def _command_of(event: str, commands: Iterable[str]) -> str | None:
    """The command whose ``pre_``/``post_`` event *event* is (``pre_shell_init``: ``shell-init``), else ``None``."""
    phase, _, rest = event.partition("_")
    if phase not in ("pre", "post") or rest == "command":
        return None
    known = (command for command in commands if command_event("pre", command) == f"pre_{rest}")
    return next(known, rest.replace("_", " "))


class HooksInit(Records):
    """Create the hooks directory with a commented template for each global event."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
        app, directory = app_of(self), _runner(self).script_directory
        if directory is None:
            raise UsageError(
                "the hooks folder is not an absolute path",
                hint=f"set hook_dir (or {app.identity.env_name('hook_dir')}) to an absolute path, or start it with ~",
            )
        owner = foreign_owner(directory)
        if owner is not None:  # sudo keeping a user's HOME: root's files there would be the user's to live with
            raise ConfigError(
                f"the hooks folder '{directory}' belongs to uid {owner}; not writing there as root",
                hint="run the command as that user, or give root a home of its own (sudo -H)",
            )
        try:
            make_folders(directory, mode=0o700)
        except OSError as error:
            raise ConfigError(
                f"cannot create the hooks folder '{directory}' ({error.strerror})",
                hint="create it, or set HOME to yours"
                if isinstance(error, MissingHomeError)
                else "check the permissions, or set hook_dir in the config file",
            ) from error
        rows = []
        for event in GLOBAL_EVENTS:
            path = directory / event
            rows.append((str(path), self._write_template(app, path, event)))
        return ("File", "Action"), rows

    @staticmethod
    def _write_template(app: App, path: Path, event: str) -> str:
        text = _TEMPLATE.format(tool=app.NAME, event=event, path=path, prefix=app.identity.env_prefix)
        try:
            with path.open("x", encoding="utf-8") as stream:  # never overwrite
                stream.write(text)
        except FileExistsError:
            return "kept (exists)"
        path.chmod(0o644)
        return "created"
