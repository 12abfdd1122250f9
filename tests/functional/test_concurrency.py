"""Many runs at once, next to pip and config edits: every run ends cleanly, no file is ever torn, no edit is lost.

Also: the entry-point cache follows real pip installs, upgrades in place,
editable installs and removals from one run to the next.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.test_cache import is_sound
from tests.helpers.distributions import Distribution, build_wheel
from tests.helpers.venvs import VirtualEnvironment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Plugins enabled by the concurrent edits (they start disabled) and disabled by them.
TO_ENABLE = ("myapp-lazy", "myapp-broken", "myapp-clash-b", "myapp-hooks-b", "myapp-hooks-lazy")
TO_DISABLE = ("myapp-hooks-a", "myapp-hooks-c", "myapp-hooks-bad", "myapp-faulty", "myapp-clash-a")
#: How many batches of processes the concurrency test starts (raise it for a longer soak).
ITERATIONS = int(os.environ.get("MYAPP_TEST_CONCURRENCY_ITERATIONS", "1"))
PROCESSES = 50


def changing(version: str, command: str = "concurrent") -> Distribution:
    return Distribution(
        name="myapp-concurrent",
        version=version,
        files={
            "concurrent_plugin/__init__.py": f"""
                from cliff.command import Command


                class Which(Command):
                    \"\"\"Release {version} of the concurrent plugin.\"\"\"

                    def take_action(self, parsed_args):
                        self.app.stdout.write("{version}\\n")
            """
        },
        entry_points={"myapp.commands": {command: "concurrent_plugin:Which"}},
    )


@pytest.fixture
def pip_churn(installed: VirtualEnvironment, tmp_path: Path) -> Iterator[threading.Event]:
    """Install and uninstall a plugin with pip, over and over, until the test ends."""
    wheel = build_wheel(changing("1.0"), tmp_path / "wheels")
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            installed.pip("install", "--no-deps", str(wheel))
            installed.pip("uninstall", "-y", "myapp-concurrent")

    worker = threading.Thread(target=churn)
    worker.start()
    yield stop
    stop.set()
    worker.join(timeout=300)


def start(installed: VirtualEnvironment, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(installed.bin / "myapp"), *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def batch() -> list[tuple[tuple[str, ...], set[int]]]:
    """Fifty command lines and the statuses each may end with."""
    runs: list[tuple[tuple[str, ...], set[int]]] = []
    runs += [(("plugin", "enable", name), {0}) for name in TO_ENABLE]
    runs += [(("plugin", "disable", name), {0}) for name in TO_DISABLE]
    runs += [(("hello", "crowd"), {0})] * 10
    runs += [(("--help",), {0})] * 8
    runs += [(("plugin", "list", "-f", "json"), {0})] * 8
    runs += [(("concurrent",), {0, 2, 3})] * 4  # installed, not, or half-removed at that moment
    runs += [(("--help",), {0, 143, -signal.SIGTERM})] * 5  # these get SIGTERM
    runs += [(("config", "show", "-f", "json"), {0})] * 5
    assert len(runs) == PROCESSES
    return runs


def test_fifty_runs_at_once_end_cleanly_and_leave_whole_files(
    installed: VirtualEnvironment, isolated_home: Path, pip_churn: threading.Event
) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True)
    for iteration in range(ITERATIONS):
        config.write_text(f"# kept by hand\ndisable_plugins = {json.dumps(list(TO_ENABLE))}\n")
        runs = batch()
        processes = [start(installed, *argv) for argv, _ in runs]
        time.sleep(0.2)
        for (_, allowed), process in zip(runs, processes, strict=True):
            if 143 in allowed:
                process.send_signal(signal.SIGTERM)
        failures = []
        for (argv, allowed), process in zip(runs, processes, strict=True):
            stdout, stderr = process.communicate(timeout=240)
            if process.returncode not in allowed or "Traceback" in stderr:
                failures.append((argv, process.returncode, stderr))
            elif process.returncode == 0 and argv[-1] == "json":
                json.loads(stdout)  # whole, parseable output
        assert failures == [], f"iteration {iteration}"
        document = tomllib.loads(config.read_text())
        assert config.read_text().startswith("# kept by hand\n")
        assert sorted(document["disable_plugins"]) == sorted(TO_DISABLE)  # no edit lost
        cache = isolated_home / ".cache" / "myapp"
        for cache_file in cache.glob("entry-points-*.bin"):
            assert is_sound(cache_file)
        json.loads((cache / "descriptions.json").read_text())
        assert not list(cache.glob(".*.tmp")) and not list(config.parent.glob(".*.tmp"))


@pytest.fixture
def concurrent_removed(installed: VirtualEnvironment) -> Iterator[None]:
    yield
    installed.command([str(installed.python), "-m", "pip", "uninstall", "-y", "-q", "myapp-concurrent"])


def test_pip_install_upgrade_and_uninstall_are_seen_by_the_next_run(
    installed: VirtualEnvironment, tmp_path: Path, concurrent_removed: None
) -> None:
    installed.pip("install", "--no-deps", str(build_wheel(changing("1.0"), tmp_path / "one")))
    assert installed.run("myapp", "concurrent").stdout == "1.0\n"
    assert "Release 1.0 of the concurrent plugin" in installed.run("myapp", "--help").stdout
    installed.pip("install", "--no-deps", str(build_wheel(changing("2.0"), tmp_path / "two")))
    assert installed.run("myapp", "concurrent").stdout == "2.0\n"
    assert "Release 2.0 of the concurrent plugin" in installed.run("myapp", "--help").stdout
    installed.pip("uninstall", "-y", "myapp-concurrent")
    assert installed.run("myapp", "concurrent").returncode == 2


#: pip's options for an editable install (PEP 660, with setuptools in an isolated build environment).
EDITABLE = ("--no-deps", "-e")


def editable_project(folder: Path, commands: str) -> Path:
    package = folder / "concurrent_plugin"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        "from cliff.command import Command\n\n\n"
        "class Which(Command):\n"
        '    """The editable plugin."""\n\n'
        "    def take_action(self, parsed_args):\n"
        "        self.app.stdout.write('editable\\n')\n"
    )
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    (folder / "setup.cfg").write_text(
        "[metadata]\nname = myapp-concurrent\nversion = 3.0\n\n[options]\npackages = concurrent_plugin\n\n"
        f"[options.entry_points]\nmyapp.commands =\n{commands}"
    )
    return folder


def test_editable_install_and_its_new_entry_points_are_seen_by_the_next_run(
    installed: VirtualEnvironment, tmp_path: Path, concurrent_removed: None
) -> None:
    project = editable_project(tmp_path / "project", "    concurrent = concurrent_plugin:Which\n")
    installed.pip("install", *EDITABLE, str(project))
    assert installed.run("myapp", "concurrent").stdout == "editable\n"
    editable_project(project, "    concurrent = concurrent_plugin:Which\n    second = concurrent_plugin:Which\n")
    installed.pip("install", *EDITABLE, str(project))
    assert installed.run("myapp", "second").stdout == "editable\n"
    installed.pip("uninstall", "-y", "myapp-concurrent")
    assert installed.run("myapp", "second").returncode == 2
