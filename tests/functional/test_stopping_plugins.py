"""Plugins whose import ends the process or never returns: ``--help`` and ``plugin check`` go on without them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.helpers.distributions import install_into
from tests.helpers.listing import command_rows
from tests.helpers.plugins import RUDE
from tests.helpers.venvs import VirtualEnvironment

#: The import time limit of these tests, in seconds (``import_timeout``; 10 by default).
LIMIT = 2
TRACE = "myapp: plugins: "

EXITS = "plugin 'myapp-rude' could not load 'rude_exit = rude_plugin.exits:Cmd' (it ended the process with status 3 "
EXITS += "while being imported)"
HANGS = "plugin 'myapp-rude' could not load '{} = rude_plugin.hangs:{}' (it was still importing after 2 s, "
HANGS += "the import_timeout limit)"


@pytest.fixture
def rude(tmp_path: Path) -> dict[str, str]:
    """The environment of a run that sees ``myapp-rude`` next to the session's plugins, with a short time limit."""
    site = tmp_path / "site"
    install_into(RUDE, site)
    return {"PYTHONPATH": str(site), "MYAPP_IMPORT_TIMEOUT": str(LIMIT)}


def imports(marker_dir: Path, module: str) -> int:
    """How many times *module* (of ``myapp-rude``) began to be imported."""
    marker = marker_dir / f"{module}.imported"
    return len(marker.read_text()) if marker.exists() else 0


def trace_lines(stderr: str, start: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(TRACE + start)]


def test_help_lists_every_command_and_marks_plugins_that_end_or_stall_their_import_broken(
    installed: VirtualEnvironment, rude: dict[str, str], marker_dir: Path
) -> None:
    without = command_rows(installed.run("myapp", "--help").stdout)
    started = time.monotonic()
    result = installed.run("myapp", "--debug-plugins", "--help", env=rude, timeout=60)
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    rows = command_rows(result.stdout)
    assert {name: rows[name] for name in without} == without  # nothing is cut short
    assert rows["rude exit"] == f"[broken] {EXITS} (myapp-rude)"
    assert rows["rude hang"] == f"[broken] {HANGS.format('rude_hang', 'Cmd')} (myapp-rude)"
    assert rows["rude hang again"] == f"[broken] {HANGS.format('rude_hang_again', 'Other')} (myapp-rude)"
    assert rows["rude fine"] == "Say that the rude plugin's good command ran (myapp-rude)"
    assert f"myapp: warning: {EXITS}\n" in result.stderr
    assert "Traceback" not in result.stderr
    # The module that never returns was waited for once, although two commands name it; then a new child went on.
    assert (imports(marker_dir, "rude_plugin.exits"), imports(marker_dir, "rude_plugin.hangs")) == (1, 1)
    assert len(trace_lines(result.stderr, "import stopped: ")) == 2
    assert len(trace_lines(result.stderr, "importing ")) == 1
    assert LIMIT <= elapsed < 4 * LIMIT + 10


def test_a_second_help_is_served_from_the_cache_without_a_child_process(
    installed: VirtualEnvironment, rude: dict[str, str], marker_dir: Path
) -> None:
    first = installed.run("myapp", "--help", env=rude, timeout=60)

    second = installed.run("myapp", "--debug-plugins", "--help", env=rude, timeout=60)

    assert second.returncode == 0
    assert second.stdout == first.stdout
    assert trace_lines(second.stderr, "importing ") == []  # no child process was started
    assert not [line for line in trace_lines(second.stderr, "import") if "(myapp.commands)" in line]  # nor here
    assert (imports(marker_dir, "rude_plugin.exits"), imports(marker_dir, "rude_plugin.hangs")) == (1, 1)


def test_plugin_check_fails_naming_each_import_that_ends_or_stalls_and_checks_the_rest(
    installed: VirtualEnvironment, rude: dict[str, str], marker_dir: Path
) -> None:
    result = installed.run("myapp", "plugin", "check", "-f", "json", env=rude, timeout=60)

    assert result.returncode == 3
    assert "\nmyapp: error: plugin check found errors in " in f"\n{result.stderr}"
    errors = {(p["Entry point"], p["Problem"]) for p in json.loads(result.stdout) if p["Severity"] == "error"}
    assert ("myapp.commands: rude_exit = rude_plugin.exits:Cmd", EXITS) in errors
    for name, attribute in (("rude_hang", "Cmd"), ("rude_hang_again", "Other")):
        entry_point = f"myapp.commands: {name} = rude_plugin.hangs:{attribute}"
        assert (entry_point, HANGS.format(name, attribute)) in errors
    assert not any(entry_point.startswith("myapp.commands: rude_fine") for entry_point, _ in errors)
    assert any(entry_point.startswith("myapp.commands: broken_import = ") for entry_point, _ in errors)  # went on
    assert (imports(marker_dir, "rude_plugin.exits"), imports(marker_dir, "rude_plugin.hangs")) == (1, 1)


def test_plugin_list_verify_shows_such_a_plugin_broken(installed: VirtualEnvironment, rude: dict[str, str]) -> None:
    result = installed.run("myapp", "plugin", "list", "--verify", "-f", "json", env=rude, timeout=60)

    assert result.returncode == 0, result.stderr
    listed = {plugin["Name"]: plugin for plugin in json.loads(result.stdout)}
    assert (listed["myapp-rude"]["State"], listed["myapp-rude"]["Reason"]) == ("broken", EXITS)
    assert listed["myapp-good"]["State"] == "enabled"


GOOD_COMMAND = '''
from cliff.command import Command

from . import setup


class Quit(Command):
    """Stop early."""

    def take_action(self, parsed_args):
        return 0
'''


def test_a_drop_in_plugin_whose_helper_ended_the_import_is_described_once_the_helper_is_fixed(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    folder = tmp_path / "plugins"
    package = folder / "quitter"
    package.mkdir(parents=True)
    (folder / "quitter.plugin.toml").write_text(
        'name = "quitter"\nversion = "1.0"\n[commands]\nquit = "quitter.commands:Quit"\n'
    )
    (package / "__init__.py").write_text("")
    (package / "commands.py").write_text(GOOD_COMMAND)
    helper = package / "setup.py"
    helper.write_text("import os\n\nos._exit(4)\n")
    env = {"MYAPP_PLUGIN_PATHS": str(folder)}

    broken = installed.run("myapp", "--help", env=env, timeout=60)
    helper.write_text("# fixed\n")
    fixed = installed.run("myapp", "--help", env=env, timeout=60)

    assert "(it ended the process with status 4 while being imported)" in command_rows(broken.stdout)["quit"]
    assert command_rows(fixed.stdout)["quit"] == "Stop early (quitter)"
