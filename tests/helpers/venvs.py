"""A real virtual environment with myapp and plugins pip-installed, driven as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class VirtualEnvironment:
    """A virtual environment and a way to run its programs."""

    root: Path

    @classmethod
    def create(cls, root: Path) -> VirtualEnvironment:
        """Make a fresh environment with pip in *root*."""
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
        return cls(root)

    @property
    def bin(self) -> Path:
        """The folder of its executables."""
        return self.root / ("Scripts" if sys.platform == "win32" else "bin")

    @property
    def python(self) -> Path:
        """Its interpreter."""
        return self.bin / "python"

    @property
    def site_packages(self) -> Path:
        """Where pip installs distributions."""
        output = self.command([str(self.python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
        return Path(output.stdout.strip())

    def pip(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run pip in the environment; fail the test if pip fails."""
        result = self.command(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", "--no-input", "-q", *arguments],
            timeout=600,
        )
        if result.returncode != 0:
            raise AssertionError(f"pip {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def run(
        self,
        program: str,
        *arguments: str,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        """Run one of its programs with the current environment plus *env*."""
        return self.command([str(self.bin / program), *arguments], env=env, input=input, timeout=timeout)

    @staticmethod
    def command(
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 60,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run *argv*, capturing stdout and stderr as text; stdin is closed unless *input* is given."""
        return subprocess.run(
            list(argv),
            cwd=cwd,
            env={**os.environ, **(env or {})},
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
