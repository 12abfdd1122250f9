"""Many runs at once, next to pip and config edits: every run ends cleanly, no file is ever torn, no edit is lost.

Also: the entry-point cache follows real pip installs, upgrades in place,
editable installs and removals from one run to the next.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
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
        processes = [installed.start("myapp", *argv) for argv, _ in runs]
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


#: The user's config file before the SIGTERM test's edits: comments at the top, after a value and at the end.
COMMENTED_CONFIG = (
    "# kept by hand: my own notes\n"
    f"disable_plugins = {json.dumps(list(TO_ENABLE))}  # off until they are fixed\n"
    "\n"
    "# the end of my notes\n"
)
#: Runs per plugin in the SIGTERM test: the first gets SIGTERM while it waits for the lock, the second while
#: the edits run one after another, the third is left alone.
RUNS_PER_PLUGIN = 3


def waiting_for_lock(lock: Path) -> int:
    """How many processes wait for the ``flock`` on *lock* (the blocked ``->`` entries of Linux's /proc/locks)."""
    inode = lock.stat().st_ino
    waiting = 0
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 6 and fields[1] == "->" and int(fields[6].rsplit(":", 1)[1]) == inode:
            waiting += 1
    return waiting


def test_sigterm_during_concurrent_config_edits_never_tears_the_file_or_loses_an_edit(
    installed: VirtualEnvironment, isolated_home: Path
) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(COMMENTED_CONFIG)
    lock = config.parent  # edits lock the folder of the file, leaving no lock file behind
    runs = [("enable", name) for name in TO_ENABLE] + [("disable", name) for name in TO_DISABLE]
    runs = [run for run in runs for _ in range(RUNS_PER_PLUGIN)]
    with folder_opened(lock) as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # every edit stops inside edit_config, waiting for this lock
        processes = [installed.start("myapp", "plugin", verb, name) for verb, name in runs]
        deadline = time.monotonic() + 180
        while waiting_for_lock(lock) + sum(p.poll() is not None for p in processes) < len(processes):
            assert time.monotonic() < deadline, "the edits never reached the lock"
            time.sleep(0.1)
        for process in processes[0::RUNS_PER_PLUGIN]:
            process.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the signalled ones leave the queue before the others get the lock
    for process in processes[1::RUNS_PER_PLUGIN]:  # at staggered moments while the edits take turns
        process.send_signal(signal.SIGTERM)
        time.sleep(0.02)
    statuses = []
    for (verb, name), process in zip(runs, processes, strict=True):
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, (verb, name, stderr)
        statuses.append(process.returncode)

    assert statuses[0::RUNS_PER_PLUGIN] == [143] * len(TO_ENABLE + TO_DISABLE)  # stopped inside the edit
    # -SIGTERM: the signal came after the run, while Python shut down with the default handler back
    assert set(statuses[1::RUNS_PER_PLUGIN]) <= {0, 143, -signal.SIGTERM}
    assert statuses[2::RUNS_PER_PLUGIN] == [0] * len(TO_ENABLE + TO_DISABLE)
    text = config.read_text()
    disabled = tomllib.loads(text)["disable_plugins"]  # whole and valid: never half written
    assert sorted(disabled) == sorted(TO_DISABLE)  # every edit that was not interrupted took effect
    assert text.startswith("# kept by hand: my own notes\n")
    assert "]  # off until they are fixed\n" in text
    assert text.endswith("\n# the end of my notes\n")
    with folder_opened(lock) as free:
        fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)  # no interrupted run kept the lock
    assert sorted(os.listdir(config.parent)) == ["config.toml"]  # no lock file, no temporary file


@contextlib.contextmanager
def folder_opened(folder: Path) -> Iterator[int]:
    """A descriptor of *folder*, for ``flock``."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield descriptor
    finally:
        os.close(descriptor)


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
