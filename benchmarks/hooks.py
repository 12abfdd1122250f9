#!/usr/bin/env python3
"""What firing one event costs, with 0 and with 50 hooks installed for other events.

Each round builds a fresh :class:`myapp.hooks.runner.HookRunner` on a real entry-point
index (plugins written as ``.dist-info`` folders in the work area), as one run of
``myapp`` does, and fires ``pre_target``: once with no hook for it and once with
one. The hooks for other events must not make it slower.

Run from the repository root with myapp importable: ``python benchmarks/hooks.py``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from myapp.app import App  # noqa: E402
from myapp.hooks.context import HookContext  # noqa: E402
from myapp.hooks.runner import HookPolicy, HookRunner  # noqa: E402
from myapp.identity import MYAPP  # noqa: E402
from myapp.index.discovery import load_index  # noqa: E402


def write_plugin(site: Path, name: str, events: list[str]) -> None:
    """A distribution with one no-op hook for each of *events*."""
    module = name.replace("-", "_")
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text("def noop(context):\n    return None\n")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    sections = "".join(f"[myapp.hooks.context.{event}]\nnoop = {module}:noop\n\n" for event in events)
    (info / "entry_points.txt").write_text(sections)


def build_site(root: Path, others: int, target_hooks: int) -> Path:
    """A folder of plugins: *others* hooks for other events, *target_hooks* for ``pre_target``."""
    site = root / f"site-{others}-{target_hooks}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for number in range(others):
        write_plugin(site, f"bench-other-{number:02d}", [f"pre_other_{number:02d}"])
    for number in range(target_hooks):
        write_plugin(site, f"bench-target-{number:02d}", ["pre_target"])
    return site


def time_fire(site: Path, cache: Path, rounds: int) -> float:
    """Median microseconds to set up a runner and fire ``pre_target`` once.

    The index is loaded once, as start-up does for every purpose (its cost is
    the start-up benchmark's business); the runner is new each round, so the
    event's hooks are looked up, ordered and called as in a fresh process.
    """
    sys.path.insert(0, str(site))
    app = App()
    index = load_index(MYAPP.namespace_prefix, cache, [str(site)])
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        runner = HookRunner(MYAPP, index, lambda entry_point: True, HookPolicy(hook_dir=cache / "no-scripts"))
        runner.fire("pre_target", HookContext("pre_target", app, "target"))
        samples.append((time.perf_counter() - started) * 1e6)
    sys.path.remove(str(site))
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000, help="fires per configuration (default 2000)")
    parser.add_argument("--work-dir", type=Path, default=REPO_ROOT / "benchmarks" / ".work" / "hooks")
    options = parser.parse_args()
    print("| hooks for other events | hooks for the fired event | median per fire (µs) |")
    print("|---:|---:|---:|")
    for others in (0, 50):
        for target in (0, 1):
            site = build_site(options.work_dir, others, target)
            cache = options.work_dir / f"cache-{others}-{target}"
            micros = time_fire(site, cache, options.rounds)
            print(f"| {others} | {target} | {micros:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
