"""A cliff app moves onto myapp by swapping two imports (docs/migrating-from-cliff.rst).

The app is ``docs/examples/cliffling``: two command namespaces, a Lister, a
ShowOne registered under a name with a space, and a CommandHook. It is
installed twice with pip, as written (it runs on cliff) and with its two
imports swapped (it runs on myapp); both give the same output, and the myapp
one gains plugin management, fault isolation, completion and hooks across
both namespaces.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

import pytest

from myapp.testing.distributions import Distribution, install_into
from tests.helpers.distributions import settle
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment

#: The example project of docs/migrating-from-cliff.rst.
CLIFFLING = REPOSITORY / "docs" / "examples" / "cliffling"
#: The two lines the guide swaps, and what they become.
SWAP = {
    "from cliff.app import App\n": "from myapp import App\n",
    "from cliff.commandmanager import CommandManager\n": "from myapp import CommandManager\n",
}

#: A plugin for the moved app: one command in its second namespace, and a myapp hook around a command of the first.
SUBNETS = Distribution(
    name="cliffling-subnets",
    files={
        "cliffling_subnets/__init__.py": """
            from cliff.lister import Lister


            class SubnetList(Lister):
                \"\"\"List the subnets.\"\"\"

                def take_action(self, parsed_args):
                    return ("Subnet",), [("10.0.0.0/24",)]


            def announce(context):
                context.app.stderr.write(f"about to run {context.command}\\n")
        """,
    },
    entry_points={
        "cliffling.network": {"subnet_list": "cliffling_subnets:SubnetList"},
        "cliffling.hooks.pre_server_list": {"announce": "cliffling_subnets:announce"},
    },
)
#: A plugin whose command cannot be imported.
BROKEN = Distribution(
    name="cliffling-broken",
    files={"cliffling_broken/__init__.py": "raise ImportError('no such library: fleetlib')\n"},
    entry_points={"cliffling.network": {"router_list": "cliffling_broken:RouterList"}},
)


class Run(Protocol):
    def __call__(self, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]: ...


def _install(installed: VirtualEnvironment, folder: Path, swap: bool) -> Path:
    """The example pip-installed into a folder of its own, its imports swapped to myapp's when *swap*."""
    project = Path(shutil.copytree(CLIFFLING, folder / "project"))
    if swap:
        main = project / "cliffling" / "main.py"
        text = main.read_text(encoding="utf-8")
        for old, new in SWAP.items():
            assert text.count(old) == 1
            text = text.replace(old, new)
        main.write_text(text, encoding="utf-8")
    installed.pip("install", "--no-deps", "--target", str(folder / "site"), str(project))
    return folder / "site"


@pytest.fixture(scope="module")
def sites(installed: VirtualEnvironment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``cliff``: the example as written; ``myapp``: swapped, with a plugin for it; ``broken``: a broken plugin."""
    found = {
        name: _install(installed, tmp_path_factory.mktemp(name), swap=name == "myapp") for name in ("cliff", "myapp")
    }
    found["plugins"] = tmp_path_factory.mktemp("plugins")
    install_into(SUBNETS, found["plugins"])
    found["broken"] = tmp_path_factory.mktemp("broken")
    install_into(BROKEN, found["broken"])
    settle(*found.values())
    return found


def _runner(installed: VirtualEnvironment, *sites: Path) -> Run:
    def run(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
        path = ":".join(map(str, sites))
        return installed.command([str(sites[0] / "bin" / "cliffling"), *arguments], env={"PYTHONPATH": path, **env})

    return run


@pytest.fixture
def on_cliff(installed: VirtualEnvironment, sites: dict[str, Path], isolated_home: Path) -> Run:
    return _runner(installed, sites["cliff"])


@pytest.fixture
def on_myapp(installed: VirtualEnvironment, sites: dict[str, Path], isolated_home: Path) -> Run:
    return _runner(installed, sites["myapp"], sites["plugins"])


@pytest.mark.parametrize(
    "command_line",
    [
        ["server", "list", "-f", "value"],
        ["server", "list", "--region", "north", "-f", "csv"],
        ["server", "list", "-c", "Name", "-f", "yaml"],
        ["server", "show", "web-2", "-f", "json"],
        ["network", "list"],
    ],
    ids=" ".join,
)
def test_the_example_prints_the_same_under_cliff_and_after_the_swap_under_myapp(
    on_cliff: Run, on_myapp: Run, command_line: list[str]
) -> None:
    before, after = on_cliff(*command_line), on_myapp(*command_line)

    assert (before.returncode, before.stderr) == (0, "")
    assert (after.returncode, after.stdout) == (0, before.stdout)


def test_after_the_swap_help_lists_the_commands_of_both_namespaces_and_their_plugins(on_myapp: Run) -> None:
    result = on_myapp("--help")

    assert (result.returncode, result.stderr) == (0, "")
    assert re.search(r"^  server list +List the servers of the fleet$", result.stdout, re.MULTILINE)
    assert re.search(r"^  server show +Show one server$", result.stdout, re.MULTILINE)
    assert re.search(r"^  network list +List the networks", result.stdout, re.MULTILINE)
    assert re.search(r"^  subnet list +List the subnets \(cliffling-subnets\)$", result.stdout, re.MULTILINE)
    assert "cliffling help" not in result.stdout
    help_text = on_myapp("help", "server", "list").stdout
    assert "--region REGION" in help_text


def test_after_the_swap_plugins_of_every_namespace_are_managed(on_myapp: Run) -> None:
    listed = on_myapp("plugin", "list", "-f", "value", "-c", "Name", "-c", "State")
    assert (listed.returncode, listed.stdout) == (0, "cliffling-subnets enabled\n")
    assert on_myapp("subnet", "list", "-f", "value").stdout == "10.0.0.0/24\n"

    result = on_myapp("--disable-plugin", "cliffling-subnets", "subnet", "list")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("cliffling: error: command 'subnet list' comes from plugin 'cliffling-subnets'")
    assert on_myapp("subnet", "list", CLIFFLING_NO_PLUGINS="1").returncode == 2


def test_after_the_swap_myapp_hooks_run_around_commands_of_the_app(on_myapp: Run) -> None:
    result = on_myapp("server", "list", "-f", "value", "--region", "south")

    assert (result.returncode, result.stdout, result.stderr) == (0, "web-2 south\n", "about to run server list\n")


def test_after_the_swap_commands_complete_from_both_namespaces(on_myapp: Run) -> None:
    def candidates(*words: str) -> list[str]:
        result = on_myapp("__complete", "bash", "--", *words)
        assert result.returncode == 0
        return result.stdout.splitlines()[1:]  # after the reply's kind, "values"

    assert {"server", "network", "subnet", "plugin"} <= set(candidates(""))
    assert candidates("server", "") == ["list", "show"]
    assert candidates("subnet", "") == ["list"]
    assert on_myapp("server", "list").returncode == 0  # a run records the command's options, its hook's included
    assert candidates("server", "list", "--re") == ["--region"]


def test_after_the_swap_a_broken_plugin_breaks_only_its_own_command(
    installed: VirtualEnvironment, sites: dict[str, Path], isolated_home: Path
) -> None:
    run = _runner(installed, sites["myapp"], sites["broken"])

    assert run("server", "list", "-f", "value").returncode == 0
    result = run("router", "list")
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr.startswith("cliffling: error: plugin 'cliffling-broken' could not load 'router_list = ")
    assert "(ImportError: no such library: fleetlib)" in result.stderr
    assert "Traceback" not in result.stderr


def test_after_the_swap_an_unknown_command_is_one_line_and_exit_2(on_myapp: Run) -> None:
    result = on_myapp("server", "lst")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == "cliffling: error: unknown command 'server lst'"
    assert result.stderr.splitlines()[1].startswith("hint: did you mean 'server list'")
