"""Seeing and controlling plugins: list, show, check, enable, disable, config, profiles, strict mode."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.venvs import VirtualEnvironment

COMMENTED_CONFIG = """\
# My myapp settings -- written by hand, keep every byte.
debug = false   # tracebacks only when I ask

# Plugins I never want:
disable_plugins = [
    "myapp-lazy",  # too slow
]

[hooks]
# fail closed, always
on_failure = "fail"
"""


def plugins_by_name(installed: VirtualEnvironment, *options: str, env: dict[str, str] | None = None) -> dict:
    result = installed.run("myapp", *options, "plugin", "list", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    return {row["Name"]: row for row in json.loads(result.stdout)}


@pytest.fixture
def config_dir(isolated_home: Path) -> Path:
    folder = isolated_home / ".config" / "myapp"
    folder.mkdir(parents=True)
    return folder


def test_list_shows_version_provides_and_state_from_metadata_only(installed: VirtualEnvironment, marker_dir) -> None:
    rows = plugins_by_name(installed)
    example = rows["myapp-plugins-example"]
    assert example["Version"] == "0.1.0"
    assert example["Commands"] == ["greeting count", "greeting list", "greeting show", "greeting styles", "hello"]
    assert example["Hooks"] == ["post_command", "post_hello", "post_hello_source", "pre_command", "pre_hello"]
    assert (example["State"], example["Reason"]) == ("enabled", "")
    assert rows["myapp-broken"]["State"] == "enabled"  # not imported, so not known to be broken
    assert "myapp" not in rows and "cliff" not in rows
    assert list(marker_dir.iterdir()) == []


def test_list_verify_imports_and_marks_broken_plugins(installed: VirtualEnvironment) -> None:
    rows = plugins_by_name(installed, "--disable-plugin", "myapp-hooks-bad")
    verified = json.loads(installed.run("myapp", "plugin", "list", "--verify", "-f", "json").stdout)
    by_name = {row["Name"]: row for row in verified}
    assert by_name["myapp-broken"]["State"] == "broken"
    assert "could not load" in by_name["myapp-broken"]["Reason"]
    assert by_name["myapp-good"]["State"] == "enabled"
    assert isinstance(by_name["myapp-good"]["Load time (ms)"], float)
    assert rows["myapp-hooks-bad"]["State"] == "disabled by config"
    assert rows["myapp-hooks-bad"]["Reason"] == "listed in disable_plugins (--disable-plugin)"


@pytest.mark.parametrize("output_format", ["table", "csv", "yaml", "value"])
def test_list_speaks_every_output_format(installed: VirtualEnvironment, output_format: str) -> None:
    result = installed.run("myapp", "plugin", "list", "-f", output_format)
    assert result.returncode == 0
    assert "myapp-plugins-example" in result.stdout


def test_show_gives_all_metadata_and_entry_points(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "show", "myapp_good", "--verify", "-f", "json")
    fields = json.loads(result.stdout)
    assert fields["Name"] == "myapp-good"
    assert fields["Home page"] == ""  # it declares a bug tracker only, which is not a home page
    assert "myapp.commands: shout = good_plugin.commands:Shout" in fields["Entry points"]
    assert fields["State"] == "enabled"
    assert fields["Load time (ms)"] >= 0


def test_show_gives_the_home_page_declared_in_the_metadata(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "show", "myapp-faulty", "-f", "json")
    assert json.loads(result.stdout)["Home page"] == "https://example.invalid/faulty"


def test_show_of_an_unknown_plugin_suggests_a_name(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "show", "myapp-godo")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "myapp: error: no installed plugin is called 'myapp-godo'; did you mean 'myapp-good'?",
        "hint: 'myapp plugin list' shows the installed plugins",
    ]


def test_check_reports_every_problem_and_exits_3(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "check", "-f", "json")
    assert result.returncode == 3
    problems = json.loads(result.stdout)
    errors = {
        (p["Plugin"], p["Entry point"].split(": ")[1].split(" =")[0]) for p in problems if p["Severity"] == "error"
    }
    assert ("myapp-broken", "broken_import") in errors
    assert ("myapp-broken", "broken_init") in errors
    assert ("myapp-broken", "broken_parser") in errors
    assert ("myapp-hooks-bad", "two_arguments") in errors
    warnings = [p["Problem"] for p in problems if p["Severity"] == "warning"]
    assert "command 'twin' is also provided by 'myapp-clash-a', which wins" in warnings


def test_check_of_one_good_plugin_is_clean(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "plugin", "check", "myapp-plugins-example", "-f", "json")
    assert (result.returncode, json.loads(result.stdout), result.stderr) == (0, [], "no problems found\n")


def test_check_finds_a_hook_for_a_misspelled_command(installed: VirtualEnvironment, tmp_path: Path) -> None:
    from tests.helpers.distributions import Distribution, install_into

    install_into(
        Distribution(
            name="myapp-typo",
            files={"typo_hooks/__init__.py": "def hook(context):\n    pass\n"},
            entry_points={"myapp.hooks.pre_helo": {"hook": "typo_hooks:hook"}},
        ),
        tmp_path,
    )
    result = installed.run("myapp", "plugin", "check", "myapp-typo", "-f", "json", env={"PYTHONPATH": str(tmp_path)})
    (problem,) = json.loads(result.stdout)
    assert problem["Severity"] == "warning"
    assert problem["Problem"] == "event 'pre_helo' names no command, so the hook never runs; did you mean 'pre_hello'?"
    assert result.returncode == 0


def test_disable_and_enable_round_trip_keeps_the_users_file(installed: VirtualEnvironment, config_dir: Path) -> None:
    config = config_dir / "config.toml"
    config.write_text(COMMENTED_CONFIG)
    result = installed.run("myapp", "plugin", "disable", "myapp_good", "-f", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["State"] == "disabled by config"
    assert installed.run("myapp", "shout", "x").returncode == 2
    changed = config.read_text()
    assert changed.startswith(COMMENTED_CONFIG.split('    "myapp-lazy"')[0])
    assert changed.endswith('\n\n[hooks]\n# fail closed, always\non_failure = "fail"\n')
    assert '"myapp-good"' in changed and '"myapp-lazy",  # too slow' in changed

    assert installed.run("myapp", "plugin", "enable", "myapp-good").returncode == 0
    assert config.read_text() == COMMENTED_CONFIG
    assert installed.run("myapp", "shout", "x").stdout == "X\n"


def test_enabling_the_last_disabled_plugin_leaves_no_empty_list_and_no_lock_file(
    installed: VirtualEnvironment, config_dir: Path
) -> None:
    config = config_dir / "config.toml"
    config.write_text("# mine\nverbose = 1\n")

    disabled = installed.run("myapp", "plugin", "disable", "myapp-good")
    enabled = installed.run("myapp", "plugin", "enable", "myapp-good")

    assert (disabled.returncode, enabled.returncode) == (0, 0), disabled.stderr + enabled.stderr
    assert config.read_text() == "# mine\nverbose = 1\n"
    assert sorted(path.name for path in config_dir.iterdir()) == ["config.toml"]


def test_enable_unknown_plugin_suggests_and_changes_nothing(installed: VirtualEnvironment, config_dir: Path) -> None:
    config = config_dir / "config.toml"
    config.write_text(COMMENTED_CONFIG)
    result = installed.run("myapp", "plugin", "enable", "myapp-goood")
    assert result.returncode == 2
    assert "did you mean 'myapp-good'?" in result.stderr
    assert config.read_text() == COMMENTED_CONFIG


def test_enable_of_a_plugin_uninstalled_since_it_was_disabled_drops_the_stale_name(
    installed: VirtualEnvironment, config_dir: Path
) -> None:
    config = config_dir / "config.toml"
    config.write_text('# mine\ndisable_plugins = ["myapp-long-gone", "myapp-good"]  # keep\n')
    result = installed.run("myapp", "plugin", "enable", "myapp-long-gone", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Reason"] == "removed from disable_plugins"
    assert config.read_text() == '# mine\ndisable_plugins = ["myapp-good"]  # keep\n'
    again = installed.run("myapp", "plugin", "enable", "myapp-long-gone")
    assert again.returncode == 2 and "no installed plugin is called 'myapp-long-gone'" in again.stderr


def test_two_concurrent_disables_both_take_effect(installed: VirtualEnvironment, config_dir: Path) -> None:
    config = config_dir / "config.toml"
    config.write_text(COMMENTED_CONFIG)
    names = ["myapp-good", "myapp-clash-a", "myapp-clash-b", "myapp-hooks-c"]
    processes = [
        subprocess.Popen([str(installed.bin / "myapp"), "plugin", "disable", name], stdout=subprocess.DEVNULL)
        for name in names
    ]
    assert [process.wait(timeout=60) for process in processes] == [0] * len(names)
    rows = plugins_by_name(installed)
    assert all(rows[name]["State"] == "disabled by config" for name in names)
    assert config.read_text().startswith("# My myapp settings -- written by hand, keep every byte.\n")


def test_malformed_config_is_one_line_exit_2_and_untouched(installed: VirtualEnvironment, config_dir: Path) -> None:
    config = config_dir / "config.toml"
    config.write_text("debug = true\ndisable_plugins = [\n")
    for command in (("hello",), ("plugin", "disable", "myapp-good")):
        result = installed.run("myapp", *command)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith(f"myapp: error: {config}:2:")
        assert config.read_text() == "debug = true\ndisable_plugins = [\n"


def test_config_show_names_where_each_value_came_from(installed: VirtualEnvironment, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(COMMENTED_CONFIG)
    result = installed.run(
        "myapp",
        "--disable-plugin",
        "myapp-good",
        "config",
        "show",
        "-f",
        "json",
        env={"MYAPP_HOOKS_ON_FAILURE": "warn"},
    )
    rows = {row["Key"]: row for row in json.loads(result.stdout)}
    assert rows["debug"]["Origin"] == f"{config_dir / 'config.toml'}:2"
    assert rows["hooks.on_failure"] == {
        "Key": "hooks.on_failure",
        "Value": "warn",
        "Origin": "MYAPP_HOOKS_ON_FAILURE",
        "Variable": "MYAPP_HOOKS_ON_FAILURE",
    }
    assert rows["disable_plugins"]["Value"] == ["myapp-lazy", "myapp-good"]
    assert rows["verbose"]["Origin"] == "default"


def test_config_path_lists_the_files_consulted(installed: VirtualEnvironment, config_dir: Path, tmp_path) -> None:
    explicit = tmp_path / "ci.toml"
    explicit.write_text("")
    result = installed.run("myapp", "config", "path", "-f", "json", env={"MYAPP_CONFIG": str(explicit)})
    assert json.loads(result.stdout) == [
        {"Path": str(config_dir / "config.toml"), "Role": "user", "Exists": False},
        {"Path": str(explicit), "Role": "explicit", "Exists": True},
    ]


def test_allow_list_and_profiles_select_plugins(installed: VirtualEnvironment, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'only_plugins = ["myapp-plugins-example", "myapp-good"]\n\n'
        '[profiles.minimal]\nonly_plugins = ["myapp-plugins-example"]\n\n'
        '[profiles.nogreet]\ndisable_plugins = ["myapp-plugins-example"]\n'
    )
    rows = plugins_by_name(installed)
    assert rows["myapp-good"]["State"] == "enabled"
    assert rows["myapp-lazy"]["State"] == "disabled by config"
    assert rows["myapp-lazy"]["Reason"].startswith("not in only_plugins (")
    minimal = plugins_by_name(installed, "--profile", "minimal")
    assert minimal["myapp-good"]["State"] == "disabled by profile"
    assert minimal["myapp-good"]["Reason"].startswith("not in only_plugins (profile 'minimal'")
    nogreet = plugins_by_name(installed, env={"MYAPP_PROFILE": "nogreet"})
    assert nogreet["myapp-plugins-example"]["State"] == "disabled by profile"
    assert installed.run("myapp", "--profile", "nogreet", "hello").returncode == 2
    unknown = installed.run("myapp", "--profile", "nogret", "hello")
    assert unknown.returncode == 2
    assert "unknown profile 'nogret' (from --profile)" in unknown.stderr


def test_safe_mode_imports_no_plugin_and_plugin_commands_still_work(installed: VirtualEnvironment, marker_dir) -> None:
    rows = plugins_by_name(installed, "--no-plugins")
    assert {row["State"] for row in rows.values()} == {"disabled by config"}
    check = installed.run("myapp", "--no-plugins", "plugin", "check")
    assert check.returncode == 0
    assert list(marker_dir.iterdir()) == []


def test_strict_plugins_fails_before_a_plugin_command_starts(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--strict-plugins", "hello")
    assert result.returncode == 3
    assert result.stdout == ""
    assert "myapp: error: --strict-plugins: plugin 'myapp-broken' cannot run: " in result.stderr
    assert "hint: 'myapp plugin check' lists every problem" in result.stderr


def test_strict_plugins_still_runs_builtins_and_clean_sets(installed: VirtualEnvironment) -> None:
    assert installed.run("myapp", "--strict-plugins", "plugin", "list").returncode == 0
    clean = installed.run(
        "myapp", "hello", env={"MYAPP_STRICT_PLUGINS": "1", "MYAPP_ONLY_PLUGINS": "myapp-plugins-example"}
    )
    assert (clean.returncode, clean.stdout) == (0, "Hello, World!\n")


class TestDropInFolders:
    """Plugins as an info file next to their modules, in folders named by plugin_paths."""

    INFO = (
        'name = "site-tools"\nversion = "1.2"\ndescription = "Tools for our site"\n\n'
        '[commands]\ndeploy = "site_tools:Deploy"\n\n[hooks]\npre_deploy = "site_tools:check"\n'
    )
    MODULE = (
        "import sys\n\nfrom cliff.command import Command\n\n\n"
        'class Deploy(Command):\n    """Deploy the site."""\n\n'
        "    def take_action(self, parsed_args):\n        self.app.stdout.write('deployed\\n')\n\n\n"
        "def check(context):\n    sys.stderr.write('checked\\n')\n"
    )

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        folder = tmp_path / "site-plugins"
        folder.mkdir(mode=0o755)
        (folder / "site-tools.plugin.toml").write_text(self.INFO)
        (folder / "site_tools.py").write_text(self.MODULE)
        for path in folder.iterdir():
            path.chmod(0o644)
        return folder

    def run(self, installed: VirtualEnvironment, folder: Path, *arguments: str):
        return installed.run("myapp", *arguments, env={"MYAPP_PLUGIN_PATHS": str(folder)})

    def test_drop_in_plugin_runs_with_its_hooks(self, installed, folder: Path) -> None:
        result = self.run(installed, folder, "deploy")
        assert (result.returncode, result.stdout, result.stderr) == (0, "deployed\n", "checked\n")

    def test_drop_in_plugin_is_listed_shown_and_checked_like_installed_ones(self, installed, folder: Path) -> None:
        rows = {
            row["Name"]: row for row in json.loads(self.run(installed, folder, "plugin", "list", "-f", "json").stdout)
        }
        assert rows["site-tools"]["Commands"] == ["deploy"]
        assert rows["site-tools"]["Hooks"] == ["pre_deploy"]
        shown = json.loads(self.run(installed, folder, "plugin", "show", "site-tools", "-f", "json").stdout)
        assert shown["Location"] == str(folder / "site-tools.plugin.toml")
        check = self.run(installed, folder, "plugin", "check", "site-tools", "-f", "json")
        assert (check.returncode, json.loads(check.stdout)) == (0, [])

    def test_drop_in_plugin_can_be_disabled(self, installed, folder: Path) -> None:
        result = installed.run(
            "myapp", "deploy", env={"MYAPP_PLUGIN_PATHS": str(folder), "MYAPP_DISABLE_PLUGINS": "site-tools"}
        )
        assert result.returncode == 2
        assert "comes from plugin 'site-tools', which is disabled by config" in result.stderr

    @pytest.mark.parametrize("target", ["folder", "info file"])
    def test_world_writable_drop_in_is_refused_with_a_warning(self, installed, folder: Path, target: str) -> None:
        path = folder if target == "folder" else folder / "site-tools.plugin.toml"
        path.chmod(0o777 if target == "folder" else 0o666)
        for _ in range(2):  # the warning comes on every run, not only when the cache is rebuilt
            result = self.run(installed, folder, "deploy")
            assert result.returncode == 2
            assert f"'{path}': it is writable by other users; run 'chmod go-w {path}'" in result.stderr

    def test_relative_plugin_folder_is_ignored(self, installed, folder: Path) -> None:
        result = installed.command(
            [str(installed.bin / "myapp"), "deploy"], env={"MYAPP_PLUGIN_PATHS": folder.name}, cwd=folder.parent
        )
        assert result.returncode == 2
        assert "ignoring plugin folder 'site-plugins': give an absolute path" in result.stderr


def test_plugins_are_never_taken_from_the_current_directory(installed: VirtualEnvironment, tmp_path: Path) -> None:
    from tests.helpers.distributions import install_into
    from tests.helpers.plugins import LAZY

    install_into(LAZY.__class__(**{**LAZY.__dict__, "name": "myapp-from-cwd"}), tmp_path)
    for argv in ([str(installed.bin / "myapp"), "lazy"], [str(installed.python), "-m", "myapp", "lazy"]):
        result = installed.command(argv, cwd=tmp_path, env={"MYAPP_DISABLE_PLUGINS": "myapp-lazy"})
        assert "myapp-from-cwd" not in result.stderr + result.stdout
        assert result.returncode == 2
