"""Both packages install the ways users install them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.listing import command_rows
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment


@pytest.fixture(scope="module")
def editable(tmp_path_factory: pytest.TempPathFactory) -> VirtualEnvironment:
    environment = VirtualEnvironment.create(tmp_path_factory.mktemp("editable") / "venv")
    environment.pip("install", "-e", str(REPOSITORY), "-e", str(REPOSITORY / "myapp_plugins_example"))
    return environment


def test_editable_installs_of_both_packages_work(editable: VirtualEnvironment) -> None:
    result = editable.run("myapp", "hello", "editable")
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello, Editable!\n", "")


def test_editable_install_lists_the_example_commands(editable: VirtualEnvironment) -> None:
    help_text = editable.run("myapp", "--help").stdout
    rows = command_rows(help_text)
    assert rows["greeting show"] == "Show one greeting by its language code (myapp-plugins-example)"


def test_python_dash_m_runs_the_app(installed: VirtualEnvironment, tmp_path: Path) -> None:
    result = installed.command([str(installed.python), "-m", "myapp", "hello"])
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")


def test_example_plugin_declares_its_myapp_requirement(installed: VirtualEnvironment) -> None:
    result = installed.command(
        [str(installed.python), "-c", "import importlib.metadata as m; print(m.requires('myapp-plugins-example'))"]
    )
    assert "myapp<1,>=0.1" in result.stdout
