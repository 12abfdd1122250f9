"""This repository's two distributions, built as a release is built: ``python -m build``, an sdist and a wheel."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.venvs import REPOSITORY

#: Each distribution of the repository, by name, and the folder it is built from.
PROJECTS = {"myapp": REPOSITORY, "myapp-plugins-example": REPOSITORY / "myapp_plugins_example"}


@dataclass(frozen=True)
class Release:
    """The two files ``python -m build`` made of one distribution."""

    sdist: Path
    wheel: Path


def build_release(project: Path, out_dir: Path) -> Release:
    """Run ``python -m build`` on *project* (an sdist, then a wheel built from it) into *out_dir*.

    :raises AssertionError: the build failed (a test using it fails, with the build's output).
    """
    command = [sys.executable, "-m", "build", "--outdir", str(out_dir), str(project)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise AssertionError(f"python -m build {project} failed:\n{result.stdout}\n{result.stderr}")
    (sdist,) = out_dir.glob("*.tar.gz")
    (wheel,) = out_dir.glob("*.whl")
    return Release(sdist, wheel)
