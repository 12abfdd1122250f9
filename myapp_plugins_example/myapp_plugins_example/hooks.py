"""Hooks: code that runs before or after commands, in the events' namespaces.

Registered in setup.cfg:

* ``myapp.hooks.pre_command``: :func:`start_timer` notes when a command starts;
* ``myapp.hooks.post_command``: :func:`report_time` logs how long it took (``-v``);
* ``myapp.hooks.pre_hello``: :func:`refuse_control_characters` stops
  ``myapp hello`` (exit 4) when the name holds control characters, which
  could play tricks on the terminal;
* ``myapp.hooks.post_hello``: :func:`log_greeting` logs whom it greeted;
* ``myapp.hooks.post_hello_source``: :func:`remember_greeted` returns shell
  code that exports ``MYAPP_LAST_GREETED`` in the calling shell (with
  ``eval "$(myapp shell-init bash)"``);
* ``myapp.commands.hello``: :class:`ShoutOption`, a cliff ``CommandHook``
  that adds ``--shout`` to another plugin's command.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import time

from cliff.hooks import CommandHook

from myapp import HookAbort
from myapp.hooks import HookContext, hook

LOG = logging.getLogger(__name__)

_started: dict[int, float] = {}


@hook(priority=100)  # first, so that the time covers the other hooks too
def start_timer(context: HookContext) -> None:
    """Note when the command started."""
    _started[id(context)] = time.perf_counter()


def report_time(context: HookContext) -> None:
    """Log the command's duration and exit status (shown with -v)."""
    started = _started.pop(id(context), None)
    if started is not None:
        elapsed = (time.perf_counter() - started) * 1000
        LOG.info("'%s' took %.1f ms (exit status %s)", context.command, elapsed, context.exit_code)


def refuse_control_characters(context: HookContext) -> None:
    """Stop ``hello`` when the name could play tricks on the terminal."""
    name = getattr(context.parsed_args, "name", "")
    if any(not character.isprintable() for character in name):
        raise HookAbort("the name contains control characters", hint="greet someone with a printable name")


def log_greeting(context: HookContext) -> None:
    """Log whom ``hello`` greeted, once it succeeded."""
    if context.exit_code == 0:
        LOG.info("greeted %s", getattr(context.parsed_args, "name", "?"))


def remember_greeted(context: HookContext) -> str:
    """Shell code for the calling shell: remember whom we greeted last."""
    name = getattr(context.parsed_args, "name", "")
    return f"export MYAPP_LAST_GREETED={shlex.quote(name)}"


class ShoutOption(CommandHook):
    """Add ``--shout`` to ``hello``: greet in capitals."""

    def get_parser(self, parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--shout", action="store_true", help="greet in capitals (from a CommandHook)")
        return parser

    def get_epilog(self) -> str:
        return "--shout comes from the example plugin's CommandHook."

    def before(self, parsed_args: argparse.Namespace) -> argparse.Namespace:
        if getattr(parsed_args, "shout", False):
            parsed_args.name = parsed_args.name.upper()
        return parsed_args

    def after(self, parsed_args: argparse.Namespace, return_code: int) -> int:
        return return_code
