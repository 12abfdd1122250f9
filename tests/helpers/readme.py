"""The commands README.md gives a newcomer, read from the README itself."""

from __future__ import annotations

import re
import shlex

from .venvs import REPOSITORY


def readme_commands() -> list[str]:
    """The README's ```sh blocks, in order, each as its text without the fences."""
    text = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"^```sh\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)]


def steps(command: str) -> list[list[str]]:
    """The programs a one-line shell command runs one after the other (``a && b``), each as its words."""
    return [shlex.split(step) for step in command.split(" && ")]
