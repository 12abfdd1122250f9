"""Real virtual environments (the public toolkit's, see :mod:`myapp.testing`) and where this repository is."""

from __future__ import annotations

from pathlib import Path

from myapp.testing.venvs import VirtualEnvironment

#: The root of this repository: ``pip install REPOSITORY`` installs myapp from the working tree.
REPOSITORY = Path(__file__).resolve().parents[2]

__all__ = ["REPOSITORY", "VirtualEnvironment"]
