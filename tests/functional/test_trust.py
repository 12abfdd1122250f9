"""Trust: what other users could change is refused, --no-plugins runs no third-party code, paths are never run,
and the current directory is never an import source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import plugins
from tests.helpers.distributions import Distribution, install_into
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment

#: The top-level packages of every third-party plugin in the session venv.
PLUGIN_PACKAGES = sorted(
    {path.split("/")[0] for distribution in plugins.ALL for path in distribution.files} | {"myapp_plugins_example"}
)


@pytest.fixture
def config_file(isolated_home: Path) -> Path:
    path = isolated_home / ".config" / "myapp" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('disable_plugins = ["myapp-good"]\n')
    return path


def test_config_file_writable_by_others_is_ignored_with_the_fix(
    installed: VirtualEnvironment, config_file: Path
) -> None:
    config_file.chmod(0o666)
    result = installed.run("myapp", "shout", "hi")
    assert (result.returncode, result.stdout) == (0, "HI\n")  # the file's disable_plugins was not applied
    assert result.stderr == (
        f"myapp: warning: ignoring config file '{config_file}': it is writable by other users; "
        f"run 'chmod go-w {config_file}'\n"
    )
    config_file.chmod(0o644)
    assert installed.run("myapp", "shout", "hi").returncode == 2


def test_explicit_config_file_writable_by_others_is_ignored(installed: VirtualEnvironment, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text('disable_plugins = ["myapp-good"]\n')
    team.chmod(0o664)
    result = installed.run("myapp", "--config", str(team), "shout", "hi")
    assert (result.returncode, result.stdout) == (0, "HI\n")
    assert f"ignoring config file '{team}': it is writable by other users" in result.stderr


def test_cache_folder_writable_by_others_is_not_used(installed: VirtualEnvironment, tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    result = installed.run("myapp", "shout", "hi", env={"MYAPP_CACHE_DIR": str(cache)})
    assert (result.returncode, result.stdout) == (0, "HI\n")
    assert result.stderr == (
        f"myapp: warning: not using the cache folder '{cache}': it is writable by other users; "
        f"run 'chmod go-w {cache}'\n"
    )
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("--help",),
        ("plugin", "list"),
        ("hooks", "list"),
        ("config", "show"),
        ("bug-report",),
        ("hooks", "run", "pre_command"),
    ],
    ids=lambda command: " ".join(command),
)
def test_no_plugins_imports_no_third_party_module(installed: VirtualEnvironment, command: tuple[str, ...]) -> None:
    result = installed.command([str(installed.python), "-X", "importtime", "-m", "myapp", "--no-plugins", *command])
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "myapp" in imported  # the check sees imports at all
    assert imported.isdisjoint(PLUGIN_PACKAGES)


def test_no_plugins_runs_no_hook_scripts(installed: VirtualEnvironment, tmp_path: Path) -> None:
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir(mode=0o700)
    ran = tmp_path / "ran"
    script = hook_dir / "pre_command"
    script.write_text(f"#!/bin/sh\ntouch {ran}\n")
    script.chmod(0o755)
    env = {"MYAPP_HOOK_DIR": str(hook_dir)}
    assert installed.run("myapp", "--no-plugins", "config", "show", env=env).returncode == 0
    assert not ran.exists()
    assert installed.run("myapp", "config", "show", env=env).returncode == 0
    assert ran.exists()  # the script is runnable: only --no-plugins kept it from running


def test_path_values_expand_home_and_variables_and_are_never_run(
    installed: VirtualEnvironment, config_file: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    config_file.write_text(
        f'hook_dir = "$MYAPP_TEST_BASE/hooks-$(touch {marker})`touch {marker}`"\nplugin_paths = ["~/plugins"]\n'
    )
    result = installed.run("myapp", "config", "show", "-f", "json", env={"MYAPP_TEST_BASE": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    values = {row["Key"]: row["Value"] for row in json.loads(result.stdout)}
    assert values["hook_dir"] == f"{tmp_path}/hooks-$(touch {marker})`touch {marker}`"
    assert values["plugin_paths"] == [str(config_file.parents[2] / "plugins")]
    assert not marker.exists()


def test_the_trust_page_documents_every_refusal() -> None:
    page = (REPOSITORY / "docs" / "trust.rst").read_text()
    for refused in ("hook script", "drop-in plugin folder", "info file", "config file", "cache folder"):
        assert re.search(refused, page, re.IGNORECASE), refused


#: A plugin someone left in a folder: it must never be indexed from the current directory.
PLANTED_PLUGIN = Distribution(
    name="myapp-planted",
    files={
        "planted_plugin.py": """
            from cliff.command import Command


            class Planted(Command):
                \"\"\"Say that the planted plugin ran.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("planted plugin ran\\n")
        """
    },
    entry_points={"myapp.commands": {"planted": "planted_plugin:Planted"}},
)


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A folder holding modules myapp imports (each ends the program if imported) and a plugin."""
    folder = tmp_path / "planted"
    folder.mkdir()
    for module in ("cliff", "__future__"):
        (folder / f"{module}.py").write_text(f"raise SystemExit('planted {module}.py ran')\n")
    install_into(PLANTED_PLUGIN, folder)
    return folder


@pytest.mark.parametrize("safe_path", ["", "1"], ids=["", "PYTHONSAFEPATH"])
@pytest.mark.parametrize("pythonpath", [":{other}", "{other}:", "{other}::{other}"])
@pytest.mark.parametrize("launch", ["console script", "python -m"])
def test_the_current_directory_is_never_an_import_source(
    installed: VirtualEnvironment, planted: Path, tmp_path: Path, launch: str, pythonpath: str, safe_path: str
) -> None:
    program = [str(installed.bin / "myapp")] if launch == "console script" else [str(installed.python), "-m", "myapp"]
    env = {"PYTHONPATH": pythonpath.format(other=tmp_path / "elsewhere"), "PYTHONSAFEPATH": safe_path}
    result = installed.command([*program, "planted"], env=env, cwd=planted)
    assert "planted" not in result.stdout and " ran" not in result.stderr  # nothing of the folder was imported
    assert result.returncode == 2
    assert result.stderr.startswith("myapp: error: unknown command 'planted'\n")  # nor indexed
    listed = installed.command([*program, "plugin", "list", "-f", "value", "-c", "Name"], env=env, cwd=planted)
    assert (listed.returncode, "myapp-planted" in listed.stdout) == (0, False)


@pytest.mark.parametrize("named", ["{here}", "."])
def test_a_folder_named_in_pythonpath_stays_even_when_it_is_the_current_one(
    installed: VirtualEnvironment, tmp_path: Path, named: str
) -> None:
    install_into(PLANTED_PLUGIN, tmp_path)
    for program in ([str(installed.bin / "myapp")], [str(installed.python), "-m", "myapp"]):
        env = {"PYTHONPATH": f"{named.format(here=tmp_path)}:"}  # the empty element alone would be dropped
        result = installed.command([*program, "planted"], env=env, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "planted plugin ran\n", "")
