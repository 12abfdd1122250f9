"""Real cliff command classes from other distributions, registered unchanged as myapp plugins.

cliff's own ``HelpCommand`` and ``CompleteCommand``, and the Lister, ShowOne
and CommandHook of ``docs/examples/cliffling`` (a cliff app, installed as
written), are registered in ``myapp.commands`` by a plugin that ships no
command code of its own. Entry-point names with a literal space (cliff's
convention) run like their ``_`` spellings. The same commands run in the
interactive shell, driven on a terminal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

import pytest

from myapp.testing.distributions import Distribution, install_into
from tests.helpers.distributions import settle
from tests.helpers.terminal import PROMPT, Shell, Terminal
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment

REUSE = Distribution(
    name="myapp-cliff-reuse",
    files={
        "cliff_reuse_hooks.py": """
            def announce(context):
                context.app.stderr.write(f"hook: {context.event} {context.command}\\n")
        """,
    },
    entry_points={
        "myapp.commands": {
            "cliff_help": "cliff.help:HelpCommand",
            "cliff_complete": "cliff.complete:CompleteCommand",
            "server_list": "cliffling.compute:ServerList",
            "server show": "cliffling.compute:ServerShow",
            "network list": "cliffling.network:NetworkList",
        },
        "myapp.commands.server_list": {"region": "cliffling.hooks:RegionFilter"},
        "myapp.hooks.pre_server_list": {"announce": "cliff_reuse_hooks:announce"},
        "myapp.hooks.post_network_list": {"announce": "cliff_reuse_hooks:announce"},
    },
)
#: A plugin whose command names no command line can type.
UNTYPABLE = Distribution(
    name="myapp-untypable",
    files={},
    entry_points={"myapp.commands": {"server__reboot": "cliffling.compute:ServerList"}},
)

#: What cliffling's own app gives its commands in ``initialize_app``, given by a plugin's ``initialize`` hook instead.
FLEET_CLIENT = Distribution(
    name="myapp-fleet-client",
    files={
        "fleet_client_hooks.py": """
            from cliffling.fleet import FleetClient


            def provide(context):
                context.app.client_manager = FleetClient()
        """,
    },
    entry_points={"myapp.hooks.initialize": {"provide": "fleet_client_hooks:provide"}},
)

SERVERS = [("web-1", "north"), ("web-2", "south"), ("db-1", "north")]
#: The one line (and hint) of a command that needs what its original app set up.
NEEDS_CLIENT = (
    "myapp: error: command 'server show' in plugin 'myapp-cliff-reuse 1.0' "
    "needs the app attribute 'client_manager', which myapp does not have"
)


class Run(Protocol):
    def __call__(self, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]: ...


@pytest.fixture(scope="module")
def site(installed: VirtualEnvironment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cliffling as written (a cliff app), and the plugin that registers its classes and cliff's in myapp."""
    folder = tmp_path_factory.mktemp("reuse")
    project = shutil.copytree(REPOSITORY / "docs" / "examples" / "cliffling", folder / "project")
    installed.pip("install", "--no-deps", "--target", str(folder / "site"), str(project))
    install_into(REUSE, folder / "site")
    settle(folder / "site")
    return folder / "site"


@pytest.fixture
def myapp(installed: VirtualEnvironment, site: Path, isolated_home: Path) -> Run:
    def run(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
        return installed.run("myapp", *arguments, env={"PYTHONPATH": str(site), **env})

    return run


@pytest.mark.parametrize(
    ("output_format", "parse"),
    [
        ("json", lambda text: [tuple(row.values()) for row in json.loads(text)]),
        ("csv", lambda text: [tuple(cell.strip('"') for cell in line.split(",")) for line in text.splitlines()[1:]]),
        ("value", lambda text: [tuple(line.split()) for line in text.splitlines()]),
        ("yaml", lambda text: [tuple(line.split(": ")[1] for line in pair) for pair in _yaml_rows(text)]),
        ("table", lambda text: [tuple(c.strip() for c in line.split("|")[1:-1]) for line in text.splitlines()[3:-1]]),
    ],
)
def test_a_real_lister_speaks_every_output_format(myapp: Run, output_format: str, parse) -> None:  # type: ignore[no-untyped-def]
    result = myapp("server", "list", "-f", output_format)

    assert result.returncode == 0, result.stderr
    assert parse(result.stdout) == SERVERS
    assert result.stderr == "hook: pre_server_list server list\n"


def _yaml_rows(text: str) -> list[list[str]]:
    lines = [line.lstrip("- ").strip() for line in text.splitlines()]
    return [lines[index : index + 2] for index in range(0, len(lines), 2)]


def test_columns_and_the_command_hook_s_option_work(myapp: Run) -> None:
    result = myapp("server", "list", "-c", "Name", "--region", "north", "-f", "value")

    assert (result.returncode, result.stdout) == (0, "web-1\ndb-1\n")


def test_a_name_with_a_literal_space_runs_and_is_listed_helped_and_completed(myapp: Run) -> None:
    result = myapp("network", "list", "-f", "value")
    assert (result.returncode, result.stdout) == (0, "back 1\nfront 2\n")
    assert result.stderr == "hook: post_network_list network list\n"
    assert "network list" in myapp("--help").stdout
    assert myapp("help", "network", "list").stdout.startswith("usage: myapp network list")
    completed = myapp("__complete", "bash", "--", "network", "")
    assert completed.stdout.splitlines()[1:] == ["list"]


def test_help_of_a_real_command_shows_its_hook_s_option(myapp: Run) -> None:
    for arguments in (["server", "list", "--help"], ["help", "server", "list"]):
        result = myapp(*arguments)
        assert result.returncode == 0, result.stderr
        assert "--region REGION" in result.stdout
        assert "Servers can be filtered by region." in result.stdout


def test_cliff_s_own_help_command_runs_as_a_plugin_and_finds_commands_by_prefix(myapp: Run) -> None:
    result = myapp("cliff", "help", "server", "list")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: myapp server list")

    result = myapp("cliff", "help", "serv")  # cliff catches find_command's ValueError and lists the matches
    assert (result.returncode, result.stdout) == (0, 'Command "serv" matches:\n  server list\n  server show\n')


def test_cliff_s_own_complete_command_runs_as_a_plugin(myapp: Run) -> None:
    # cliff's command imports every command to read its options: the session's broken test plugins stay out
    result = myapp("cliff", "complete", "--shell", "bash", MYAPP_ONLY_PLUGINS="myapp-cliff-reuse")

    assert (result.returncode, result.stderr) == (0, "")
    assert "complete -F _myapp myapp" in result.stdout
    assert "server_list" in result.stdout or "server list" in result.stdout


def test_a_command_that_needs_its_original_app_fails_with_one_line(myapp: Run) -> None:
    result = myapp("server", "show", "web-1")

    assert (result.returncode, result.stdout) == (1, "")
    first, hint = result.stderr.splitlines()
    assert first == NEEDS_CLIENT
    assert hint.startswith("hint: the command was written for another cliff app;")
    assert "Traceback" not in result.stderr


def test_plugin_check_reports_a_command_name_no_command_line_can_type(
    installed: VirtualEnvironment, site: Path, isolated_home: Path, tmp_path: Path
) -> None:
    install_into(UNTYPABLE, tmp_path / "site")
    settle(tmp_path / "site")
    env = {"PYTHONPATH": f"{site}:{tmp_path / 'site'}"}

    result = installed.run("myapp", "plugin", "check", "myapp-untypable", env=env)

    assert result.returncode == 3
    assert "command 'server__reboot' can never be typed: it has an empty word" in result.stdout + result.stderr
    listed = installed.run("myapp", "--help", env={**env, "COLUMNS": "200"})
    assert (
        "server  reboot" not in listed.stdout and "myapp-untypable" not in listed.stdout
    )  # --help offers no such name
    passed = installed.run("myapp", "plugin", "check", "myapp-cliff-reuse", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def _shell(installed: VirtualEnvironment, folder: Path, *sites: Path) -> tuple[Terminal, Shell]:
    """``myapp`` alone on a terminal, with the plugins of *sites* on its path."""
    terminal = Terminal(folder, [str(installed.bin / "myapp")], env={"PYTHONPATH": os.pathsep.join(map(str, sites))})
    try:
        return terminal, Shell(terminal)
    except BaseException:
        terminal.close()
        raise


def _lines(printed: str) -> list[str]:
    """What a line of the shell printed, without the line itself (which the line editor may echo again) and
    without warnings about the test plugins that other tests installed into the shared venv."""
    return [line for line in printed.splitlines() if not line.startswith((PROMPT, "myapp: warning: "))]


def test_real_cliff_commands_run_in_the_interactive_shell(
    installed: VirtualEnvironment, site: Path, isolated_home: Path, tmp_path: Path
) -> None:
    terminal, shell = _shell(installed, tmp_path / "terminal", site)
    try:
        hook, *data = _lines(shell.run("server list -f json"))
        assert hook == "hook: pre_server_list server list"
        assert [tuple(row.values()) for row in json.loads("\n".join(data))] == SERVERS
        assert _lines(shell.run("server list -f value -c Name --region north"))[1:] == ["web-1", "db-1"]

        helped = shell.run("cliff help server list", "--region REGION", "Servers can be filtered by region.")
        assert _lines(helped)[0].startswith("usage: server list [-h] [--region REGION]")
        # as on the command line, where help is deferred: what 'help server list' prints, not paged
        assert _lines(shell.run("server list --help")) == _lines(shell.run("help server list"))

        assert _lines(shell.run("server show web-1 -f json"))[0] == NEEDS_CLIENT
        assert _lines(shell.run("network list -f value")) == [
            "back 1",
            "front 2",
            "hook: post_network_list network list",
        ]
        assert shell.leave() == 0
    finally:
        terminal.close()


def test_a_real_show_one_formats_its_data_in_the_shell_once_a_plugin_gives_the_app_its_client(
    installed: VirtualEnvironment, site: Path, isolated_home: Path, tmp_path: Path
) -> None:
    install_into(FLEET_CLIENT, tmp_path / "client")
    terminal, shell = _shell(installed, tmp_path / "terminal", site, tmp_path / "client")
    try:
        shown = shell.run("server show db-1 -f shell --prefix db_")

        assert _lines(shown) == ['db_name="db-1"', 'db_region="north"', 'db_network="back"']
        assert shell.leave() == 0
    finally:
        terminal.close()
