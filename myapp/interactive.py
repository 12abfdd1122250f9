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
import itertools
import logging
import os
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, Protocol, TextIO

import cmd2

from .commands.entry import CommandBuilder
from .errors import MyappError, Terminated

if TYPE_CHECKING:
    from .commands.arguments import Argument
    from .commands.manager import CommandManager
    from .completion.engine import Reply
    from .identity import Identity

LOG = logging.getLogger(__name__)

_CMD2_MAJOR: Final = int(cmd2.__version__.split(".")[0])
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


class ShellHost(CommandBuilder, Protocol):
    """What the shell needs of the app it runs lines in: :class:`myapp.app.App` fits."""

    NAME: str

    @property
    def identity(self) -> Identity:
        """The tool's names."""
        ...

    stdin: TextIO
    stdout: TextIO
    command_manager: CommandManager
    #: whether ``CMD --help`` means ``help CMD`` (cliff's ``deferred_help``)
    deferred_help: bool

    def run_subcommand(self, argv: list[str]) -> int:
        """Run one command line; return its exit status."""
        ...


class Shell(cmd2.Cmd):  # type: ignore[misc]
    """A cmd2 loop that runs each line as one of the app's command lines."""

    def __init__(self, app: ShellHost) -> None:
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
        #: the signal (SIGTERM or SIGHUP) that arrived: the shell ends after the command that was running
        self.terminated: int | None = None

    do_exit = cmd2.Cmd.do_quit

    def default(self, statement: Any) -> bool | None:
        """Run a line that is not a shell command as one of the tool's command lines."""
        self.history.append(statement)  # cmd2 records only its own commands: it would not save this line
        with self._output_to(self.stdout):  # cmd2 points self.stdout at a file or pipe for '>' and '|'
            self.app.run_subcommand(self._as_typed(list(statement.argv)))
        if self.terminated is not None:  # the command reported it (exit 143 or 129); now the shell ends too
            raise Terminated(self.terminated)
        return None

    def _as_typed(self, argv: list[str]) -> list[str]:
        """The line as ``<tool> <line>`` reads it: with deferred help, ``CMD ... --help`` is ``help CMD``.

        Otherwise the command's own parser would answer ``--help``, through cliff's pager and colours.
        Only the words before the first option name the command; after ``--``, ``-h`` is an argument.
        """
        typed = argv[: argv.index("--")] if "--" in argv else argv
        if not self.app.deferred_help or not {"-h", "--help"} & set(typed):
            return argv
        return ["help", *itertools.takewhile(lambda word: not word.startswith("-"), typed)]

    @contextlib.contextmanager
    def _output_to(self, stream: Any) -> Iterator[None]:
        saved, self.app.stdout = self.app.stdout, stream
        try:
            yield
        finally:
            self.app.stdout = saved

    def termination_signal_handler(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM or SIGHUP (terminal closed): stop what runs and leave the shell (exit 143 or 129)."""
        self.terminated = signum
        raise Terminated(signum)

    if _CMD2_MAJOR >= 4:  # prompt_toolkit hands the whole line to one completer

        def complete(  # type: ignore[override]
            self, text: str, line: str, begidx: int, endidx: int, custom_settings: Any = None
        ) -> Any:
            """cmd2's completer: the tool's command names, options and values (cmd2's own for shell commands)."""
            indent = len(line) - len(line.lstrip())
            line, begidx = line[indent:], begidx - indent
            if custom_settings is not None or (line.split(" ", 1)[0] in SHELL_COMMANDS and " " in line):
                return super().complete(text, line, begidx, endidx - indent, custom_settings)
            from cmd2 import Completions

            values = self._candidates(text, line, begidx)
            if values is None:
                return self.path_complete(text, line, begidx, endidx - indent)
            return Completions.from_values(values)

    else:  # cmd2 3 (Python 3.10), on readline: the first word from a list, the others from completedefault

        def _get_commands_aliases_and_macros_for_completion(self) -> list[str]:
            return self._candidates("", "", 0) or []

        def completedefault(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:  # type: ignore[override]
            """cmd2's completer for the words after the first: the tool's options and values, else file names."""
            values = self._candidates(text, line.lstrip(), begidx - (len(line) - len(line.lstrip())))
            return self.path_complete(text, line, begidx, endidx) if values is None else values  # type: ignore[return-value]

    def _candidates(self, text: str, line: str, begidx: int) -> list[str] | None:
        """What may replace *text*, the word that starts at *begidx* of *line*; ``None``: file names."""
        try:
            words = shlex.split(line[:begidx])
        except ValueError:  # an open quote
            return []
        reply = complete_line(self.app, words, text)
        if reply.paths:
            return None
        names = [] if words else [name for name in SHELL_COMMANDS if name.startswith(text)]
        return sorted({*names, *(candidate.value for candidate in reply.candidates)})


def history_file(app: ShellHost) -> Path | None:
    """Where the shell keeps its history, created private (0600) if new; ``None`` when it cannot be kept.

    The lines typed can hold tokens and passwords, so a new file is readable
    by its owner only (cmd2 would create it as the umask allows). No history
    is kept without a home, when its folder cannot be made, or, run as root,
    in another user's folder.
    """
    from ._files import foreign_owner, make_folders

    try:
        path = app.identity.data_dir / HISTORY_FILE
        owner = foreign_owner(path)
        if owner is not None:
            LOG.info("no shell history: '%s' is in a folder of uid %d, and this is root", path, owner)
            return None
        make_folders(path.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        os.close(os.open(path, flags, 0o600))
    except FileExistsError:
        pass
    except (MyappError, OSError) as error:  # no home directory to derive it from, or a folder that cannot be made
        LOG.info("no shell history (%s)", error)
        return None
    return path


def complete_line(app: ShellHost, words: list[str], current: str) -> Reply:
    """What may replace *current*, the word being typed after *words*, in the running app.

    The same reading of the words as ``<tool> completion`` (:mod:`myapp.completion.engine`), but from
    the live command table: only the command being typed is imported, to ask its parser.
    """
    from .completion.engine import Completer
    from .completion.sources import command_arguments

    manager = app.command_manager

    def arguments(name: str) -> list[Argument]:
        entry = manager.get(name)
        if entry is None:
            return []
        return _unless_abandoned(entry.name, lambda: command_arguments(app, entry, entry.name))

    names = [name for name, _ in manager]
    return Completer(names, [], arguments, None, {}).complete([*words, current])


#: Seconds between two looks at whether the prompt a Tab press completes for is still there.
_POLL_SECONDS: Final = 0.05
#: Commands whose arguments are being read by a thread that has not come back (a plugin's parser that hangs).
_STALLED: set[str] = set()


def _unless_abandoned(name: str, read: Callable[[], list[Argument]]) -> list[Argument]:
    """*read()* in a thread of its own, given up (nothing to offer) when Ctrl-C ends the prompt it is for.

    The command's parser is plugin code and can hang. Ctrl-C at the prompt
    must still work and the shell go on: with prompt_toolkit, the prompt
    ends but waits for its completer, which therefore stops waiting here;
    with readline, Ctrl-C raises here. A thread that never comes back is
    left behind (a daemon), and the command offers nothing until it does.
    """
    import threading

    if name in _STALLED:
        return []
    found: list[list[Argument]] = []

    def work() -> None:
        try:
            found.append(read())
        except BaseException:  # noqa: BLE001 - a broken plugin: nothing to offer
            found.append([])
        finally:
            _STALLED.discard(name)

    _STALLED.add(name)
    worker = threading.Thread(target=work, name=f"completing {name}", daemon=True)
    worker.start()
    while worker.is_alive() and not _prompt_ended():
        worker.join(_POLL_SECONDS)
    return found[0] if found else []


def _prompt_ended() -> bool:
    """Whether the prompt being completed for has ended (Ctrl-C): only prompt_toolkit's prompt says so."""
    try:
        from prompt_toolkit.application.current import get_app_or_none
    except ImportError:  # pragma: no cover - cmd2 3 on readline: Ctrl-C raises KeyboardInterrupt instead
        return False
    prompt = get_app_or_none()
    return prompt is not None and prompt.is_done
