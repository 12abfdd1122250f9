"""The pytest plugin, as a plugin author meets it: pytest, run as a program, finds the fixtures by itself."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from myapp.testing import VirtualEnvironment

#: A plugin author's test file: in-memory runs, a private home, and a throw-away plugin installed with pip.
AUTHOR_TESTS = '''
import os

from cliff.command import Command

from myapp.testing import Distribution, FakePlugin


class Hello(Command):
    """Say hello."""

    def take_action(self, parsed_args):
        self.app.stdout.write("Hello!\\n")


def test_run_in_process_with_an_in_memory_plugin(myapp_run):
    result = myapp_run(["hello"], plugins=[FakePlugin(name="author", commands={"hello": Hello})])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello!\\n", "")


def test_an_unknown_command_is_a_usage_error(myapp_run):
    result = myapp_run(["nothing"], plugins=[])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("myapp: error: unknown command 'nothing'")


def test_the_home_is_private_and_outside_settings_are_gone(myapp_home, tmp_path):
    assert os.environ["HOME"] == str(myapp_home) and myapp_home.parent == tmp_path
    assert os.environ["MYAPP_CACHE_DIR"] == str(myapp_home / "cache_dir")
    assert "MYAPP_DEBUG" not in os.environ


PING = Distribution(
    name="author-ping",
    files={"author_ping.py": """
        from cliff.command import Command


        class Ping(Command):
            \\"\\"\\"Answer pong.\\"\\"\\"

            def take_action(self, parsed_args):
                self.app.stdout.write("pong\\\\n")
    """},
    entry_points={"myapp.commands": {"ping": "author_ping:Ping"}},
)
BROKEN = Distribution(
    name="author-broken",
    files={"author_broken.py": "import not_a_module_anywhere\\n"},
    entry_points={"myapp.commands": {"broken": "author_broken:Broken"}},
)


def test_a_pip_installed_plugin_runs_in_the_tool_as_a_program(myapp_plugin_env):
    myapp_plugin_env.install(PING, BROKEN)
    result = myapp_plugin_env.run("ping")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "pong\\n", "")
    broken = myapp_plugin_env.run("broken")
    assert (broken.exit_code, broken.stdout) == (3, "")
    assert broken.stderr.startswith("myapp: error: plugin 'author-broken' could not load 'broken = ")


def test_plugins_installed_by_another_test_are_not_seen(myapp_plugin_env):
    result = myapp_plugin_env.run("ping")
    assert result.exit_code == 2
    assert result.stderr.startswith("myapp: error: unknown command 'ping'")
'''

#: The same author's ``conftest.py`` for a plugin of another tool, ``acme``.
ACME_CONFTEST = """
import pytest

from myapp.identity import Identity


@pytest.fixture
def myapp_identity():
    return Identity("acme")
"""

ACME_TESTS = '''
import os

from cliff.command import Command

from myapp.testing import FakePlugin


class Deploy(Command):
    """Deploy."""

    def take_action(self, parsed_args):
        self.app.stdout.write("deployed\\n")


def test_the_fixtures_run_the_other_tool(myapp_run):
    assert "ACME_DEBUG" not in os.environ
    plugins = [FakePlugin(name="acme-deploy", commands={"deploy": Deploy})]
    assert myapp_run(["deploy"], plugins=plugins).stdout == "deployed\\n"
    result = myapp_run(["deplyo"], plugins=plugins)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("acme: error: unknown command 'deplyo'\\nhint: did you mean 'deploy'?")
'''

#: A test that must fail: the fixtures report a wrong expectation like any other assertion.
FAILING_TEST = """
def test_expects_the_wrong_output(myapp_run):
    assert myapp_run(["--version"]).stdout == "not the version\\n"
"""


def pytest_in_subprocess(folder: Path, **env: str) -> tuple[int, str]:
    """Run pytest on *folder* as a plugin author would, with the interpreter running this suite."""
    (folder / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)]
    result = VirtualEnvironment.command(argv, env=env, cwd=folder, timeout=300)
    return result.returncode, result.stdout + result.stderr


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def test_a_plugin_authors_tests_pass_with_the_fixtures_and_nothing_else(tmp_path: Path) -> None:
    folder = write(tmp_path / "author", {"test_author.py": AUTHOR_TESTS})
    code, output = pytest_in_subprocess(folder, MYAPP_DEBUG="1")
    assert code == 0, output
    assert re.search(r"\b5 passed\b", output), output


def test_a_conftest_points_the_fixtures_at_another_tool(tmp_path: Path) -> None:
    folder = write(tmp_path / "acme", {"conftest.py": ACME_CONFTEST, "test_acme.py": ACME_TESTS})
    code, output = pytest_in_subprocess(folder, ACME_DEBUG="1")
    assert code == 0, output
    assert re.search(r"\b1 passed\b", output), output


def test_a_wrong_expectation_fails_the_authors_test(tmp_path: Path) -> None:
    folder = write(tmp_path / "failing", {"test_failing.py": FAILING_TEST})
    code, output = pytest_in_subprocess(folder)
    assert code == 1, output
    assert re.search(r"\b1 failed\b", output), output
    assert "not the version" in output


def test_this_suite_gets_the_fixtures_once_from_the_entry_point(pytestconfig: pytest.Config, myapp_run) -> None:
    import myapp.pytest_plugin

    manager = pytestconfig.pluginmanager
    assert [name for name, plugin in manager.list_name_plugin() if plugin is myapp.pytest_plugin] == ["myapp"]
    result = myapp_run(["plugin", "list", "-f", "value", "-c", "Name"], plugins=[])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
