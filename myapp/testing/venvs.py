"""Real virtual environments: install throw-away plugins with pip and run the tool as a program."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..identity import MYAPP, Identity
from .results import Result

if TYPE_CHECKING:
    from .distributions import Distribution

#: Runs the console script called ``argv[1]`` with the rest of the arguments, as its launcher would.
_LAUNCHER: Final = """
import sys
from importlib.metadata import entry_points
name, sys.argv[:] = sys.argv[1], sys.argv[1:]
found = entry_points(group="console_scripts", name=name)
if not found:
    sys.exit(f"no console script {name!r} is installed")
sys.exit(next(iter(found)).load()())
"""


@dataclass(frozen=True)
class VirtualEnvironment:
    """A virtual environment and a way to run its programs.

    .. versionadded:: 0.1
    """

    root: Path

    @classmethod
    def create(cls, root: Path, *, inherit: bool = False) -> VirtualEnvironment:
        """Make a fresh environment in *root*, with pip.

        :param inherit: instead of installing pip, let the environment see the
            distributions of the running interpreter's environment (the tool,
            pip, the plugin being developed). What is installed into the new
            environment comes first. Takes a fraction of a second.
        """
        import venv

        venv.EnvBuilder(with_pip=not inherit, clear=True).create(root)
        environment = cls(root)
        if inherit:
            import site

            folders = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
            # addsitedir, unlike a bare path line, also runs the .pth files there (editable installs).
            lines = [f"import site; site.addsitedir({folder!r})\n" for folder in folders]
            (environment.site_packages / "_inherited_site_packages.pth").write_text("".join(lines), encoding="utf-8")
        return environment

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
        """Run pip in the environment.

        :raises AssertionError: pip failed (a test using it fails, with pip's output).
        """
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

    def start(
        self, program: str, *arguments: str, env: Mapping[str, str] | None = None, new_session: bool = False
    ) -> subprocess.Popen[str]:
        """Start one of its programs in the background, as :meth:`run` runs it, with pipes for stdout and stderr.

        For tests that signal the program while it runs. *new_session* puts it
        in a process group of its own, as a terminal puts a job, so that
        :func:`os.killpg` reaches what it started too.

        .. versionadded:: 0.1
        """
        return subprocess.Popen(
            [str(self.bin / program), *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
            start_new_session=new_session,
        )

    def run_tool(
        self,
        tool: str,
        *arguments: str,
        env: Mapping[str, str] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        """Run the console script *tool*: its executable if installed here, else through its entry point.

        An inherited environment (see :meth:`create`) has no executables of
        the distributions it sees; their entry points still name the function.
        """
        if (self.bin / tool).exists():
            return self.run(tool, *arguments, env=env, input=input, timeout=timeout)
        argv = [str(self.python), "-c", _LAUNCHER, tool, *arguments]
        return self.command(argv, env=env, input=input, timeout=timeout)

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


@dataclass(frozen=True)
class PluginEnvironment:
    """A virtual environment plus a folder of throw-away plugins that only the runs of this object see.

    Many of these can share one (slow to make) :class:`VirtualEnvironment`:
    plugins are pip-installed into :attr:`site`, which :meth:`run` puts first
    on ``PYTHONPATH``, never into the environment itself.

    .. versionadded:: 0.1
    """

    venv: VirtualEnvironment
    #: where :meth:`install` puts distributions
    site: Path
    identity: Identity = MYAPP

    def install(self, *distributions: Distribution) -> None:
        """Build *distributions* as wheels and install them with pip (without their dependencies).

        :raises AssertionError: pip failed.
        """
        import tempfile

        from .distributions import build_wheel

        with tempfile.TemporaryDirectory() as folder:
            wheels = [str(build_wheel(distribution, Path(folder))) for distribution in distributions]
            self.venv.pip("install", "--no-deps", "--no-index", "--upgrade", "--target", str(self.site), *wheels)

    def run(
        self, *argv: str, env: Mapping[str, str] | None = None, input: str | None = None, timeout: float = 60
    ) -> Result:
        """Run the tool as a program with *argv*, the current environment plus *env*, and the installed plugins."""

        path = os.pathsep.join(filter(None, [str(self.site), os.environ.get("PYTHONPATH", "")]))
        result = self.venv.run_tool(
            self.identity.name, *argv, env={"PYTHONPATH": path, **(env or {})}, input=input, timeout=timeout
        )
        return Result(result.returncode, result.stdout, result.stderr)
