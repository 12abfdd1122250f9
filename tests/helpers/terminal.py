"""A program running in a real terminal (a private tmux server), read as the user would see the screen.

:class:`Shell` drives the interactive shell of ``myapp`` in one, line by line.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tests.helpers.programs import need_program

#: How long to wait for the screen to show something.
TIMEOUT = 30.0


class Terminal:
    """*argv* started in a 160x50 terminal; keys are typed with :meth:`type` and :meth:`press`.

    The test is skipped when tmux is not installed (see :func:`~tests.helpers.programs.need_program`).
    """

    def __init__(self, folder: Path, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self._tmux_path = need_program("tmux")
        folder.mkdir(parents=True, exist_ok=True)
        self._socket = folder / "tmux.sock"
        self._status = folder / "status"
        self._status.unlink(missing_ok=True)
        self._env = {**os.environ, **(env or {})}
        # The pane outlives the program (until close()), so that its last screen can still be read; Ctrl-C
        # must not end the shell around it (a trap, unlike an ignored signal, is not inherited).
        script = f"trap : INT; {shlex.join(argv)}; echo $? > {shlex.quote(str(self._status))}; exec sleep 600"
        self._tmux("new-session", "-d", "-x", "160", "-y", "50", "sh", "-c", script)

    def _tmux(self, *arguments: str) -> str:
        command = [self._tmux_path, "-S", str(self._socket), "-f", os.devnull, *arguments]
        result = subprocess.run(command, env=self._env, capture_output=True, text=True, check=False, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(arguments)} failed: {result.stderr}")
        return result.stdout

    def lines(self, *, escapes: bool = False) -> list[str]:
        """Every line the terminal shows or has scrolled away, without trailing blank ones.

        :param escapes: keep the escape sequences of colours and styles.
        """
        options = ["-p", "-J", "-S", "-", *(["-e"] if escapes else [])]
        lines = [line.rstrip() for line in self._tmux("capture-pane", *options).splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    @property
    def screen(self) -> str:
        return "\n".join(self.lines())

    def type(self, text: str) -> None:
        """Type *text* as it is."""
        self._tmux("send-keys", "-l", "--", text)

    def press(self, *keys: str) -> None:
        """Press keys by tmux's names: ``Enter``, ``Tab``, ``Up``, ``C-c``, ``C-d``."""
        self._tmux("send-keys", *keys)

    def wait_until(self, condition: Callable[[list[str]], bool], what: str, timeout: float = TIMEOUT) -> list[str]:
        """Wait until *condition* holds for the screen's lines; fail naming *what* otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines()
            if condition(lines):
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"the terminal never showed {what}; it shows:\n" + "\n".join(lines))
            time.sleep(0.05)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> None:
        """Wait until *text* is on the screen."""
        self.wait_until(lambda lines: text in "\n".join(lines), repr(text), timeout)

    def program_pid(self) -> int:
        """The process id of the program (the child of the shell the pane runs)."""
        shell = self._tmux("list-panes", "-F", "#{pane_pid}").strip()
        ps = [need_program("ps"), "-o", "pid=", "--ppid", shell]
        children = subprocess.run(ps, capture_output=True, text=True, check=True)
        return int(children.stdout.split()[0])

    def exit_status(self, timeout: float = TIMEOUT) -> int:
        """Wait for the program to end and return its exit status."""
        deadline = time.monotonic() + timeout
        while not self._status.exists() or not self._status.read_text().strip():
            if time.monotonic() > deadline:
                raise AssertionError("the program did not end; the terminal shows:\n" + self.screen)
            time.sleep(0.05)
        return int(self._status.read_text())

    def close(self) -> None:
        """Stop this terminal's tmux server (and the program, if it still runs)."""
        subprocess.run(
            [self._tmux_path, "-S", str(self._socket), "kill-server"], env=self._env, capture_output=True, check=False
        )


#: What the shell of ``myapp`` shows while it waits for a line.
PROMPT = "(myapp)"


class Shell:
    """``myapp`` with no command, on a terminal."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self._mark = len(terminal.wait_until(_at_prompt, "the prompt")) - 1

    def run(self, line: str, *expected: str) -> str:
        """Type *line* and Enter; return what the command printed, once the next prompt shows *expected*."""
        self.terminal.type(line)
        self.terminal.press("Enter")
        return self.output(*expected)

    def output(self, *expected: str) -> str:
        """What appeared since the last prompt, once the next prompt is there; it must hold *expected*."""
        mark = self._mark
        lines = self.terminal.wait_until(lambda lines: len(lines) - 1 > mark and _at_prompt(lines), "a new prompt")
        self._mark = len(lines) - 1
        printed = "\n".join(lines[mark + 1 : -1])
        for text in expected:
            assert text in printed, printed
        assert "Traceback" not in printed
        return printed

    def leave(self, *keys: str) -> int:
        """Type ``exit`` (or press *keys*) and return the exit status."""
        if keys:
            self.terminal.press(*keys)
        else:
            self.terminal.type("exit")
            self.terminal.press("Enter")
        return self.terminal.exit_status()


def _at_prompt(lines: list[str]) -> bool:
    return bool(lines) and lines[-1] == PROMPT
