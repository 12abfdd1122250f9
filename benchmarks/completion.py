#!/usr/bin/env python3
"""Latency of one shell-completion request with 1 and with many installed plugins.

Reuses the environments of ``benchmarks/startup.py`` (same work area, same
synthetic plugins) and times, in fresh processes with warm caches, what one
Tab press runs: ``myapp __complete SHELL -- WORD...``. The target is that
every request takes under 100 ms (median wall-clock time) with 1000 plugins.

Standard library only; Python 3.10+. Run from anywhere: ``python benchmarks/completion.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import (
    DEFAULT_WORK_DIR,
    Benchmark,
    BenchmarkError,
    Environment,
    Result,
    check_work_dir,
    measure,
    prepare_environment,
    run_environment,
    snapshot_sources,
    source_revision,
)

#: Median wall-clock time one request may take with the largest plugin count, in seconds.
LIMIT: Final = 0.100

#: (key, what it completes, words after ``__complete``, text the reply must contain)
REQUESTS: Final = (
    ("names", "command names: myapp be<Tab>", ("bash", "--", "be"), "bench"),
    ("second_word", "second word of 1000 names: myapp bench <Tab>", ("bash", "--", "bench", ""), "0001"),
    ("options", "options, cache warm: myapp bench 0001 --<Tab>", ("fish", "--", "bench", "0001", "--"), "--limit"),
    (
        "values",
        "option values: myapp bench 0001 --format <Tab>",
        ("zsh", "--", "bench", "0001", "--format", ""),
        "json",
    ),
    (
        "plugins",
        "plugin names: myapp plugin show bench-plugin-09<Tab>",
        ("bash", "--", "plugin", "show", "bench-plugin-09"),
        "bench-plugin-0999",
    ),
    (
        "events",
        "hook events of 1000 commands: myapp hooks run pre_bench_09<Tab>",
        ("bash", "--", "hooks", "run", "pre_bench_09"),
        "pre_bench_0999",
    ),
)
#: The requests whose prefix only the 999th plugin and later match: with fewer plugins, an empty answer is right.
NEED_ALL_PLUGINS: Final = ("plugins", "events")
#: Run once before timing: a Tab press imports no plugin code, so the options of ``bench 0001`` complete
#: only once something has built its parser and recorded them (a run, ``help``, ``plugin check``).
RECORD_OPTIONS: Final = ("help", "bench", "0001")


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="as for startup.py (default: %(default)s)"
    )
    parser.add_argument("--plugins", type=int, default=1000, help="plugins in the large environment (default: 1000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per request (default: 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per request first (default: 2)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a request is over the limit")
    return parser.parse_args(argv)


def define_requests(work_dir: Path, environments: Sequence[Environment]) -> list[Benchmark]:
    """One benchmark per request and environment."""
    benchmarks = []
    for environment in environments:
        env = run_environment(work_dir, environment)
        myapp = str(environment.script("myapp"))
        for key, label, words, expect in REQUESTS:
            if environment.plugins < 999 and key in NEED_ALL_PLUGINS:
                expect = "values"
            argv = (myapp, "__complete", *words)
            benchmarks.append(Benchmark(key, label, environment.plugins, argv, env, environment.root, expect))
    return benchmarks


def record_options(work_dir: Path, environments: Sequence[Environment]) -> None:
    """Record the options of the command the requests complete, as a user's first run of it would."""
    for environment in environments:
        argv = [str(environment.script("myapp")), *RECORD_OPTIONS]
        env = run_environment(work_dir, environment)
        result = subprocess.run(argv, env=env, cwd=environment.root, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BenchmarkError(f"'{' '.join(argv)}' failed with status {result.returncode}: {result.stderr}")


def report(results: Sequence[Result], counts: Sequence[int]) -> tuple[str, bool]:
    """A markdown table of medians and minimums, and whether every request of the largest K is under the limit."""
    header = ["Request", *(f"K={k} wall median / min (ms)" for k in counts), f"K={counts[-1]} CPU median (ms)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---", *["---:"] * (len(header) - 1)]) + "|"]
    by_key = {(r.benchmark.key, r.benchmark.plugins): r for r in results}
    passed = True
    for key, label, _, _ in REQUESTS:
        cells = [f"{by_key[key, k].median * 1e3:.1f} / {by_key[key, k].minimum * 1e3:.1f}" for k in counts]
        largest = by_key[key, counts[-1]]
        passed &= largest.median < LIMIT
        lines.append(f"| {label} | {' | '.join(cells)} | {largest.cpu_median * 1e3:.1f} |")
    return "\n".join(lines), passed


def main(argv: Sequence[str] | None = None) -> int:
    """Set up (or reuse) the environments, warm the caches, time every request; return the exit status."""
    started = time.perf_counter()
    arguments = parse_arguments(argv)
    counts = sorted({1, arguments.plugins})
    try:
        work_dir = check_work_dir(arguments.work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)
        revision = source_revision()
        sources, digest = snapshot_sources(work_dir)
        environments = [prepare_environment(work_dir, k, sources, digest) for k in counts]
        record_options(work_dir, environments)
        results = measure(define_requests(work_dir, environments), arguments.repeat, arguments.warmup)
    except BenchmarkError as error:
        print(f"completion.py: error: {error}", file=sys.stderr)
        return 2
    table, passed = report(results, counts)
    print(table)
    worst = max(statistics.median(r.samples) for r in results if r.benchmark.plugins == counts[-1])
    verdict = "PASS" if passed else "FAIL"
    print(
        f"\n{verdict}: K={counts[-1]}: every request under {LIMIT * 1e3:.0f} ms (slowest median {worst * 1e3:.1f} ms)"
    )
    print(
        f"{arguments.repeat} timed runs per request after {arguments.warmup} warm-up runs; "
        f"took {time.perf_counter() - started:.0f} s; revision {revision} (sources {digest[:12]})"
    )
    return 1 if arguments.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
