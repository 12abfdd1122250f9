"""Trust: what other users could change is refused, --no-plugins runs no third-party code, paths are never run,
and the current directory is never an import source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import plugins
from tests.helpers.distributions import install_into
from tests.helpers.plugins import PATH_NAMES, PLANTED_PLUGIN, plant
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


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A folder holding modules myapp imports (each ends the program if imported) and a plugin."""
    return plant(tmp_path / "planted")


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


def test_pip_and_hook_scripts_never_import_from_the_current_directory(
    installed: VirtualEnvironment, planted: Path, tmp_path: Path
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir(mode=0o700)
    script = hooks / "pre_command"
    script.write_text('#!/bin/sh\necho "hook inherited PYTHONPATH=[$PYTHONPATH]" >&2\n')
    script.chmod(0o755)
    elsewhere = tmp_path / "elsewhere"
    env = {"PYTHONPATH": f":{elsewhere}", "MYAPP_HOOK_DIR": str(hooks)}
    missing = tmp_path / "no-such-plugin-1.0-py3-none-any.whl"
    result = installed.command([str(installed.bin / "myapp"), "plugin", "install", str(missing)], env=env, cwd=planted)
    assert "planted" not in result.stderr, result.stderr  # pip took none of the folder's modules
    assert f"hook inherited PYTHONPATH=[{elsewhere}]\n" in result.stderr  # nor will what a hook starts
    assert str(missing) in result.stderr and result.returncode == 1  # the real pip ran, and failed as it should


@pytest.mark.parametrize("named", ["{here}", "."])
def test_a_folder_named_in_pythonpath_stays_even_when_it_is_the_current_one(
    installed: VirtualEnvironment, tmp_path: Path, named: str
) -> None:
    install_into(PLANTED_PLUGIN, tmp_path)
    for program in ([str(installed.bin / "myapp")], [str(installed.python), "-m", "myapp"]):
        env = {"PYTHONPATH": f"{named.format(here=tmp_path)}:"}  # the empty element alone would be dropped
        result = installed.command([*program, "planted"], env=env, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "planted plugin ran\n", "")


#: The names refused, as ``plugin check`` shows them: namespace and name.
PATH_NAMES_REFUSED = {
    "myapp.commands: 'x/../../escape'",
    "myapp.commands: '.hidden'",
    "myapp.commands: 'bell\\x07'",
    "myapp.commands: 'longlonglonglonglonglonglon...longlonglonglonglonglonglong'",  # 120 characters, cut short
    "myapp.hooks.pre_x/../../escape: 'sneak'",
}


@pytest.fixture
def path_names(tmp_path: Path) -> dict[str, str]:
    """The environment of runs that see PATH_NAMES, with a hooks folder that has a ``pre_x`` subfolder.

    ``<hooks>/pre_x/../../escape`` is the executable ``<tmp>/escape``: a lookup that built a path from
    the command name would leave the hooks folder and run it.
    """
    install_into(PATH_NAMES, tmp_path / "site")
    hooks = tmp_path / "hooks"
    (hooks / "pre_x").mkdir(parents=True, mode=0o700)
    hooks.chmod(0o700)
    escape = tmp_path / "escape"
    escape.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'escaped'}'\n")
    escape.chmod(0o755)
    return {"PYTHONPATH": str(tmp_path / "site"), "MYAPP_HOOK_DIR": str(hooks)}


def warnings_about(plugin: str, stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("myapp: warning:") and f"'{plugin}'" in line]


def test_names_that_read_as_paths_are_refused_with_one_warning_naming_the_plugin(
    installed: VirtualEnvironment, path_names: dict[str, str], tmp_path: Path, marker_dir: Path
) -> None:
    for argv in (["tidy"], ["--help"], ["hooks", "list", "-f", "value", "-c", "Event"], ["x/../../escape"]):
        result = installed.run("myapp", *argv, env=path_names)
        assert "Traceback" not in result.stderr
        assert warnings_about("myapp-pathnames", result.stderr) == [
            "myapp: warning: ignoring 'x/../../escape' in 'myapp.commands' of plugin 'myapp-pathnames': "
            "its name contains a path separator (and 4 more); the 'plugin check' command lists every such name"
        ]
        assert "\x07" not in result.stderr + result.stdout
        assert not (tmp_path / "escaped").exists()
        assert not (marker_dir / "sneak hook ran").exists()
        if argv == ["tidy"]:
            assert (result.returncode, result.stdout) == (0, "tidy\n")  # the plugin's good command still runs
        elif argv == ["--help"]:
            commands = result.stdout.split("\nCommands:\n", 1)[1]
            assert "  tidy " in commands and "escape" not in commands and "hidden" not in commands
        elif argv[0] == "hooks":
            assert "escape" not in result.stdout
        else:
            assert result.returncode == 2
            assert "myapp: error: unknown command 'x/../../escape'" in result.stderr


def test_plugin_check_reports_each_refused_name_and_fails(
    installed: VirtualEnvironment, path_names: dict[str, str]
) -> None:
    result = installed.run("myapp", "plugin", "check", "myapp-pathnames", "-f", "json", env=path_names)
    assert result.returncode == 3
    rows = json.loads(result.stdout)
    assert {row["Entry point"] for row in rows} == PATH_NAMES_REFUSED
    assert {row["Severity"] for row in rows} == {"error"}
    assert all(row["Problem"].startswith("ignored: its ") for row in rows)
    assert "myapp: error: plugin check found errors in 1 plugin: 'myapp-pathnames'" in result.stderr
    assert len(warnings_about("myapp-pathnames", result.stderr)) == 1  # the check reads the metadata again


def test_a_disabled_plugin_is_not_warned_about(installed: VirtualEnvironment, path_names: dict[str, str]) -> None:
    result = installed.run("myapp", "--disable-plugin", "myapp-pathnames", "shout", "hi", env=path_names)
    assert (result.returncode, result.stdout, result.stderr) == (0, "HI\n", "")


@pytest.mark.parametrize("event", ["../escape", "pre_x/../../escape", ".hidden"])
def test_hook_events_typed_as_paths_are_refused(
    installed: VirtualEnvironment, path_names: dict[str, str], tmp_path: Path, event: str
) -> None:
    for command in ("run", "list"):
        result = installed.run("myapp", "hooks", command, event, env=path_names)
        assert result.returncode == 2
        assert "is not an event name: it " in result.stderr
        assert not (tmp_path / "escaped").exists()


@pytest.mark.parametrize("where", ["MYAPP_HOOK_DIR", "config file"])
def test_a_relative_hook_folder_is_refused_and_its_scripts_never_run(
    installed: VirtualEnvironment, tmp_path: Path, isolated_home: Path, where: str
) -> None:
    work = tmp_path / "work"
    (work / "hooks").mkdir(parents=True, mode=0o700)
    script = work / "hooks" / "pre_hello"
    script.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'ran'}'\nexit 1\n")
    script.chmod(0o755)
    env = {"MYAPP_HOOK_DIR": "hooks"}
    if where == "config file":
        config = isolated_home / ".config" / "myapp" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text('hook_dir = "hooks"\n')
        env = {}
    myapp = str(installed.bin / "myapp")
    result = installed.command([myapp, "hello"], env=env, cwd=work)
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")
    assert result.stderr == "myapp: warning: ignoring hook folder 'hooks': give an absolute path (or start it with ~)\n"
    assert not (tmp_path / "ran").exists()
    init = installed.command([myapp, "hooks", "init"], env=env, cwd=work)
    assert init.returncode == 2
    assert "myapp: error: the hooks folder is not an absolute path" in init.stderr
    assert sorted(p.name for p in (work / "hooks").iterdir()) == ["pre_hello"]  # no templates written there
