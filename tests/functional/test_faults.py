"""The fault matrix, end to end: each kind of broken plugin gives its documented outcome and breaks nothing else."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.faults import FAULTS, Fault
from tests.helpers.plugins import SLOW_IMPORT_VARIABLE
from tests.helpers.surroundings import SITUATIONS
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment

FAULT_MATRIX_PAGE = REPOSITORY / "docs" / "fault-matrix.rst"


def run_fault(installed: VirtualEnvironment, fault: Fault, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the row's command: ``myapp <argv>``, or its shell line in *folder* as the row's setup left it."""
    if not fault.line:
        return installed.run("myapp", *fault.argv, env=fault.env, timeout=fault.timeout)
    folder.mkdir()
    env = {**fault.env, **(fault.setup(folder) if fault.setup else {})}
    env["PATH"] = f"{installed.bin}{os.pathsep}{os.environ['PATH']}"
    return installed.command(["bash", "-o", "pipefail", "-c", fault.line], env=env, cwd=folder, timeout=fault.timeout)


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.kind for fault in FAULTS])
def test_fault_ends_with_its_documented_status_and_message(
    installed: VirtualEnvironment, fault: Fault, tmp_path: Path
) -> None:
    result = run_fault(installed, fault, tmp_path / "here")
    assert result.returncode == fault.exit_code, result.stderr
    for text in fault.says:
        assert text in result.stderr
    assert "Traceback" not in result.stderr
    if fault.exit_code in (1, 3):
        assert result.stdout == ""
        assert result.stderr.startswith("myapp: error: ")
    if 1 <= fault.exit_code <= 4 and "2>&-" not in fault.command:  # with stderr closed there is nowhere to say it
        assert "\nmyapp: error: " in f"\n{result.stderr}"


@pytest.mark.parametrize(
    "fault", [f for f in FAULTS if f.traceback_with_debug], ids=[f.kind for f in FAULTS if f.traceback_with_debug]
)
def test_debug_adds_the_traceback(installed: VirtualEnvironment, fault: Fault) -> None:
    result = installed.run("myapp", "--debug", *fault.argv, env=fault.env)
    assert result.returncode == fault.exit_code
    assert "Traceback (most recent call last)" in result.stderr
    assert "--debug shows the traceback" not in result.stderr  # the hint does not offer what is on screen


def test_plugin_check_finds_every_fault_it_can_find_without_running_commands(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "check", "-f", "json")
    assert result.returncode == 3
    assert re.search(r"^myapp: error: plugin check found errors in \d+ plugins: 'myapp-broken', ", result.stderr, re.M)
    errors = {p["Entry point"].split(": ", 1)[1] for p in json.loads(result.stdout) if p["Severity"] == "error"}
    for fault in FAULTS:
        if fault.found_by_check:
            assert any(error.startswith(f"{fault.found_by_check} = ") for error in errors), fault.kind


#: Failures besides the matrix's rows: each ends with its status and a ``myapp: error:`` line on stderr.
FAILURES = {
    "plugin check": (("plugin", "check"), 3),
    "plugin check, quiet": (("-q", "plugin", "check", "-f", "value"), 3),
    "hooks run, vetoed": (("hooks", "run", "pre_veto"), 4),
    "hooks run, hooks in a cycle": (("hooks", "run", "pre_cycle"), 3),
    "hooks run, failing post hook": (("hooks", "run", "post_postfail"), 3),
    "failing post hook, strict": (("--strict-plugins", "postfail"), 3),
    "broken plugins, strict": (("--strict-plugins", "shout"), 3),
    "no command off a terminal": ((), 2),
    "sys.exit out of range": (("exit", "300"), 1),
    "JSON log lines": (("--log-format", "json", "fail"), 1),
}


@pytest.mark.parametrize(("argv", "status"), FAILURES.values(), ids=FAILURES.keys())
def test_every_failure_status_comes_with_an_error_line(
    installed: VirtualEnvironment, argv: tuple[str, ...], status: int
) -> None:
    result = installed.run("myapp", *argv)
    assert result.returncode == status
    assert "\nmyapp: error: " in f"\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_every_other_command_still_works_next_to_all_faults(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "shout", "still", "fine").stdout == "STILL FINE\n"
    greetings = installed.run("myapp", "greeting", "list", "-f", "json")
    assert (greetings.returncode, greetings.stderr) == (0, "")
    assert len(json.loads(greetings.stdout)) == 5
    for command in (("--help",), ("plugin", "list"), ("hooks", "list"), ("bug-report",)):
        result = installed.run("myapp", *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_output_printed_at_import_never_reaches_the_json_on_stdout(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "noisy", "list", "-f", "json")
    assert json.loads(result.stdout) == [{"Name": "one"}, {"Name": "two"}]


def test_a_slow_import_is_paid_only_by_its_own_command(installed: VirtualEnvironment, marker_dir: Path) -> None:
    slow = {SLOW_IMPORT_VARIABLE: "30"}
    for command in (("hello",), ("greeting", "list", "-f", "json"), ("plugin", "list"), ("help", "shout")):
        result = installed.run("myapp", *command, env=slow, timeout=25)  # would take 30 s if it imported the plugin
        assert result.returncode == 0, (command, result.stderr)
    assert not (marker_dir / "faulty_plugin.slow.imported").exists()
    started = time.monotonic()
    assert installed.run("myapp", "slow", env={SLOW_IMPORT_VARIABLE: "2"}).returncode == 0
    assert time.monotonic() - started >= 2
    assert (marker_dir / "faulty_plugin.slow.imported").exists()


#: Where the second table of the page, the surroundings, starts.
SURROUNDINGS_HEADING = "Surroundings, files and signals\n"


def documented_rows(table: str = "faults") -> list[tuple[str, str, int]]:
    """(fault, command, exit status) of each row of one table of docs/fault-matrix.rst (faults or surroundings)."""
    faults, _, surroundings = FAULT_MATRIX_PAGE.read_text().partition(SURROUNDINGS_HEADING)
    row = re.compile(r"^   \* - (.+)\n     - ``(.+?)``\n     - (\d+)$", re.MULTILINE)
    text = faults if table == "faults" else surroundings
    return [(kind, command, int(status)) for kind, command, status in row.findall(text)]


def test_the_documented_matrix_lists_exactly_the_tested_faults() -> None:
    tested = [(fault.kind, fault.command, fault.exit_code) for fault in FAULTS]
    assert documented_rows() == tested
    page = FAULT_MATRIX_PAGE.read_text()
    assert f"lists the {len(FAULTS)} kinds of fault" in page
    assert f"**Fault kinds.** {len(FAULTS)} kinds" in page


def test_the_documented_surroundings_are_exactly_the_tested_ones() -> None:
    assert documented_rows("surroundings") == [(s.kind, s.command, s.exit_code) for s in SITUATIONS]
    for situation in SITUATIONS:
        file, _, test = situation.test.partition("::")
        source = (Path(__file__).parent / file).read_text()
        assert f"def {test}(" in source, f"{situation.kind}: no test {situation.test}"
