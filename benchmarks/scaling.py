#!/usr/bin/env python3
"""Start-up time against the number of installed plugins, drawn as a chart.

Reuses the work area and the synthetic plugins of ``benchmarks/startup.py``
(one virtual environment per plugin count) and times, in fresh processes
with warm caches, running one command of the first plugin:

* ``myapp bench 0001``;
* ``python -m stock_cliff_app bench 0001``: cliff's own ``CommandManager``,
  which imports every command module through stevedore;
* ``python -m click_lazy_app bench-0001``: a click group that finds its
  commands as entry points with :mod:`importlib.metadata` and imports only the
  one that runs (click's "lazy loading" pattern, fed by plugins);
* ``python -c "import cliff.app"``: the floor any cliff tool pays.

It prints a table, writes every sample as JSON, and draws the medians as an
SVG line chart (``docs/_static/startup-scaling.svg``, shown in
docs/performance.rst). ``--redraw FILE`` draws the chart again from a JSON
file of an earlier run without measuring. Standard library only; Python 3.10+.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart import Series, line_chart
from startup import (
    CLICK_NAMESPACE,
    DEFAULT_WORK_DIR,
    FIRST_COMMAND,
    REPO_ROOT,
    Benchmark,
    BenchmarkError,
    Environment,
    check_work_dir,
    count_instructions,
    measure,
    prepare_environment,
    progress,
    result_record,
    run_checked,
    run_environment,
    run_facts,
    snapshot_sources,
    source_revision,
    write_if_changed,
)

DEFAULT_SVG: Final = REPO_ROOT / "docs" / "_static" / "startup-scaling.svg"

#: A click application whose subcommands are the entry points of one namespace. Finding them reads
#: every installed distribution's metadata (importlib.metadata); only the command that runs is imported.
CLICK_APP_MODULE: Final = f'''\
"""click with a lazily loading group fed by entry points, for comparison with myapp (benchmarks/scaling.py)."""

from importlib.metadata import entry_points

import click


class EntryPointGroup(click.Group):
    """Subcommands from the entry points of a namespace, each imported only when it is run."""

    def __init__(self, namespace, **attributes):
        super().__init__(**attributes)
        self._namespace = namespace
        self._entry_points = None

    def _found(self):
        if self._entry_points is None:
            self._entry_points = {{ep.name: ep for ep in entry_points(group=self._namespace)}}
        return self._entry_points

    def list_commands(self, ctx):
        return sorted(self._found())

    def get_command(self, ctx, name):
        entry_point = self._found().get(name)
        return None if entry_point is None else entry_point.load()


cli = EntryPointGroup("{CLICK_NAMESPACE}", name="click_lazy_app", help="click benchmark application")

if __name__ == "__main__":
    cli()
'''

#: (key, label in the table, label in the chart, colour, dashed) of each command line, drawn in this order.
LINES: Final = (
    (
        "stock_command",
        "python -m stock_cliff_app bench 0001",
        "stock cliff app (imports every command)",
        "#c2410c",
        False,
    ),
    ("click_command", "python -m click_lazy_app bench-0001", "click, lazy group over entry points", "#15803d", False),
    ("myapp_command", "myapp bench 0001", "myapp", "#1d4ed8", False),
    ("import_cliff", 'python -c "import cliff.app"', "python -c 'import cliff.app' (the floor)", "#6b7280", True),
)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="as for startup.py (default: %(default)s)"
    )
    parser.add_argument(
        "--plugins",
        type=lambda text: tuple(sorted({int(part) for part in text.split(",")})),
        default=(1, 10, 100, 300, 1000),
        help="comma-separated plugin counts (default: 1,10,100,300,1000)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per command line (default: 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per command line first (default: 1)")
    parser.add_argument("--output", type=Path, help="JSON results file (default: <work-dir>/scaling.json)")
    parser.add_argument("--svg", type=Path, default=DEFAULT_SVG, help="the chart to write (default: %(default)s)")
    parser.add_argument("--redraw", type=Path, metavar="JSON", help="draw the chart from an earlier run's JSON file")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of one warm run of each command line under valgrind (several minutes)",
    )
    return parser.parse_args(argv)


def prepare_click(environment: Environment) -> None:
    """Install click into *environment* (once) and write the click application beside the plugins."""
    probe = subprocess.run([environment.python, "-c", "import click"], capture_output=True, check=False)
    if probe.returncode != 0:
        progress(f"installing click into {environment.root} with pip")
        run_checked([environment.python, "-m", "pip", "--disable-pip-version-check", "-q", "install", "click"])
    write_if_changed(environment.site_packages / "click_lazy_app.py", CLICK_APP_MODULE)


def define_benchmarks(work_dir: Path, environments: Sequence[Environment]) -> list[Benchmark]:
    """The command lines of :data:`LINES`, in every environment."""
    benchmarks = []
    for environment in environments:
        env = run_environment(work_dir, environment)
        python = str(environment.python)
        argvs = {
            "stock_command": (python, "-m", "stock_cliff_app", *FIRST_COMMAND),
            "click_command": (python, "-m", "click_lazy_app", "-".join(FIRST_COMMAND)),
            "myapp_command": (str(environment.script("myapp")), *FIRST_COMMAND),
            "import_cliff": (python, "-c", "import cliff.app"),
        }
        for key, label, *_ in LINES:
            expect = "" if key == "import_cliff" else "ok\n"
            benchmarks.append(Benchmark(key, label, environment.plugins, argvs[key], env, environment.root, expect))
    return benchmarks


def run_benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    """Set up, measure; return the run as the JSON-ready record the chart is drawn from."""
    started = time.perf_counter()
    work_dir = check_work_dir(arguments.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    revision = source_revision()
    sources, digest = snapshot_sources(work_dir)
    environments = [prepare_environment(work_dir, k, sources, digest) for k in arguments.plugins]
    for environment in environments:
        prepare_click(environment)
    load_before = os.getloadavg()
    benchmarks = define_benchmarks(work_dir, environments)
    results = measure(benchmarks, arguments.repeat, arguments.warmup)
    load_after = os.getloadavg()
    instructions = {(b.key, b.plugins): count_instructions(b) for b in benchmarks} if arguments.instructions else {}
    return {
        **run_facts(arguments, revision, digest, started, (load_before, load_after)),
        "plugins": list(arguments.plugins),
        "results": [result_record(result, instructions) for result in results],
    }


def medians(run: Mapping[str, Any], field: str = "cpu_median_ms") -> dict[str, dict[int, float]]:
    """One figure of each result (CPU medians in milliseconds by default): benchmark key -> plugin count -> figure."""
    table: dict[str, dict[int, float]] = {}
    for record in run["results"]:
        if record.get(field) is not None:
            table.setdefault(record["benchmark"], {})[record["plugins"]] = record[field]
    return table


def markdown_table(run: Mapping[str, Any], field: str = "cpu_median_ms", scale: float = 1.0) -> str:
    """One figure of each result as a markdown table: one row per command line, one column per plugin count."""
    table = medians(run, field)
    counts = run["plugins"]
    lines = [
        "| Command | " + " | ".join(f"K={k}" for k in counts) + " |",
        "|---|" + "---:|" * len(counts),
    ]
    for key, label, *_ in LINES:
        cells = [f"{table[key][k] * scale:.1f}" if k in table.get(key, {}) else "-" for k in counts]
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def draw(run: Mapping[str, Any]) -> str:
    """The chart of *run* as SVG text."""
    table = medians(run)
    series = [
        Series(name, sorted(table[key].items()), colour, dashed)
        for key, _, name, colour, dashed in LINES
        if key in table
    ]
    load = run["load_average_before"]
    note = (
        f"benchmarks/scaling.py, {run['date']}, revision {run['revision']}, Python {run['python']}, "
        f"{run['cpus']} CPUs (load {load[0]:.1f}); median CPU time (user + system) of {run['repeat']} runs"
    )
    return line_chart(
        series,
        x_title="installed plugins (log scale)",
        y_title="CPU time of one run (log scale)",
        note=note,
        title="Start-up time against installed plugins",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Measure (or read an earlier run), report, draw; return the exit status."""
    arguments = parse_arguments(argv)
    if arguments.redraw:
        run = json.loads(arguments.redraw.read_text(encoding="utf-8"))
    else:
        try:
            run = run_benchmark(arguments)
        except BenchmarkError as error:
            print(f"scaling.py: error: {error}", file=sys.stderr)
            return 2
        output = arguments.output or arguments.work_dir.absolute() / "scaling.json"
        output.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
        progress(f"results in {output}")
    print("CPU time, median of each command line's runs, in milliseconds:\n")
    print(markdown_table(run))
    if medians(run, "instructions"):
        print("\nInstructions of one warm run, in millions:\n")
        print(markdown_table(run, "instructions", 1e-6))
    arguments.svg.parent.mkdir(parents=True, exist_ok=True)
    arguments.svg.write_text(draw(run), encoding="utf-8")
    print(f"\nchart: {arguments.svg}; revision {run['revision']}, load average {run['load_average_before']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
