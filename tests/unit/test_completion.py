"""Shell completion in-process: what a Tab press offers, and that it never imports plugin code."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from cliff.command import Command

from myapp import __version__
from myapp.app import App
from myapp.builtin import BUILTIN_COMMANDS
from myapp.commands.arguments import Argument
from myapp.completion import serve
from myapp.completion.engine import Candidate, Completer
from myapp.completion.scripts import script
from myapp.completion.sources import Tool
from myapp.identity import MYAPP, Identity
from myapp.testing import FakePlugin, run
from myapp.testing.fakes import fake_index
from tests.helpers.distributions import Distribution, install_into

_MARKER = """
import os
import pathlib

with open(pathlib.Path(os.environ["MYAPP_TEST_MARKER_DIR"], __name__ + ".imported"), "a") as marker:
    marker.write("x")
"""

TOOLS = Distribution(
    name="myapp-tools",
    version="1.0",
    summary="deployment tools",
    files={
        "completion_tools/__init__.py": "",
        "completion_tools/commands.py": _MARKER
        + '''
from pathlib import Path

from cliff.command import Command


class Start(Command):
    """Start a deployment."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("--force", action="store_true", help="even if one is running")
        parser.add_argument("--stage", choices=["dev", "prod"], help="where to")
        parser.add_argument("--manifest", type=Path, help="the manifest")
        parser.add_argument("target", help="what to deploy")
        return parser

    def take_action(self, parsed_args):
        return 0


class Keys(Command):
    """Explain configuration keys."""

    value_completers = {"keys": "settings"}

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("keys", nargs="*", help="setting keys")
        return parser

    def take_action(self, parsed_args):
        return 0
''',
    },
    entry_points={
        "myapp.commands": {
            "deploy_start": "completion_tools.commands:Start",
            "deploy_stop": "completion_tools.commands:Start",
            "deploy_status": "completion_tools.commands:Start",
            "keys": "completion_tools.commands:Keys",
        }
    },
)


def command_hook_source(name: str, option: str, text: str) -> str:
    """A module whose cliff CommandHook *name* adds the flag *option* to the command it is registered for."""
    return f"""
from cliff.hooks import CommandHook


class {name}(CommandHook):
    def get_parser(self, parser):
        parser.add_argument("{option}", action="store_true", help="{text}")
        return parser

    def get_epilog(self):
        return ""

    def before(self, parsed_args):
        return parsed_args

    def after(self, parsed_args, return_code):
        return return_code
"""


def extra(version: str, option: str) -> Distribution:
    """A plugin whose cliff CommandHook adds *option* to another plugin's ``deploy start``."""
    return Distribution(
        name="myapp-extra",
        version=version,
        summary="adds an option to deploy start",
        files={
            "completion_extra/__init__.py": command_hook_source("Loud", option, "say more"),
        },
        entry_points={"myapp.commands.deploy_start": {"loud": "completion_extra:Loud"}},
    )


#: ``rollout`` in three versions (1 deprecated in favour of 2), and a hook for an event of no installed command.
VERSIONED = Distribution(
    name="tools-versioned",
    version="1.0",
    summary="rolls out in versions",
    files={
        "completion_versioned/__init__.py": _MARKER
        + """
from cliff.command import Command


class Rollout(Command):
    \"\"\"Roll out.\"\"\"

    def take_action(self, parsed_args):
        return 0


def check(context):
    pass
""",
    },
    entry_points={
        "myapp.commands": {f"rollout.v{number}": "completion_versioned:Rollout" for number in (1, 2, 3)},
        "myapp.deprecated": {"rollout.v1": "rollout.v2"},
        "myapp.hooks.pre_nightly_build": {"check": "completion_versioned:check"},
    },
)

#: A cliff CommandHook that adds ``--annotated`` to the built-in ``plugin list``.
BUILTIN_HOOK = Distribution(
    name="tools-builtin-hook",
    version="1.0",
    summary="adds an option to plugin list",
    files={
        "completion_builtin_hook/__init__.py": _MARKER + command_hook_source("Annotated", "--annotated", "with notes"),
    },
    entry_points={"myapp.commands.plugin_list": {"annotated": "completion_builtin_hook:Annotated"}},
)

EXPLODING = Distribution(
    name="myapp-exploding",
    summary="fails at import",
    files={"completion_exploding/__init__.py": _MARKER + "print('noise')\nraise RuntimeError('boom')\n"},
    entry_points={"myapp.commands": {"explode": "completion_exploding:Cmd"}},
)


@pytest.fixture
def site(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TOOLS, EXTRA and EXPLODING installed into a folder of their own, on sys.path."""
    folder = tmp_path / "site"
    for distribution in (TOOLS, extra("1.0", "--loud"), EXPLODING, VERSIONED):
        install_into(distribution, folder)
    monkeypatch.syspath_prepend(str(folder))
    return folder


Complete = Callable[..., list[str]]


def request(site: Path, shell: str, *words: str) -> tuple[int, str]:
    stdout = io.StringIO()
    status = serve(MYAPP, ["__complete", shell, "--", *words], stdout=stdout, make_app=App, path=[str(site)])
    return status, stdout.getvalue()


@pytest.fixture
def complete(site: Path) -> Complete:
    """The values a bash Tab press offers for the last of *words*."""

    def values(*words: str) -> list[str]:
        status, output = request(site, "bash", *words)
        assert status == 0
        kind, *lines = output.splitlines()
        return ["<paths>"] if kind == "paths" else lines

    return values


def imports(marker_dir: Path, module: str) -> int:
    path = marker_dir / f"{module}.imported"
    return len(path.read_text()) if path.exists() else 0


def run_once(site: Path, *argv: str, exit_code: int = 0) -> None:
    """Run a command line in-process, as before a Tab press; then forget the plugins' modules.

    Forgetting them means a later import runs their code again, and leaves another marker.
    """
    result = run(list(argv), path=[str(site)])
    assert result.exit_code == exit_code, result.stderr
    assert exit_code or result.stderr == ""
    for module in [name for name in sys.modules if name.startswith("completion_")]:
        del sys.modules[module]


def recorded(cache_dir: Path, command: str) -> dict[Path, str]:
    """The files of the arguments records of *command* in the cache, and the key each holds."""
    files = sorted(cache_dir.glob("arguments/*.json"))
    keys = ((path, key) for path in files for key in json.loads(path.read_text()))
    return {path: key for path, key in keys if key.startswith(f"arguments {command} | ")}


# --- command names --------------------------------------------------------------------------------


def test_command_names_complete_word_by_word(complete: Complete) -> None:
    assert complete("de") == ["deploy"]
    assert complete("deploy", "") == ["start", "status", "stop"]
    assert complete("deploy", "sta") == ["start", "status"]
    assert complete("plugin", "en") == ["enable"]


def test_global_options_before_the_command_are_skipped(complete: Complete) -> None:
    assert complete("--debug", "-v", "--log-file", "x.log", "deploy", "sto") == ["stop"]


def test_completing_command_names_imports_no_plugin_code(complete: Complete, marker_dir: Path) -> None:
    complete("")
    complete("deploy", "")
    assert imports(marker_dir, "completion_tools.commands") == 0
    assert imports(marker_dir, "completion_exploding") == 0


def test_commands_of_disabled_plugins_are_not_offered(complete: Complete, monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete("--disable-plugin", "myapp-tools", "de") == []
    assert complete("--no-plugins", "") == complete("--no-plugins", "")  # stable
    assert "deploy" not in complete("--no-plugins", "")
    monkeypatch.setenv("MYAPP_DISABLE_PLUGINS", "myapp-tools")
    assert complete("de") == []
    assert "plugin" in complete("")
    monkeypatch.delenv("MYAPP_DISABLE_PLUGINS")
    monkeypatch.setenv("MYAPP_ONLY_PLUGINS", "myapp-extra")
    assert complete("de") == []
    assert complete("roll") == []


def test_a_broken_configuration_still_completes_the_built_in_commands(complete: Complete, isolated_home: Path) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("disable_plugins = [\n")
    assert complete("de") == []
    assert complete("plugin", "li") == ["list"]


# --- options --------------------------------------------------------------------------------------


def test_a_command_never_run_offers_the_global_options_only_and_imports_nothing(
    complete: Complete, marker_dir: Path, cache_dir: Path
) -> None:
    assert complete("deploy", "start", "--") == complete("--")
    assert complete("deploy", "start", "--stage", "") == []
    assert complete("keys", "hooks.") == []
    assert imports(marker_dir, "completion_tools.commands") == 0
    assert recorded(cache_dir, "deploy start") == {}  # nothing that would stop a run from recording them


def test_a_run_records_the_options_then_a_tab_press_offers_them_without_importing_the_plugin(
    complete: Complete, site: Path, marker_dir: Path, cache_dir: Path
) -> None:
    run_once(site, "deploy", "start", "prod-1")
    assert imports(marker_dir, "completion_tools.commands") == 1
    offered = complete("deploy", "start", "--")
    assert {"--force", "--stage", "--manifest", "--loud", "--help", "--debug", "--no-plugins"} <= set(offered)
    assert complete("deploy", "start", "--f") == ["--force"]
    assert complete("deploy", "start", "--stage", "p") == ["prod"]
    assert complete("deploy", "stop", "--f") == []  # another command of the same class: not run yet
    assert imports(marker_dir, "completion_tools.commands") == 1
    assert len(recorded(cache_dir, "deploy start")) == 1


def test_help_of_a_command_records_its_options(
    complete: Complete, site: Path, marker_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_once(site, "help", "deploy", "stop")
    assert complete("deploy", "stop", "--f") == ["--force"]
    assert imports(marker_dir, "completion_tools.commands") == 1


def test_plugin_check_records_the_options_of_every_command_it_imports(
    complete: Complete, site: Path, marker_dir: Path
) -> None:
    run_once(site, "plugin", "check", exit_code=3)  # myapp-exploding is broken
    assert complete("deploy", "status", "--f") == ["--force"]
    assert "--loud" in complete("deploy", "start", "--")
    assert complete("keys", "debug", "no_") == ["no_color", "no_plugins"]
    assert complete("rollout", "--") == complete("--")  # recorded too: nothing of its own
    assert complete("explode", "--") == complete("--")
    # Once in the child process that tries every import first (see myapp.plugins.isolation), once to check it.
    assert imports(marker_dir, "completion_tools.commands") == 2


def test_options_are_recorded_for_the_plugins_the_run_allowed(complete: Complete, site: Path) -> None:
    run_once(site, "--disable-plugin", "myapp-extra", "deploy", "start", "prod-1")
    assert complete("deploy", "start", "--") == complete("--")  # with the hook: not recorded yet
    offered = complete("--disable-plugin", "myapp-extra", "deploy", "start", "--")
    assert "--force" in offered
    assert "--loud" not in offered


def test_a_run_with_unchanged_options_does_not_write_the_cache(site: Path, cache_dir: Path) -> None:
    run_once(site, "deploy", "start", "prod-1")
    [record] = recorded(cache_dir, "deploy start")
    before = record.stat()
    run_once(site, "deploy", "start", "prod-2")
    after = record.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_each_command_is_recorded_in_a_file_of_its_own(site: Path, cache_dir: Path) -> None:
    run_once(site, "deploy", "start", "prod-1")
    run_once(site, "deploy", "stop", "prod-1")
    [start] = recorded(cache_dir, "deploy start")
    [stop] = recorded(cache_dir, "deploy stop")
    assert start != stop  # a run reads its own command's record, however many are recorded
    assert list(json.loads(start.read_text())) == [recorded(cache_dir, "deploy start")[start]]


def test_a_cache_that_cannot_be_written_does_not_fail_the_command(
    complete: Complete, site: Path, cache_dir: Path
) -> None:
    cache_dir.mkdir()
    (cache_dir / "arguments").write_text("")  # a file where the records' folder should be
    run_once(site, "deploy", "start", "prod-1")  # exit status 0 and nothing on stderr
    assert complete("deploy", "start", "--f") == []


def test_a_parser_whose_arguments_cannot_be_read_does_not_fail_the_command(
    complete: Complete, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("unreadable")

    monkeypatch.setattr("myapp.commands.arguments.arguments_of", fail)
    run_once(site, "deploy", "start", "prod-1")
    monkeypatch.undo()
    assert complete("deploy", "start", "--f") == []


@pytest.mark.parametrize(
    "rows",
    [[["--force", False, False, "", [], ""]], "rows", [[["--x"], "yes", False, "", [], ""]], [[1, 2]]],
    ids=["flags not a list", "not a list", "not a bool", "too short"],
)
def test_recorded_arguments_of_the_wrong_shape_are_ignored_until_the_next_run(
    complete: Complete, site: Path, cache_dir: Path, marker_dir: Path, rows: object
) -> None:
    run_once(site, "deploy", "start", "prod-1")
    expected = complete("deploy", "start", "--")
    [(cache_file, key)] = recorded(cache_dir, "deploy start").items()
    cache_file.write_text(json.dumps({key: {"arguments": rows, "error": ""}}))
    assert complete("deploy", "start", "--") == complete("--")
    assert imports(marker_dir, "completion_tools.commands") == 1
    run_once(site, "deploy", "start", "prod-1")
    assert complete("deploy", "start", "--") == expected


def test_upgrading_a_hook_plugin_needs_a_run_to_offer_the_new_options(complete: Complete, site: Path) -> None:
    run_once(site, "deploy", "start", "prod-1")
    assert "--loud" in complete("deploy", "start", "--")
    for old in site.glob("myapp_extra-*.dist-info"):
        for file in old.iterdir():
            file.unlink()
        old.rmdir()
    install_into(extra("2.0", "--louder"), site)
    assert complete("deploy", "start", "--") == complete("--")  # recorded with the old hook: not offered
    run_once(site, "deploy", "start", "prod-1")
    offered = complete("deploy", "start", "--")
    assert "--louder" in offered
    assert "--loud" not in offered


def test_a_broken_plugin_gets_no_options_and_breaks_nothing(
    complete: Complete, site: Path, marker_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert complete("explode", "--") == complete("--")  # the global options only
    assert imports(marker_dir, "completion_exploding") == 0
    assert run(["explode"], path=[str(site)]).exit_code == 3
    assert complete("explode", "--") == complete("--")  # nothing recorded
    assert complete("de") == ["deploy"]
    assert capfd.readouterr().err == ""


def test_a_built_in_command_not_recorded_yet_is_read_without_plugin_code(
    complete: Complete, site: Path, marker_dir: Path
) -> None:
    install_into(BUILTIN_HOOK, site)
    offered = complete("plugin", "list", "--")
    assert "--column" in offered  # the built-in's own options ...
    assert "--annotated" not in offered  # ... but not a plugin's, which a Tab press would have to import
    assert imports(marker_dir, "completion_builtin_hook") == 0
    run_once(site, "plugin", "list")
    assert imports(marker_dir, "completion_builtin_hook") == 1
    assert "--annotated" in complete("plugin", "list", "--")
    assert imports(marker_dir, "completion_builtin_hook") == 1


def test_words_after_a_double_dash_are_not_options(complete: Complete) -> None:
    assert complete("deploy", "start", "--", "--") == []


# --- values ---------------------------------------------------------------------------------------


def test_choices_complete_after_the_option(complete: Complete, site: Path) -> None:
    run_once(site, "deploy", "start", "prod-1")
    assert complete("deploy", "start", "--stage", "") == ["dev", "prod"]
    assert complete("deploy", "start", "--stage", "p") == ["prod"]
    assert complete("completion", "") == ["bash", "fish", "zsh"]


def test_file_arguments_leave_completion_to_the_shell(complete: Complete, site: Path) -> None:
    run_once(site, "deploy", "start", "prod-1")
    assert complete("--config", "") == ["<paths>"]
    assert complete("deploy", "start", "--manifest", "") == ["<paths>"]


def test_plugin_names_complete_for_plugin_commands(complete: Complete) -> None:
    names = ["myapp-exploding", "myapp-extra", "myapp-tools"]
    assert complete("plugin", "enable", "myapp-") == names
    assert complete("plugin", "show", "myapp-t") == ["myapp-tools"]
    # a disabled plugin is still offered: it is the one to enable
    assert complete("--disable-plugin", "myapp-tools", "plugin", "enable", "myapp-t") == ["myapp-tools"]
    assert complete("--disable-plugin", "myapp-e") == ["myapp-exploding", "myapp-extra"]


def test_a_command_declares_config_keys_as_values(complete: Complete, site: Path) -> None:
    run_once(site, "keys")
    assert complete("keys", "hooks.") == ["hooks.on_failure", "hooks.order", "hooks.script_timeout"]
    assert complete("keys", "debug", "no_") == ["no_color", "no_plugins"]  # nargs="*": every word is a key


def test_profiles_complete_after_profile(complete: Complete, isolated_home: Path) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.ci]\ndisable_plugins = []\n[profiles.dev]\ndisable_plugins = []\n")
    assert complete("--profile", "") == ["ci", "dev"]


def test_help_completes_command_names_word_by_word(complete: Complete) -> None:
    assert complete("help", "de") == ["deploy"]
    assert complete("help", "deploy", "st") == ["start", "status", "stop"]
    assert complete("help", "plugin", "li") == ["list"]
    assert complete("help", "deploy", "start", "") == []  # a whole command: nothing follows
    assert complete("--disable-plugin", "myapp-tools", "help", "de") == []


def test_hooks_run_and_list_complete_event_names(complete: Complete) -> None:
    assert complete("hooks", "run", "pre_dep") == ["pre_deploy_start", "pre_deploy_status", "pre_deploy_stop"]
    assert complete("hooks", "list", "post_deploy_sta") == ["post_deploy_start", "post_deploy_status"]
    assert complete("hooks", "run", "ini") == ["initialize"]
    assert {"pre_command", "post_command", "pre_plugin_list", "post_rollout"} <= set(complete("hooks", "list", ""))
    assert complete("hooks", "list", "pre_n") == ["pre_nightly_build"]  # a hook's event, though no such command
    assert complete("--disable-plugin", "myapp-tools", "hooks", "run", "pre_dep") == []
    assert complete("hooks", "run", "pre_command", "") == []  # the command line the hooks see: anything


def test_use_completes_the_versions_of_versioned_commands(complete: Complete) -> None:
    assert complete("--use", "") == ["rollout=1", "rollout=2", "rollout=3"]
    assert complete("--use", "rollout=3") == ["rollout=3"]
    assert complete("--use=roll") == ["--use=rollout=1", "--use=rollout=2", "--use=rollout=3"]
    assert complete("deploy", "start", "--use", "rollout=2") == ["rollout=2"]  # a global option: anywhere
    assert complete("--disable-plugin", "tools-versioned", "--use", "") == []


def test_use_says_which_version_runs_and_which_are_deprecated(site: Path) -> None:
    assert request(site, "fish", "--use", "rollout=") == (
        0,
        "values\nrollout=1\tdeprecated in favour of version 2\nrollout=2\nrollout=3\truns: the newest version\n",
    )


def test_global_option_values_complete_after_an_equals_sign(complete: Complete) -> None:
    assert complete("--log-format=j") == ["--log-format=json"]
    assert complete("--log-format=") == ["--log-format=text", "--log-format=json"]  # in the order declared
    assert complete("--config=x") == ["<paths>"]


def test_a_command_one_plugin_registers_is_found_without_the_command_table(site: Path) -> None:
    tool = Tool(MYAPP, [], {"path": [str(site)]})
    start = tool.entry_point("deploy start")
    assert start is not None and (start.distribution, start.value) == ("myapp-tools", "completion_tools.commands:Start")
    listing = tool.entry_point("plugin list")
    assert listing is not None and listing.value == BUILTIN_COMMANDS["plugin list"]
    assert tool.entry_point("no such command") is None
    assert "commands" not in vars(tool)  # the command table (and its imports) were not needed


def test_the_global_options_parser_is_built_once_per_version_and_only_for_a_global_option(
    site: Path, cache_dir: Path
) -> None:
    options = {"path": [str(site)]}
    assert "_global_parser" not in vars(Tool(MYAPP, ["deploy", "st"], options))
    first = Tool(MYAPP, ["deploy", "start", "--"], options)
    assert "--debug" in {flag for argument in first.global_arguments for flag in argument.flags}
    assert "_global_parser" in vars(first)  # read once, then kept in the cache
    second = Tool(MYAPP, ["deploy", "start", "--stage", ""], options)
    assert second.global_arguments == first.global_arguments
    assert "_global_parser" not in vars(second)  # --stage is the command's option: nothing to parse
    typed = Tool(MYAPP, ["--disable-plugin", "myapp-tools", "deploy", "st"], options)
    assert typed.config is not None and typed.config["disable_plugins"] == ("myapp-tools",)
    (cache_dir / "global-options.json").write_text(json.dumps({f"myapp {__version__}": {"arguments": "rows"}}))
    assert Tool(MYAPP, ["--"], options).global_arguments == first.global_arguments  # unusable: read again


def _entry_points(tool: Tool, names: Iterable[str]) -> dict[str, tuple[str, str] | None]:
    found = {name: tool.entry_point(name) for name in names}
    return {name: (ep.distribution, ep.name) if ep else None for name, ep in found.items()}


def test_the_entry_point_of_a_command_is_the_one_a_run_would_choose() -> None:
    alpha = FakePlugin(
        "alpha",
        commands={"solo": Command, "twin": Command, "help": Command, "thing.v1": Command, "thing.v2": Command},
        entry_points={"deprecated": {"thing.v2": "thing.v1"}},
    )
    beta = FakePlugin("beta", commands={"twin": Command, "mixed": Command, "mixed.v2": Command, "thing.v3": Command})
    index, _ = fake_index([alpha, beta], MYAPP)
    names = ["solo", "twin", "help", "thing", "mixed", "plugin list", "nothing"]
    for words, pinned in (([""], "thing.v1"), (["--use", "thing=2", ""], "thing.v2")):
        tool = Tool(MYAPP, words, {"plugin_index": index})
        found = _entry_points(tool, names)
        assert found == {
            "solo": ("alpha", "solo"),
            "twin": ("alpha", "twin"),  # a clash: the distribution whose name sorts first
            "help": ("myapp", "help"),  # built-ins win
            "thing": ("alpha", pinned),  # v2 is deprecated in favour of v1
            "mixed": ("beta", "mixed.v2"),
            "plugin list": ("myapp", "plugin_list"),
            "nothing": None,
        }
        table = {name: tool.commands.get(name) for name in names}
        assert found == {name: (e.distribution, e.entry_point.name) if e else None for name, e in table.items()}


def test_plugins_in_configured_drop_in_folders_complete(
    complete: Complete, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "drop-ins"
    folder.mkdir(mode=0o755)
    info = folder / "site-tools.plugin.toml"
    info.write_text('name = "site-tools"\nversion = "1.0"\n\n[commands]\npublish = "site_tools:Publish"\n')
    info.chmod(0o644)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the folder is appended to it
    monkeypatch.setenv("MYAPP_PLUGIN_PATHS", str(folder))
    assert complete("pub") == ["publish"]
    assert complete("plugin", "show", "site-") == ["site-tools"]
    info.chmod(0o666)  # others could change it: refused, as a run refuses it
    assert complete("pub") == []


def test_a_cache_folder_others_can_write_is_not_used(complete: Complete, site: Path, cache_dir: Path) -> None:
    cache_dir.mkdir(mode=0o777)
    cache_dir.chmod(0o777)
    run("deploy start prod-1".split(), path=[str(site)])
    assert complete("deploy", "start", "--f") == []  # the run recorded nothing there
    assert "--column" in complete("plugin", "list", "--")  # a built-in is read again on every request
    assert list(cache_dir.iterdir()) == []


# --- the protocol ---------------------------------------------------------------------------------


def test_fish_and_zsh_get_help_next_to_each_value(site: Path) -> None:
    for shell in ("fish", "zsh"):
        status, output = request(site, shell, "plugin", "show", "myapp-to")
        assert (status, output) == (0, "values\nmyapp-tools\tdeployment tools\n")
    assert request(site, "bash", "plugin", "show", "myapp-to") == (0, "values\nmyapp-tools\n")


def test_an_unknown_shell_is_a_usage_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert request(site, "tcsh", "de") == (2, "")
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "myapp: error: cannot complete for shell 'tcsh'",
        "hint: 'myapp completion' writes scripts for bash, fish, zsh",
    ]


def test_warnings_never_reach_the_terminal(
    complete: Complete, isolated_home: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("no_such_setting = 1\ndisable_plugins = ['not-installed']\n")
    assert complete("de") == ["deploy"]
    assert capfd.readouterr() == ("", "")


def test_completion_prints_a_script_for_each_shell() -> None:
    for shell, registration in (
        ("bash", "complete -F _myapp_complete myapp"),
        ("zsh", "compdef _myapp_complete myapp"),
    ):
        result = run(["completion", shell])
        assert result.exit_code == 0 and registration in result.stdout
    result = run(["completion", "tcsh"])
    assert result.exit_code == 2
    assert "invalid choice: 'tcsh'" in result.stderr


def test_the_script_names_the_tool_it_is_for() -> None:
    text = script("fish", Identity("acme-ops").name, "__complete")
    assert "complete -c acme-ops -f -a '(_acme_ops_complete)'" in text
    assert "myapp" not in text


# --- the engine -----------------------------------------------------------------------------------


def engine(arguments: dict[str, list[Argument]]) -> Completer:
    globals_ = [Argument(("-v", "--verbose"), False, False, "more"), Argument(("--profile",), True, False, "")]
    return Completer(
        arguments,
        globals_,
        lambda name: arguments[name],
        lambda name: f"help of {name}",
        {"colours": lambda: [Candidate("red", "warm"), Candidate("blue", "cold")]},
    )


def test_engine_offers_long_options_for_a_bare_dash_and_short_ones_on_request() -> None:
    completer = engine({"paint": []})
    assert [c.value for c in completer.complete(["paint", "-"]).candidates] == ["--profile", "--verbose"]
    assert [c.value for c in completer.complete(["paint", "-v"]).candidates] == ["-v"]


def test_engine_positionals_in_order_and_repeating() -> None:
    first = Argument((), True, False, "", ("small", "large"))
    rest = Argument((), True, True, "", (), "colours")
    completer = engine({"paint": [first, rest]})
    assert completer.complete(["paint", ""]).candidates == (Candidate("small"), Candidate("large"))
    assert completer.complete(["paint", "small", "r"]).candidates == (Candidate("red", "warm"),)
    assert completer.complete(["paint", "small", "red", "--verbose", "b"]).candidates == (Candidate("blue", "cold"),)


def test_engine_completes_a_value_after_an_equals_sign() -> None:
    completer = engine({"paint": [Argument(("--colour",), True, False, "", (), "colours")]})
    assert completer.complete(["paint", "--colour=r"]).candidates == (Candidate("--colour=red", "warm"),)


def test_engine_gives_help_for_complete_command_names_only() -> None:
    completer = engine({"paint wall": [], "paint": []})
    assert completer.complete(["pa"]).candidates == (Candidate("paint", "help of paint"),)
    assert completer.complete(["paint", ""]).candidates == (Candidate("wall", "help of paint wall"),)
