#!/usr/bin/env python3
"""Start-up of a tool whose commands live in several namespaces, against one with all of them in one.

Reuses the work area, the source snapshot, the synthetic plugins and the
paired timing of ``benchmarks/startup.py``. It keeps two environments with
the same 900 plugin distributions (by default), which differ only in where
each plugin registers its command:

* ``venv-ns3x300``: in one of three namespaces, 300 commands in each
  (``nstool.compute``, ``nstool.network``, ``nstool.storage``);
* ``venv-ns1x900``: all 900 in ``nstool.commands``.

Each environment gets two tools over its namespaces, written beside the
plugins: ``nstool``, built on an :class:`~myapp.identity.Identity` naming
the namespaces (as ``docs/examples/acme`` builds its tool), and ``nscliff``,
a cliff app moved to myapp that reads them with cliff's
``CommandManager(namespace)`` and ``add_command_group(namespace)`` (as
``docs/examples/cliffling`` does). In fresh processes with warm caches, in
interleaved rounds, it times each tool running the last plugin's command
(in the last namespace) and ``--help``, with ``python -c "import cliff.app"``
as a control: the two environments hold the same distributions, so the
interpreter must cost the same in both.

A target is the median, over the rounds, of each round's ratio of CPU times
(three namespaces / one), judged against 1.05. It prints a markdown table
and PASS/FAIL, and writes every sample as JSON. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import (
    DEFAULT_WORK_DIR,
    Benchmark,
    BenchmarkError,
    Environment,
    Key,
    Result,
    Target,
    check_work_dir,
    count_target_instructions,
    describe_ratios,
    evaluate_targets,
    measure,
    prepare_environment,
    progress,
    result_record,
    run_environment,
    run_facts,
    snapshot_sources,
    source_revision,
    write_if_changed,
)

#: The tools, by the first part of their namespaces: myapp's identity form, and a cliff app's constructors.
TOOL: Final = "nstool"
CLIFF_TOOL: Final = "nscliff"
#: The namespaces' last parts with several namespaces, and with one.
SEVERAL: Final = ("compute", "network", "storage", "identity", "image", "volume", "object", "dns")
ONE: Final = "commands"
#: How far the three-namespace tools may be slower than the one-namespace ones (issue 13's figure).
LIMIT: Final = 1.05

#: The tool built on myapp's identity; ``NAMESPACES_VALUE`` is replaced by the environment's namespaces.
TOOL_MODULE: Final = '''\
"""A tool on myapp whose commands come from the namespaces its identity names (benchmarks/namespaces.py)."""

import sys

from myapp.app import main
from myapp.identity import Identity

TOOL = Identity("nstool", description="namespace benchmark tool", command_namespaces=NAMESPACES_VALUE)


def console_main():
    sys.exit(main(identity=TOOL, version="1.0.0"))
'''

#: A cliff app moved to myapp by swapping its imports; ``NAMESPACES_VALUE`` as above.
CLIFF_TOOL_MODULE: Final = '''\
"""A cliff app moved to myapp, reading commands from one namespace and further command groups."""

import sys

from myapp import App, CommandManager

NAMESPACES = NAMESPACES_VALUE


class NamespaceApp(App):
    """cliff's constructors: the first namespace, then one command group per further namespace."""

    def __init__(self):
        manager = CommandManager(NAMESPACES[0])
        for namespace in NAMESPACES[1:]:
            manager.add_command_group(namespace)
        super().__init__(
            description="namespace benchmark cliff app",
            version="1.0.0",
            command_manager=manager,
            deferred_help=True,
        )


def console_main():
    sys.exit(NamespaceApp().run(sys.argv[1:]))
'''

#: A console script, as pip writes one: ``MODULE`` is replaced by the tool's module.
CONSOLE_SCRIPT: Final = """\
#!PYTHON
import sys
from MODULE import console_main
if __name__ == "__main__":
    sys.exit(console_main())
"""


@dataclass(frozen=True)
class Layout:
    """Where the plugins' commands live: *count* namespaces of *size* commands each."""

    count: int
    size: int

    @property
    def name(self) -> str:
        """The environment's name in the work area, and the suffix of its benchmarks' keys."""
        return f"ns{self.count}x{self.size}"

    def namespaces(self, tool: str) -> tuple[str, ...]:
        """The namespaces of *tool*, in the order the tool reads them."""
        parts = SEVERAL[: self.count] if self.count > 1 else (ONE,)
        return tuple(f"{tool}.{part}" for part in parts)

    def of_plugin(self, number: int) -> tuple[str, ...]:
        """The namespaces (one per tool) where plugin *number* (from 1) registers its command."""
        part = (number - 1) // self.size
        return tuple(self.namespaces(tool)[part] for tool in (TOOL, CLIFF_TOOL))

    def describe(self) -> str:
        """The layout in words."""
        return f"{self.count} namespace{'s' if self.count > 1 else ''} x {self.size}"


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="as for startup.py (default: %(default)s)"
    )
    parser.add_argument(
        "--namespaces",
        type=int,
        choices=range(2, len(SEVERAL) + 1),
        default=3,
        metavar=f"2..{len(SEVERAL)}",
        help="namespaces of the several-namespace tools (default: 3)",
    )
    parser.add_argument("--per-namespace", type=int, default=300, help="commands in each of them (default: 300)")
    parser.add_argument("--repeat", type=int, default=21, help="timed rounds (default: 21)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per command line first (default: 2)")
    parser.add_argument("--output", type=Path, help="JSON results file (default: <work-dir>/namespaces.json)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a target fails")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of one warm run of each compared command line under valgrind",
    )
    arguments = parser.parse_args(argv)
    if arguments.per_namespace < 1 or arguments.repeat < 1 or arguments.warmup < 1:
        parser.error("--per-namespace, --repeat and --warmup must be at least 1")
    return arguments


def prepare(work_dir: Path, layout: Layout, sources: Path, digest: str) -> Environment:
    """The environment of *layout*: startup.py's, with the plugins registered in its namespaces, and the tools."""
    plugins = layout.count * layout.size
    environment = prepare_environment(work_dir, plugins, sources, digest, name=layout.name, namespaces=layout.of_plugin)
    for tool, template in ((TOOL, TOOL_MODULE), (CLIFF_TOOL, CLIFF_TOOL_MODULE)):
        namespaces = repr(layout.namespaces(tool))
        module = template.replace("NAMESPACES_VALUE", namespaces)
        write_if_changed(environment.site_packages / f"{tool}_app.py", module)
        script = CONSOLE_SCRIPT.replace("PYTHON", str(environment.python)).replace("MODULE", f"{tool}_app")
        write_if_changed(environment.script(tool), script)
        environment.script(tool).chmod(0o755)
    return environment


def tool_environment(work_dir: Path, environment: Environment) -> dict[str, str]:
    """startup.py's variables of the timed runs, with private caches for the two tools."""
    prefixes = tuple(f"{tool.upper()}_" for tool in (TOOL, CLIFF_TOOL))
    env = {k: v for k, v in run_environment(work_dir, environment).items() if not k.startswith(prefixes)}
    for tool in (TOOL, CLIFF_TOOL):
        env[f"{tool.upper()}_CACHE_DIR"] = str(work_dir / "cache" / environment.name / tool)
    return env


def define_benchmarks(
    work_dir: Path, layouts: Sequence[Layout], environments: Sequence[Environment]
) -> list[Benchmark]:
    """The command lines to time in each environment; a key ends with the layout's name."""
    benchmarks = []
    for layout, environment in zip(layouts, environments, strict=True):
        env = tool_environment(work_dir, environment)
        command = ("bench", f"{environment.plugins:04d}")
        for key, argv, expect in (
            ("import_cliff", (str(environment.python), "-c", "import cliff.app"), ""),
            ("tool_command", (str(environment.script(TOOL)), *command), "ok\n"),
            ("tool_help", (str(environment.script(TOOL)), "--help"), " ".join(command)),
            ("cliff_command", (str(environment.script(CLIFF_TOOL)), *command), "ok\n"),
            ("cliff_help", (str(environment.script(CLIFF_TOOL)), "--help"), " ".join(command)),
        ):
            label = f"{command_line(argv)} [{layout.describe()}]"
            key = f"{key}_{layout.name}"
            benchmarks.append(Benchmark(key, label, environment.plugins, argv, env, environment.root, expect))
    return benchmarks


def command_line(argv: Sequence[str]) -> str:
    """*argv* as the table shows it: programs by name, ``-c`` code quoted."""
    words = [Path(argv[0]).name, *argv[1:]]
    return " ".join(f'"{word}"' if " " in word else word for word in words)


def define_targets(several: Layout, one: Layout) -> list[Target]:
    """Each tool's command and ``--help``: *several* namespaces against *one*, within :data:`LIMIT`."""
    plugins = several.count * several.size
    targets = []
    for key, what in (
        ("tool_command", f"`{TOOL} <command>`"),
        ("tool_help", f"`{TOOL} --help`"),
        ("cliff_command", f"`{CLIFF_TOOL} <command>` (cliff's constructors)"),
        ("cliff_help", f"`{CLIFF_TOOL} --help` (cliff's constructors)"),
    ):
        description = f"{what}: {several.describe()} <= {LIMIT} x {one.describe()}"
        targets.append(
            Target(description, ((f"{key}_{several.name}", plugins),), ((f"{key}_{one.name}", plugins),), LIMIT)
        )
    return targets


def define_control(several: Layout, one: Layout) -> Target:
    """``import cliff.app`` in both environments: not judged; near 1, it shows that the environments cost the same."""
    plugins = several.count * several.size
    keys = (("import_cliff_" + several.name, plugins),), (("import_cliff_" + one.name, plugins),)
    return Target(f'`python -c "import cliff.app"`: {several.describe()} / {one.describe()}', *keys, LIMIT)


def markdown_table(results: Sequence[Result], layouts: Sequence[Layout], instructions: Mapping[Key, int]) -> str:
    """CPU medians, wall-clock medians and minimums (ms), and instructions (millions), per command line and layout."""
    by_line: dict[str, dict[str, Result]] = {}
    for result in results:
        line, _, layout = result.benchmark.key.rpartition("_")
        by_line.setdefault(line, {})[layout] = result
    header = ["Command line"]
    for layout in layouts:
        header += [f"{layout.describe()}: CPU median", "wall median / min"]
        header += ["instructions (M)"] if instructions else []
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for cells in by_line.values():
        row = [f"`{command_line(next(iter(cells.values())).benchmark.argv)}`"]
        for layout in layouts:
            result = cells[layout.name]
            row += [f"{result.cpu_median * 1e3:.1f}", f"{result.median * 1e3:.1f} / {result.minimum * 1e3:.1f}"]
            count = instructions.get((result.benchmark.key, result.benchmark.plugins))
            row += [f"{count / 1e6:.1f}" if count else "-"] if instructions else []
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def run_benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    """Set up, measure, judge; return the run as a JSON-ready record."""
    started = time.perf_counter()
    work_dir = check_work_dir(arguments.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    revision = source_revision()  # before the copy: others may commit while the benchmark runs
    sources, digest = snapshot_sources(work_dir)
    several = Layout(arguments.namespaces, arguments.per_namespace)
    one = Layout(1, several.count * several.size)
    layouts = (several, one)
    environments = [prepare(work_dir, layout, sources, digest) for layout in layouts]
    load_before = os.getloadavg()
    results = measure(define_benchmarks(work_dir, layouts, environments), arguments.repeat, arguments.warmup)
    load_after = os.getloadavg()
    targets, control = define_targets(several, one), define_control(several, one)
    instructions = count_target_instructions(results, [*targets, control]) if arguments.instructions else {}
    return {
        **run_facts(arguments, revision, digest, started, (load_before, load_after)),
        "layouts": [layout.name for layout in layouts],
        "table": markdown_table(results, layouts, instructions),
        "targets": evaluate_targets(results, instructions, targets),
        "control": evaluate_targets(results, instructions, [control])[0],
        "results": [result_record(result, instructions) for result in results],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, report; return the exit status."""
    arguments = parse_arguments(argv)
    try:
        run = run_benchmark(arguments)
    except BenchmarkError as error:
        print(f"namespaces.py: error: {error}", file=sys.stderr)
        return 2
    output = arguments.output or arguments.work_dir.absolute() / "namespaces.json"
    output.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    progress(f"results in {output}")
    print(run["table"])
    print()
    for verdict in run["targets"]:
        print(f"{verdict['verdict']}: {verdict['target']} ({describe_ratios(verdict)}; limit {verdict['limit']})")
    print(f"control, not judged: {run['control']['target']} ({describe_ratios(run['control'])})")
    load = run["load_average_before"]
    print(
        f"\n{run['repeat']} timed rounds after {run['warmup']} warm-up runs; took {run['elapsed_seconds']:.0f} s; "
        f"load average {load[0]:.1f} before, {run['load_average_after'][0]:.1f} after, {run['cpus']} CPUs; "
        f"revision {run['revision']}; results in {output}"
    )
    failed = any(v["verdict"] == "FAIL" for v in run["targets"])
    return 1 if arguments.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
