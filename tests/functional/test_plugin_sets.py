"""Installing, uninstalling, freezing and syncing plugins with real pip in real environments."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, build_wheel
from tests.helpers.releases import Release
from tests.helpers.terminal import Terminal
from tests.helpers.venvs import VirtualEnvironment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: pip runs in these tests; give it time on a slow machine.
PIP_TIMEOUT = 300


def _plugin(name: str, module: str, command: str, version: str = "1.0", hooks: bool = False) -> Distribution:
    source = (
        "from cliff.command import Command\n\n\n"
        "class Run(Command):\n"
        f'    """Say that {command} ran."""\n\n'
        "    def take_action(self, parsed_args):\n"
        f'        self.app.stdout.write("{command} ran\\n")\n'
    )
    if hooks:
        source += "\n\ndef note(context):\n    pass\n"
    return Distribution(
        name=name,
        version=version,
        files={f"{module}/__init__.py": source},
        entry_points={
            "myapp.commands": {command: f"{module}:Run"},
            **({"myapp.hooks.pre_command": {"note": f"{module}:note"}} if hooks else {}),
        },
    )


ONE = _plugin("myapp-set-one", "set_one", "alpha", hooks=True)
TWO = _plugin("myapp-set-two", "set_two", "beta")
ONE_NEWER = _plugin("myapp-set-one", "set_one", "alpha", version="2.0", hooks=True)


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A find-links folder with ONE and TWO at version 1.0."""
    folder = tmp_path_factory.mktemp("set-wheels")
    build_wheel(ONE, folder)
    build_wheel(TWO, folder)
    return folder


@pytest.fixture(scope="module")
def newer_wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A find-links folder with ONE at version 2.0."""
    folder = tmp_path_factory.mktemp("set-wheels-newer")
    build_wheel(ONE_NEWER, folder)
    return folder


def _environment_with_myapp(root: Path, releases: dict[str, Release]) -> VirtualEnvironment:
    environment = VirtualEnvironment.create(root)
    environment.pip("install", str(releases["myapp"].wheel))
    return environment


@pytest.fixture(scope="module")
def tool_venv(tmp_path_factory: pytest.TempPathFactory, releases: dict[str, Release]) -> VirtualEnvironment:
    """An environment with myapp, where the tests install and uninstall plugins."""
    return _environment_with_myapp(tmp_path_factory.mktemp("tool") / "venv", releases)


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory, releases: dict[str, Release]) -> VirtualEnvironment:
    """An environment with only myapp: the target of a sync."""
    return _environment_with_myapp(tmp_path_factory.mktemp("fresh") / "venv", releases)


def wheel(folder: Path, distribution: Distribution) -> Path:
    return folder / f"{distribution.stem}-py3-none-any.whl"


def from_folder(folder: Path) -> tuple[str, ...]:
    """``--pip-arg`` options that make pip install from *folder* only."""
    return ("--pip-arg", "--no-index", "--pip-arg", "--find-links", "--pip-arg", str(folder))


def rows_of(venv: VirtualEnvironment, *argv: str, env: dict[str, str] | None = None) -> list[dict]:
    result = venv.run("myapp", *argv, "-f", "json", env=env, timeout=PIP_TIMEOUT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def plugin_list(venv: VirtualEnvironment, env: dict[str, str] | None = None) -> list[tuple[str, ...]]:
    fields = ("Name", "Version", "State", "Commands", "Hooks")
    return [tuple(row[field] for field in fields) for row in rows_of(venv, "plugin", "list", env=env)]


def test_install_lists_the_commands_and_hooks_that_appeared_and_they_run(
    tool_venv: VirtualEnvironment, wheel_dir: Path
) -> None:
    tool_venv.pip("uninstall", "-y", ONE.name, TWO.name)
    argv = ["plugin", "install", *from_folder(wheel_dir), ONE.name, TWO.name, "-f", "json"]
    result = tool_venv.run("myapp", *argv, timeout=PIP_TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"Change": "added", "Kind": "command", "Name": "alpha", "Plugin": "myapp-set-one"},
        {"Change": "added", "Kind": "hook", "Name": "pre_command", "Plugin": "myapp-set-one"},
        {"Change": "added", "Kind": "command", "Name": "beta", "Plugin": "myapp-set-two"},
    ]
    assert "Successfully installed myapp-set-one-1.0 myapp-set-two-1.0" in result.stderr  # pip's own output
    assert tool_venv.run("myapp", "alpha").stdout == "alpha ran\n"


def test_uninstall_lists_what_disappeared_and_the_command_is_gone(
    tool_venv: VirtualEnvironment, wheel_dir: Path
) -> None:
    tool_venv.pip("install", "--no-deps", str(wheel(wheel_dir, ONE)))
    rows = rows_of(tool_venv, "plugin", "uninstall", ONE.name)
    assert rows == [
        {"Change": "removed", "Kind": "command", "Name": "alpha", "Plugin": "myapp-set-one"},
        {"Change": "removed", "Kind": "hook", "Name": "pre_command", "Plugin": "myapp-set-one"},
    ]
    gone = tool_venv.run("myapp", "alpha")
    assert gone.returncode == 2
    assert "unknown command 'alpha'" in gone.stderr


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("myapp", "it is this tool itself"),
        ("MyApp==0.1.0", "it is this tool itself"),
        ("pip", "myapp needs it to install and uninstall plugins"),
        ("cliff", "myapp needs it to run"),
        ("Cliff>=1", "myapp needs it to run"),
        ("autopage", "it is not a myapp plugin"),  # installed, as cliff needs it, but no plugin
    ],
)
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["", "dry run"])
def test_uninstall_refuses_anything_but_a_plugin(
    tool_venv: VirtualEnvironment, package: str, reason: str, dry_run: list[str]
) -> None:
    result = tool_venv.run("myapp", "plugin", "uninstall", *dry_run, package)
    assert result.returncode == 2
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error == f"myapp: error: refusing to uninstall '{package}': {reason}"
    assert hint.startswith("hint: to remove it anyway, run: ")
    assert tool_venv.run("myapp", "--version").returncode == 0


def test_uninstall_of_a_name_nothing_has_is_an_error_with_a_suggestion(tool_venv: VirtualEnvironment) -> None:
    result = tool_venv.run("myapp", "plugin", "uninstall", "--dry-run", "no-such-plugin-for-myapp-tests")
    assert (result.returncode, result.stdout) == (2, "")
    error, hint = result.stderr.splitlines()
    assert error == "myapp: error: no installed plugin is called 'no-such-plugin-for-myapp-tests'"
    assert hint == "hint: 'myapp plugin list' shows the installed plugins"


def test_install_failure_names_the_packages_and_pips_exit_status(tool_venv: VirtualEnvironment, tmp_path: Path) -> None:
    result = tool_venv.run(
        "myapp", "plugin", "install", *from_folder(tmp_path), "myapp-set-nowhere", timeout=PIP_TIMEOUT
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "myapp: error: pip could not install 'myapp-set-nowhere' (exit status 1)\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_freeze_prints_the_plugin_set_on_stdout(tool_venv: VirtualEnvironment) -> None:
    result = tool_venv.run("myapp", "plugin", "freeze")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# myapp plugin set, written by 'myapp plugin freeze'\n")
    assert "plugins" in tomllib.loads(result.stdout)


def test_sync_of_a_frozen_set_reproduces_the_plugin_list_in_a_fresh_environment(
    tool_venv: VirtualEnvironment, fresh_venv: VirtualEnvironment, wheel_dir: Path, tmp_path: Path
) -> None:
    # ONE from its wheel file (pip records the source), TWO from the folder (no source).
    source = ["--no-deps", "--force-reinstall", "--no-index", "--find-links", str(wheel_dir)]
    tool_venv.pip("install", *source, str(wheel(wheel_dir, ONE)), TWO.name)
    assert tool_venv.run("myapp", "plugin", "disable", TWO.name).returncode == 0
    frozen = tmp_path / "plugins.toml"
    assert tool_venv.run("myapp", "plugin", "freeze", "--output", str(frozen)).stdout == ""
    assert tomllib.loads(frozen.read_text()) == {
        "plugins": {
            "myapp-set-one": {"version": "1.0", "enabled": True, "source": wheel(wheel_dir, ONE).as_uri()},
            "myapp-set-two": {"version": "1.0", "enabled": False},
        }
    }
    elsewhere = {"MYAPP_CONFIG_DIR": str(tmp_path / "fresh-config")}
    rows = rows_of(fresh_venv, "plugin", "sync", str(frozen), *from_folder(wheel_dir), env=elsewhere)
    config_file = tmp_path / "fresh-config" / "config.toml"
    assert rows == [
        {"Action": "installed", "Plugin": "myapp-set-one", "Detail": "1.0"},
        {"Action": "installed", "Plugin": "myapp-set-two", "Detail": "1.0"},
        {"Action": "disabled", "Plugin": "myapp-set-two", "Detail": f"in {config_file}"},
    ]
    assert plugin_list(fresh_venv, env=elsewhere) == plugin_list(tool_venv)
    assert rows_of(fresh_venv, "plugin", "sync", str(frozen), env=elsewhere) == []  # nothing left to do


def test_sync_upgrades_uninstalls_and_enables_to_match_the_file(
    tool_venv: VirtualEnvironment, wheel_dir: Path, newer_wheel_dir: Path, tmp_path: Path
) -> None:
    tool_venv.pip("install", "--no-deps", str(wheel(wheel_dir, ONE)), str(wheel(wheel_dir, TWO)))
    assert tool_venv.run("myapp", "plugin", "disable", ONE.name).returncode == 0
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp_set_one]\nversion = "2.0"\n')
    rows = rows_of(tool_venv, "plugin", "sync", str(wanted), *from_folder(newer_wheel_dir))
    assert [(row["Action"], row["Plugin"]) for row in rows] == [
        ("installed", "myapp_set_one"),
        ("uninstalled", "myapp-set-two"),
        ("enabled", "myapp_set_one"),
    ]
    assert rows[0]["Detail"] == "1.0 -> 2.0"
    assert plugin_list(tool_venv) == [("myapp-set-one", "2.0", "enabled", ["alpha"], ["pre_command"])]


@pytest.mark.parametrize(
    ("content", "position", "problem"),
    [
        ('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = \n', "3:11", "invalid value"),
        ('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = "no"\n', "3", "must be true or false"),
        ("[plugins.myapp-set-one]\nenabled = false\n", "1", "has no version"),
        ('[plugins."--index-url=https://evil.invalid"]\nversion = "1.0"\n', "1", "not a valid distribution name"),
        ('[project]\nname = "not-a-plugin-set"\n', None, "no [plugins] table"),
    ],
    ids=["not-toml", "wrong-type", "no-version", "not-a-name", "not-a-plugin-set"],
)
def test_sync_of_a_malformed_file_changes_nothing_and_exits_2(
    tool_venv: VirtualEnvironment, tmp_path: Path, content: str, position: str | None, problem: str
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text(content)
    result = tool_venv.run("myapp", "plugin", "sync", str(wanted))
    assert result.returncode == 2
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    where = f"{wanted}:{position}:" if position else f"{wanted}:"
    assert error.startswith(f"myapp: error: {where} ")
    assert problem in error
    assert hint.startswith("hint: ")


# --- asking first, and dry runs --------------------------------------------------------------------


def installed_state(venv: VirtualEnvironment, config_file: Path) -> tuple[object, ...]:
    """What a sync or an uninstall could change: the plugins, their versions and states, and the config file."""
    return plugin_list(venv), config_file.read_bytes() if config_file.exists() else None


@pytest.fixture
def one_disabled_and_two(tool_venv: VirtualEnvironment, wheel_dir: Path, isolated_home: Path) -> Path:
    """ONE and TWO at 1.0 installed, ONE disabled; returns the user's config file."""
    tool_venv.pip("install", "--no-deps", "--force-reinstall", str(wheel(wheel_dir, ONE)), str(wheel(wheel_dir, TWO)))
    assert tool_venv.run("myapp", "plugin", "disable", ONE.name).returncode == 0
    return isolated_home / ".config" / "myapp" / "config.toml"


def test_sync_dry_run_lists_the_plan_and_changes_nothing(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, newer_wheel_dir: Path, tmp_path: Path
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp_set_one]\nversion = "2.0"\n\n[plugins.myapp-set-new]\nversion = "1.0"\n')
    before = installed_state(tool_venv, one_disabled_and_two)

    rows = rows_of(tool_venv, "plugin", "sync", "--dry-run", str(wanted), *from_folder(newer_wheel_dir))

    assert rows == [
        {"Action": "upgrade", "Plugin": "myapp_set_one", "Detail": "1.0 -> 2.0"},
        {"Action": "install", "Plugin": "myapp-set-new", "Detail": "1.0"},
        {"Action": "uninstall", "Plugin": "myapp-set-two", "Detail": "1.0"},
        {"Action": "enable", "Plugin": "myapp_set_one", "Detail": f"in {one_disabled_and_two}"},
    ]
    assert installed_state(tool_venv, one_disabled_and_two) == before


def test_uninstall_dry_run_lists_what_would_disappear_and_changes_nothing(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path
) -> None:
    before = installed_state(tool_venv, one_disabled_and_two)

    rows = rows_of(tool_venv, "plugin", "uninstall", "--dry-run", ONE.name, TWO.name)

    assert rows == [
        {"Change": "remove", "Kind": "command", "Name": "alpha", "Plugin": "myapp-set-one"},
        {"Change": "remove", "Kind": "hook", "Name": "pre_command", "Plugin": "myapp-set-one"},
        {"Change": "remove", "Kind": "command", "Name": "beta", "Plugin": "myapp-set-two"},
    ]
    assert installed_state(tool_venv, one_disabled_and_two) == before


def on_a_terminal(venv: VirtualEnvironment, folder: Path, *argv: str) -> Terminal:
    return Terminal(folder, [str(venv.bin / "myapp"), *argv])


@pytest.mark.parametrize("answer", ["n", ""], ids=["no", "enter"])
def test_sync_on_a_terminal_shows_the_plan_and_a_no_changes_nothing(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, tmp_path: Path, answer: str
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = false\n')
    before = installed_state(tool_venv, one_disabled_and_two)
    terminal = on_a_terminal(tool_venv, tmp_path / "terminal", "plugin", "sync", str(wanted))
    try:
        terminal.wait_for("uninstall myapp-set-two? [y/N]")
        assert "  uninstall  myapp-set-two  1.0" in terminal.lines()
        terminal.type(answer)
        terminal.press("Enter")
        status = terminal.exit_status()
        screen = terminal.lines()
    finally:
        terminal.close()

    assert status == 1
    assert screen[-2:] == [
        "myapp: error: nothing was changed: the answer was not yes",
        "hint: pass --yes not to be asked, or --dry-run to see the plan only",
    ]
    assert installed_state(tool_venv, one_disabled_and_two) == before


def test_sync_on_a_terminal_uninstalls_after_a_yes(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, tmp_path: Path
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = false\n')
    terminal = on_a_terminal(tool_venv, tmp_path / "terminal", "plugin", "sync", str(wanted), "-f", "value")
    try:
        terminal.wait_for("uninstall myapp-set-two? [y/N]")
        terminal.type("y")
        terminal.press("Enter")
        status = terminal.exit_status(timeout=PIP_TIMEOUT)
        screen = terminal.lines()
    finally:
        terminal.close()

    assert status == 0, screen
    assert "uninstalled myapp-set-two 1.0" in screen
    assert [row[0] for row in plugin_list(tool_venv)] == [ONE.name]


def test_sync_with_yes_on_a_terminal_does_not_ask(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, tmp_path: Path
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = false\n')
    terminal = on_a_terminal(tool_venv, tmp_path / "terminal", "plugin", "sync", "--yes", str(wanted), "-f", "value")
    try:
        status = terminal.exit_status(timeout=PIP_TIMEOUT)
        screen = terminal.lines()
    finally:
        terminal.close()

    assert status == 0, screen
    assert not any("[y/N]" in line for line in screen)
    assert [row[0] for row in plugin_list(tool_venv)] == [ONE.name]


def test_sync_off_a_terminal_uninstalls_without_asking(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, tmp_path: Path
) -> None:
    wanted = tmp_path / "plugins.toml"
    wanted.write_text('[plugins.myapp-set-one]\nversion = "1.0"\nenabled = false\n')

    result = tool_venv.run("myapp", "plugin", "sync", str(wanted), "-f", "value", input="n\n", timeout=PIP_TIMEOUT)

    assert (result.returncode, result.stdout) == (0, "uninstalled myapp-set-two 1.0\n"), result.stderr
    assert "[y/N]" not in result.stderr


def test_uninstall_on_a_terminal_lists_what_would_disappear_and_asks(
    tool_venv: VirtualEnvironment, one_disabled_and_two: Path, tmp_path: Path
) -> None:
    before = installed_state(tool_venv, one_disabled_and_two)
    terminal = on_a_terminal(tool_venv, tmp_path / "terminal", "plugin", "uninstall", TWO.name)
    try:
        terminal.wait_for(f"uninstall {TWO.name}? [y/N]")
        assert "  remove  command  beta  myapp-set-two" in terminal.lines()
        terminal.type("no")
        terminal.press("Enter")
        status = terminal.exit_status()
    finally:
        terminal.close()

    assert status == 1
    assert installed_state(tool_venv, one_disabled_and_two) == before
