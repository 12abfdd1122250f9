"""The framework serves a second tool name with its own namespaces, variables and folders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.distributions import install_into
from tests.helpers.plugins import ACME
from tests.helpers.venvs import VirtualEnvironment

ACME_MAIN = """
import sys
from myapp.app import main
from myapp.identity import Identity

sys.exit(main(identity=Identity("acme", description="The acme tool.")))
"""


@pytest.fixture
def acme(installed: VirtualEnvironment, tmp_path: Path):
    site = tmp_path / "site"
    install_into(ACME, site)

    def run(*arguments: str, **env: str):
        command = [str(installed.python), "-c", ACME_MAIN, *arguments]
        return installed.command(command, env={"PYTHONPATH": str(site), **env})

    return run


def test_second_tool_runs_its_own_plugins(acme) -> None:
    result = acme("ping")
    assert (result.returncode, result.stdout, result.stderr) == (0, "pong\n", "")


def test_second_tool_ignores_the_first_tools_plugins(acme) -> None:
    result = acme("hello")
    assert result.returncode == 2
    assert result.stderr.startswith("acme: error: unknown command 'hello'")


def test_second_tool_has_its_own_help_and_version(acme) -> None:
    help_text = acme("--help").stdout
    assert help_text.startswith("usage: acme ")
    assert "The acme tool." in help_text
    assert re.search(r"^  ping +Answer pong \(acme-ping\)$", help_text, re.MULTILINE)


def test_second_tool_reads_its_own_environment_prefix(acme) -> None:
    assert acme("ping", ACME_NO_PLUGINS="1").returncode == 2
    assert acme("ping", MYAPP_NO_PLUGINS="1").returncode == 0


def test_second_tool_keeps_its_own_cache(acme, isolated_home: Path) -> None:
    acme("ping")
    assert list((isolated_home / ".cache" / "acme").glob("entry-points-*.bin"))
    assert not (isolated_home / ".cache" / "myapp").exists()
