"""The interactive shell: the tool run with no command on a terminal.

Every line is run like a command line (``plugin list -f json`` in the shell
is ``myapp plugin list -f json``), with its hooks, and its failure ends that
line only. Besides the tool's commands the shell knows ``exit``/``quit``
(or Ctrl-D) and ``history``; Ctrl-C at the prompt clears the line, as in
bash, and during a command stops that command. Lines are kept in
``<data dir>/shell-history`` for the next session.
"""

from __future__ import annotations

import contextlib
import logging
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

import cmd2

from .errors import MyappError, Terminated

if TYPE_CHECKING:
    from .app import App

LOG = logging.getLogger(__name__)

#: The file, in the user data directory, that keeps the shell's history.
HISTORY_FILE: Final = "shell-history"
#: cmd2's own commands that the shell keeps; the tool's commands win over the others.
SHELL_COMMANDS: Final = ("exit", "history", "quit")
#: cmd2's commands the shell removes, so that a command of the same name means what it means outside the shell.
_REMOVED: Final = (
    "alias",
    "edit",
    "help",
    "ipy",
    "macro",
    "py",
    "run_pyscript",
    "run_script",
    "_relative_run_script",
    "set",
    "shell",
    "shortcuts",
)


class Shell(cmd2.Cmd):  # type: ignore[misc]
    """A cmd2 loop that runs each line as one of the app's command lines."""

    def __init__(self, app: App) -> None:
        self.app = app
        super().__init__(
            "tab",
            stdin=app.stdin,
            stdout=app.stdout,
            allow_cli_args=False,
            persistent_history_file=str(history_file(app) or ""),
            shortcuts={},
            terminators=(),
        )
        self.prompt = f"({app.NAME}) "
        for name in _REMOVED:
            setattr(self, f"do_{name}", None)
        #: the exit status of the last command line
        self.last_status = 0

    do_exit = cmd2.Cmd.do_quit

    def default(self, statement: Any) -> bool | None:
        """Run a line that is not a shell command as one of the tool's command lines."""
        with self._output_to(self.stdout):  # cmd2 points self.stdout at a file or pipe for '>' and '|'
            self.last_status = self.app.run_subcommand(list(statement.argv))
        return None

    @contextlib.contextmanager
    def _output_to(self, stream: Any) -> Iterator[None]:
        saved, self.app.stdout = self.app.stdout, stream
        try:
            yield
        finally:
            self.app.stdout = saved

    def termination_signal_handler(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM or SIGHUP (terminal closed): leave the shell, whatever is running (exit 143)."""
        raise Terminated(signum)

    def default_completions(self, text: str, line: str, begidx: int) -> list[str]:
        """What may replace *text*, the word being typed: command names, then the command's options."""
        try:
            words = shlex.split(line[:begidx])
        except ValueError:  # an open quote
            return []
        names = next_words(self.app, words) + options(self.app, words, text) + ([] if words else list(SHELL_COMMANDS))
        return sorted({name for name in names if name.startswith(text)})

    def complete(  # type: ignore[override]
        self, text: str, line: str, begidx: int, endidx: int, custom_settings: Any = None
    ) -> Any:
        """cmd2's completer: the tool's command names and options (cmd2's own logic for shell commands)."""
        indent = len(line) - len(line.lstrip())
        line, begidx = line[indent:], begidx - indent
        if custom_settings is not None or line.split(" ", 1)[0] in SHELL_COMMANDS and " " in line:
            return super().complete(text, line, begidx, endidx - indent, custom_settings)
        from cmd2 import Completions

        return Completions.from_values(self.default_completions(text, line, begidx))

def history_file(app: App) -> Path | None:
    """Where the shell keeps its history, or ``None`` when there is no data directory."""
    try:
        return app.identity.data_dir / HISTORY_FILE
    except Exception as error:  # noqa: BLE001 - e.g. no home directory to derive it from
        LOG.info("no shell history (%s)", error)
        return None


def next_words(app: App, words: list[str]) -> list[str]:
    """The words that may follow *words* in a command name (``list`` after ``plugin``)."""
    count = len(words)
    return [
        name.split()[count]
        for name, _ in app.command_manager
        if name.split()[:count] == words and len(name.split()) > count
    ]


def options(app: App, words: list[str], text: str) -> list[str]:
    """The options of the command *words* start with, when *text* could be one; imports that command only."""
    if not words or (text and not text.startswith("-")):
        return []
    manager = app.command_manager
    # The longest run of words that names a command, as find_entry reads it (without its warnings).
    entry = next(filter(None, (manager.get(" ".join(words[:count])) for count in range(len(words), 0, -1))), None)
    if entry is None:
        return []
    try:
        parser = app.command_parser(entry, manager.create(entry, app, app.options), entry.name)
    except MyappError:  # a broken plugin: nothing to offer
        return []
    return [option for action in parser._actions for option in action.option_strings]
