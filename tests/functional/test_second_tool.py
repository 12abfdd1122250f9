"""The framework serves a second tool name with its own namespaces, variables and folders.

The tool is ``docs/examples/acme``, the package docs/second-tool.rst shows:
installed with pip, it runs as ``acme``, and its own tests pass.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers.distributions import settle
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment

#: The example project of docs/second-tool.rst.
ACME_PROJECT = REPOSITORY / "docs" / "examples" / "acme"


@pytest.fixture(scope="module")
def acme_site(installed: VirtualEnvironment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The acme distribution, pip-installed into a folder of its own (the session venv stays as it is)."""
    folder = tmp_path_factory.mktemp("acme")
    # A copy: building in place would leave build/ and *.egg-info in the repository.
    project = shutil.copytree(ACME_PROJECT, folder / "project", ignore=shutil.ignore_patterns("tests"))
    installed.pip("install", "--no-deps", "--target", str(folder / "site"), str(project))
    return folder / "site"


@pytest.fixture
def acme(installed: VirtualEnvironment, acme_site: Path):
    """Run the ``acme`` console script pip made, with the session venv's plugins (``acme-ping`` among them)."""

    def run(*arguments: str, **env: str):
        return installed.command(
            [str(acme_site / "bin" / "acme"), *arguments], env={"PYTHONPATH": str(acme_site), **env}
        )

    return run


def test_second_tool_runs_its_own_commands_and_plugins(acme) -> None:
    result = acme("deploy", "production")
    assert (result.returncode, result.stdout, result.stderr) == (0, "deployed to production\n", "")
    result = acme("ping")
    assert (result.returncode, result.stdout, result.stderr) == (0, "pong\n", "")


def test_second_tool_ignores_the_first_tools_plugins(acme) -> None:
    result = acme("hello")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("acme: error: unknown command 'hello'")


def test_second_tool_has_its_own_help_and_version(acme) -> None:
    assert acme("--version").stdout == "acme 2.0.0\n"
    help_text = acme("--help").stdout
    assert help_text.startswith("usage: acme ")
    assert "Manage Acme deployments." in help_text
    assert re.search(r"^  ping +Answer pong \(acme-ping\)$", help_text, re.MULTILINE)
    assert re.search(r"^  deploy +Deploy the current release to an environment$", help_text, re.MULTILINE)
    assert re.search(r"^  server list +List the servers of every environment$", help_text, re.MULTILINE)


def test_second_tool_reads_its_own_environment_prefix(acme) -> None:
    assert acme("ping", ACME_NO_PLUGINS="1").returncode == 2
    assert acme("ping", MYAPP_NO_PLUGINS="1").returncode == 0


def test_the_tools_own_commands_are_built_ins_that_stay_without_plugins(acme) -> None:
    result = acme("--no-plugins", "server", "list", "-f", "value")
    assert (result.returncode, result.stdout, result.stderr) == (0, "web-1 production\nweb-2 staging\n", "")


def test_second_tool_keeps_its_own_cache(
    acme, acme_site: Path, installed: VirtualEnvironment, isolated_home: Path
) -> None:
    settle(acme_site, acme_site / "bin", installed.site_packages, installed.bin)
    acme("ping")
    assert list((isolated_home / ".cache" / "acme").glob("entry-points-*.bin"))
    assert not (isolated_home / ".cache" / "myapp").exists()


def test_the_tests_shown_on_the_page_pass(acme_site: Path) -> None:
    """docs/second-tool.rst shows acme's tests: they use the framework's fixtures, pointed at acme."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ACME_PROJECT / "tests")]
    result = VirtualEnvironment.command(argv, env={"PYTHONPATH": str(acme_site)}, cwd=ACME_PROJECT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b2 passed\b", result.stdout), result.stdout
