"""Plugins made for another release of myapp are skipped, from metadata alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, install_into
from tests.helpers.plugins import MARKER_DIR_VARIABLE
from tests.helpers.venvs import VirtualEnvironment

OLD = Distribution(
    name="myapp-old",
    files={
        "old_plugin/__init__.py": f"""
            import os
            import pathlib

            from cliff.command import Command

            pathlib.Path(os.environ["{MARKER_DIR_VARIABLE}"], "old_plugin.imported").touch()


            class Old(Command):
                \"\"\"Made for an old myapp.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("old ran\\n")
        """
    },
    entry_points={"myapp.commands": {"old": "old_plugin:Old"}},
    requires=("myapp<0.1", "cliff"),
)
SKIPPED = "myapp: warning: skipping plugin 'myapp-old': it needs myapp<0.1, running 0.1.0"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    install_into(OLD, folder)
    return folder


def run(installed: VirtualEnvironment, site: Path, *arguments: str, **env: str):
    return installed.run("myapp", *arguments, env={"PYTHONPATH": str(site), **env})


def test_incompatible_plugin_is_skipped_with_one_line_and_never_imported(installed, site, marker_dir) -> None:
    result = run(installed, site, "hello")
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")
    assert result.stderr == f"{SKIPPED}; --ignore-compat myapp-old loads it anyway\n"
    assert run(installed, site, "old").returncode == 2
    assert list(marker_dir.iterdir()) == []


def test_incompatible_plugin_shows_in_plugin_list_and_show(installed, site) -> None:
    rows = {row["Name"]: row for row in json.loads(run(installed, site, "plugin", "list", "-f", "json").stdout)}
    assert rows["myapp-old"]["State"] == "incompatible"
    assert rows["myapp-old"]["Reason"].startswith("needs myapp<0.1, running 0.1.0")
    shown = json.loads(run(installed, site, "plugin", "show", "myapp-old", "-f", "json").stdout)
    assert shown["State"] == "incompatible"


def test_running_its_command_explains_and_offers_the_override(installed, site) -> None:
    result = run(installed, site, "old")
    assert result.returncode == 2
    assert "which is incompatible: needs myapp<0.1, running 0.1.0" in result.stderr
    assert "hint: install a release of 'myapp-old' made for this myapp, or pass --ignore-compat myapp-old" in (
        result.stderr
    )


@pytest.mark.parametrize("override", [("--ignore-compat", "myapp-old"), ()])
def test_override_loads_it_with_a_warning(installed, site, override) -> None:
    env = {} if override else {"MYAPP_IGNORE_COMPAT": "myapp_old"}
    result = run(installed, site, *override, "old", **env)
    assert (result.returncode, result.stdout) == (0, "old ran\n")
    assert "myapp: warning: loading plugin 'myapp-old' although it needs myapp<0.1, running 0.1.0" in result.stderr


def test_strict_plugins_fails_on_an_incompatible_plugin(installed, site) -> None:
    result = run(
        installed, site, "hello", MYAPP_STRICT_PLUGINS="1", MYAPP_ONLY_PLUGINS="myapp-plugins-example,myapp-old"
    )
    assert result.returncode == 3
    assert "--strict-plugins: plugin 'myapp-old' cannot run: needs myapp<0.1" in result.stderr
