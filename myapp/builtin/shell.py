"""``shell-init``: a shell function that lets hooks change the calling shell."""

from __future__ import annotations

import argparse
from typing import Final

from cliff.command import Command

from ..app import app_of

_FUNCTION: Final = """\
# {tool}: let '{tool}' hooks change this shell (cd, export, ...).
# Load it from your shell's startup file:  eval "$({tool} shell-init {shell})"
{function}() {{
    local __{var}_code __{var}_status
    __{var}_code="$(mktemp "${{TMPDIR:-/tmp}}/{tool}-source.XXXXXX")" || return 1
    {source_variable}="$__{var}_code" command {tool} "$@"
    __{var}_status=$?
    if [ -s "$__{var}_code" ]; then
        . "$__{var}_code"
    fi
    rm -f "$__{var}_code"
    return $__{var}_status
}}
"""


class ShellInit(Command):
    """Print a shell function that runs the code of '_source' hooks in your shell."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("shell", choices=("bash", "zsh"), help="the shell to write the function for")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        app = app_of(self)
        tool, identity = app.NAME, app.identity
        app.stdout.write(
            _FUNCTION.format(
                tool=tool,
                function=tool,
                shell=parsed_args.shell,
                var=tool.replace("-", "_"),
                source_variable=identity.env_name("source_file"),
            )
        )
        return 0
