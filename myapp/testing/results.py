"""What one run of the tool produced, in-process or as a program."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Result:
    """What one run of the app produced."""

    exit_code: int
    stdout: str
    stderr: str
