"""Versioned commands: names, which version runs, pins, deprecations, renames and what ``plugin check`` says."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from myapp.commands.manager import CommandManager
from myapp.commands.versions import Pin, Version, check_entry_points, choose_version
from myapp.config.layers import load_config
from myapp.config.options import build_parser, typed_settings
from myapp.config.settings import SETTINGS
from myapp.errors import ExitCode, UsageError
from myapp.identity import MYAPP, Identity
from myapp.index.names import command_key, name_problem, parse_pins, parse_version, split_version, versioned_names
from myapp.index.records import EntryPointInfo
from myapp.testing import run
from tests.helpers.distributions import Distribution
from tests.helpers.plugins import VERSIONED
from tests.unit.commands.test_manager import allow_all, allow_only, entry, index_of

DEPRECATED = MYAPP.deprecated_namespace


def deprecation(old: str, new: str, distribution: str = "myapp-good") -> EntryPointInfo:
    return entry(old, new, distribution=distribution, group=DEPRECATED)


def manager_of(*entry_points: EntryPointInfo, **pins: int) -> CommandManager:
    manager = CommandManager(MYAPP)
    manager.add_builtins({"help": "myapp.builtin.help:Help"}, "myapp", "0.1.0")
    manager.add_plugins(index_of(*entry_points), allow_all)
    manager.use_versions(pins, lambda name: "MYAPP_USE")
    return manager


#: ``thing`` 1 to 3, 1 and 3 deprecated in favour of 2 (as the functional tests' ``myapp-versioned``).
THING = (
    entry("thing.v1"),
    entry("thing.v2"),
    entry("thing.v3"),
    deprecation("thing.v1", "thing.v2"),
    deprecation("thing.v3", "thing.v2"),
)


def version(number: int | None, deprecated: bool = False, replaced_by: int | None = None) -> Version:
    name = "thing" if number is None else f"thing.v{number}"
    return Version(number, entry(name), deprecated, replaced_by)


# --- names -----------------------------------------------------------------------------------------------------------


def test_identity_names_the_deprecated_namespace() -> None:
    assert MYAPP.deprecated_namespace == "myapp.deprecated"
    assert Identity("my-tool").deprecated_namespace == "my_tool.deprecated"


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("hello.v2", ("hello", 2)),
        ("greeting_list.v10", ("greeting_list", 10)),
        ("hello", ("hello", None)),
        ("hello.x", ("hello.x", None)),
        ("hello.v", ("hello.v", None)),
        (".v1", (".v1", None)),
        ("hello.v0", ("hello", 0)),
    ],
)
def test_split_version_reads_the_suffix(name: str, split: tuple[str, int | None]) -> None:
    assert split_version(name) == split


@pytest.mark.parametrize("name", ["hello.v0", "hello.v01"])
def test_zero_and_leading_zeros_are_bad_version_names(name: str) -> None:
    assert name_problem(name).startswith(f"'{name}' is not a valid version name, so it is ignored")


@pytest.mark.parametrize("name", ["hello", "hello.v1", "hello.v10", "hello.x"])
def test_other_names_have_no_problem(name: str) -> None:
    assert name_problem(name) == ""


def test_versioned_names_are_found_among_many() -> None:
    names = ["a", "a.v1", "b_c.v12", "d.x", "e.v", "f.v2x", "g.v3"]

    assert versioned_names(names) == ["a.v1", "b_c.v12", "g.v3"]
    assert versioned_names([]) == []


@pytest.mark.parametrize(("raw", "number"), [(2, 2), ("2", 2), ("v2", 2), (" 12 ", 12)])
def test_version_numbers_are_read_from_numbers_and_text(raw: object, number: int) -> None:
    assert parse_version(raw) == number


@pytest.mark.parametrize("raw", [0, -1, True, 1.5, "", "x", "v", "latest", "²", None])
def test_anything_else_is_not_a_version_number(raw: object) -> None:
    with pytest.raises(ValueError, match=r"expected a version number \(1, 2, \.\.\.\), found"):
        parse_version(raw)


def test_pins_are_read_from_text_and_later_pins_of_a_command_win() -> None:
    assert parse_pins(" hello=2, greeting_list = v1 ,, hello=3") == {"hello": 3, "greeting list": 1}


@pytest.mark.parametrize("text", ["hello", "=2", "hello=", "hello=two"])
def test_malformed_pins_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_pins(text)


def test_command_keys_read_underscores_and_spaces_alike() -> None:
    assert command_key("greeting_list") == command_key(" greeting  list ") == "greeting list"


# --- choosing a version ----------------------------------------------------------------------------------------------


def test_the_newest_version_runs() -> None:
    choice = choose_version("thing", [version(1), version(3), version(2)])

    assert [v.number for v in choice.versions] == [3, 2, 1]
    assert (choice.chosen.number, choice.reason) == (3, "the newest version")


def test_the_newest_version_not_deprecated_runs() -> None:
    choice = choose_version("thing", [version(1, True, 2), version(2), version(3, True, 2)])

    assert (choice.chosen.number, choice.reason) == (2, "the newest version not deprecated")
    assert choice.deprecation_warning() == ""


def test_when_every_version_is_deprecated_the_newest_runs_with_a_warning() -> None:
    choice = choose_version("thing", [version(1, True), version(2, True)])

    assert (choice.chosen.number, choice.reason) == (2, "the newest version; every version is deprecated")
    assert choice.deprecation_warning() == "'thing' version 2 is deprecated"


def test_a_pinned_version_runs_even_when_deprecated() -> None:
    choice = choose_version("thing", [version(1, True, 2), version(2)], Pin(1, "--use"))

    assert (choice.chosen.number, choice.reason) == (1, "pinned by --use")
    assert choice.pin_error("myapp") is None
    assert choice.deprecation_warning() == (
        "'thing' version 1 is deprecated; use version 2 ('--use thing=2', or drop the pin)"
    )


def test_a_deprecation_warning_names_where_the_pin_came_from() -> None:
    choice = choose_version("greeting list", [Version(1, entry("x"), True, 2), Version(2, entry("y"))], Pin(1, "f:3"))

    assert choice.deprecation_warning() == (
        "'greeting list' version 1 is deprecated; use version 2 ('--use greeting_list=2', or drop the pin from f:3)"
    )


def test_a_pin_of_a_missing_version_falls_back_and_is_an_error_when_asked() -> None:
    choice = choose_version("thing", [version(1, True, 2), version(2)], Pin(9, "MYAPP_USE"))

    error = choice.pin_error("myapp")
    assert choice.chosen.number == 2
    assert error is not None and error.exit_code == ExitCode.USAGE
    assert (error.message, error.hint) == (
        "'thing' has no version 9 (pinned by MYAPP_USE)",
        "available versions: 2, 1 (deprecated); 'myapp help thing' says more",
    )


def test_a_pin_of_an_unversioned_command_says_to_drop_it() -> None:
    error = choose_version("thing", [version(None)], Pin(1, "--use")).pin_error("myapp")

    assert error is not None
    assert error.hint == "'thing' has a single, unversioned version: drop the pin"


def test_help_describes_each_version_and_why_one_runs() -> None:
    choice = choose_version("thing", [version(1, True, 2), version(2), version(10, True)], Pin(1, "MYAPP_USE"))

    assert choice.describe("acme") == [
        "Versions of 'thing' (newest first):",
        "  10  deprecated",
        "   2",
        "   1  deprecated in favour of version 2; runs: pinned by MYAPP_USE",
        "Run another with 'acme --use thing=N thing'.",
    ]
    assert choose_version("thing", [version(None)]).describe("acme") == []


# --- the command table -----------------------------------------------------------------------------------------------


def test_a_versioned_command_is_listed_once_under_its_name() -> None:
    manager = manager_of(*THING, entry("greeting_list.v1"), entry("greeting_list.v2"), entry("shout"))

    assert list(manager.commands) == ["greeting list", "help", "shout", "thing"]
    assert manager.longest_name == 2


def test_the_table_picks_the_newest_version_not_deprecated() -> None:
    found, arguments = manager_of(*THING).find_entry(["thing", "x"])

    assert (found.name, found.entry_point.name, arguments) == ("thing", "thing.v2", ["x"])
    assert found.choice is not None and found.choice.reason == "the newest version not deprecated"


def test_a_version_name_is_not_a_command() -> None:
    manager = manager_of(*THING, entry("greeting_list.v2"))

    assert manager.get("thing.v1") is None
    with pytest.raises(UsageError) as caught:
        manager.find_entry(["greeting", "list.v2"])
    assert (caught.value.message, caught.value.hint) == (
        "unknown command 'greeting list.v2'",
        "a version is chosen with an option: 'myapp --use greeting_list=2 greeting list'",
    )


def test_a_pin_chooses_the_version_and_running_it_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    manager = manager_of(*THING, thing=3)

    with caplog.at_level(logging.WARNING):
        found, _ = manager.find_entry(["thing"])
        manager.find_entry(["thing"])

    assert found.entry_point.name == "thing.v3"
    assert [r.getMessage() for r in caplog.records] == [
        "'thing' version 3 is deprecated; use version 2 ('--use thing=2', or drop the pin from MYAPP_USE)"
    ]


def test_a_pinned_missing_version_is_an_error_when_the_command_runs_only() -> None:
    manager = manager_of(*THING, entry("shout"), thing=9)

    assert manager.find_entry(["shout"])[0].name == "shout"
    assert [name for name, _ in manager] == ["help", "shout", "thing"]
    with pytest.raises(UsageError, match=r"'thing' has no version 9 \(pinned by MYAPP_USE\)"):
        manager.find_entry(["thing"])


def test_pins_typed_for_this_run_are_checked_at_once() -> None:
    manager = manager_of(*THING, entry("shout"))

    with pytest.raises(UsageError) as unknown:
        manager.use_versions({"thnig": 1}, lambda name: "--use", {"thnig": 1})
    with pytest.raises(UsageError) as missing:
        manager.use_versions({"thing": 4}, lambda name: "--use", {"thing": 4})
    with pytest.raises(UsageError) as unversioned:
        manager.use_versions({"help": 1}, lambda name: "--use", {"help": 1})

    assert (unknown.value.message, unknown.value.hint) == (
        "--use names unknown command 'thnig'",
        "did you mean 'thing'? 'myapp help' lists all commands",
    )
    assert missing.value.message == "'thing' has no version 4 (pinned by --use)"
    assert unversioned.value.hint == "'help' has a single, unversioned version: drop the pin"


def test_other_pins_of_unknown_commands_are_only_mentioned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="myapp.commands.manager"):
        manager = manager_of(*THING, report=1)

    assert manager.find_entry(["thing"])[0].entry_point.name == "thing.v2"
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "MYAPP_USE names unknown command 'report'; ignoring its pin")
    ]


def test_a_pin_of_a_disabled_plugin_s_command_is_not_an_error() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(*THING, entry("shout", distribution="myapp-lazy")), allow_only("myapp-lazy"))

    manager.use_versions({"thing": 1}, lambda name: "--use", {"thing": 1})

    with pytest.raises(UsageError, match="command 'thing' comes from plugin 'myapp-good', which is disabled"):
        manager.find_entry(["thing"])


def test_deprecations_count_only_from_the_distribution_that_registers_the_version() -> None:
    manager = manager_of(entry("thing.v1"), entry("thing.v2"), deprecation("thing.v2", "thing.v1", "myapp-other"))

    found = manager.get("thing")

    assert found is not None and found.choice is not None
    assert (found.entry_point.name, found.choice.chosen.deprecated) == ("thing.v2", False)


def test_versions_of_clashing_plugins_are_not_mixed() -> None:
    manager = manager_of(
        entry("thing.v1", distribution="myapp-a"),
        entry("thing.v5", distribution="myapp-b"),
        entry("thing.v2", distribution="myapp-a"),
    )

    found = manager.get("thing")

    assert found is not None and found.choice is not None
    assert (found.distribution, found.entry_point.name) == ("myapp-a", "thing.v2")
    assert [v.number for v in found.choice.versions] == [2, 1]
    assert [(e.distribution, e.entry_point.name) for e in manager.clashes("thing")] == [("myapp-b", "thing.v5")]


def test_a_plain_entry_next_to_versions_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="myapp.commands.versions"):
        found = manager_of(entry("thing"), entry("thing.v1"), entry("thing.v0")).get("thing")

    assert found is not None and found.choice is not None
    assert [v.entry_point.name for v in found.choice.versions] == ["thing.v1"]
    assert [r.getMessage() for r in caplog.records] == [
        "plugin 'myapp-good' registers 'thing' both with and without a version; ignoring the one without"
    ]


def test_a_command_with_only_badly_numbered_versions_does_not_exist() -> None:
    manager = manager_of(entry("thing.v0"))

    assert manager.get("thing") is None
    assert "thing" not in manager.commands


# --- renames ---------------------------------------------------------------------------------------------------------


def test_an_old_name_runs_the_renamed_command_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    manager = manager_of(*THING, deprecation("old_stuff_thing", "thing"))

    with caplog.at_level(logging.WARNING):
        found, arguments = manager.find_entry(["old", "stuff", "thing", "x"])

    assert (found.name, found.entry_point.name, arguments) == ("thing", "thing.v2", ["x"])
    assert "old stuff thing" not in manager.commands
    assert [r.getMessage() for r in caplog.records] == [
        "'old stuff thing' was renamed 'thing'; run 'myapp thing' instead"
    ]


def test_cliff_legacy_names_warn_too(caplog: pytest.LogCaptureFixture) -> None:
    manager = manager_of(entry("hello"))
    manager.add_legacy_command("hi", "hello")

    with caplog.at_level(logging.WARNING):
        found, _ = manager.find_entry(["hi"])

    assert found.name == "hello"
    assert [r.getMessage() for r in caplog.records] == ["'hi' was renamed 'hello'; run 'myapp hello' instead"]


def test_an_old_name_never_hides_a_command_that_has_it() -> None:
    manager = manager_of(*THING, entry("shout", distribution="myapp-shout"), deprecation("shout", "thing"))

    assert manager.find_entry(["shout"])[0].distribution == "myapp-shout"


def test_renames_declared_by_a_disabled_plugin_do_not_apply() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(*THING, deprecation("stuff", "thing", "myapp-off")), allow_only("myapp-good"))

    with pytest.raises(UsageError, match="unknown command 'stuff'"):
        manager.find_entry(["stuff"])


def test_a_pin_may_use_the_old_name() -> None:
    manager = manager_of(*THING, deprecation("stuff", "thing"), stuff=1)

    assert manager.find_entry(["thing"])[0].entry_point.name == "thing.v1"


# --- only the chosen version is imported -----------------------------------------------------------------------------


def test_running_a_version_imports_only_its_module(
    install: Callable[[Distribution], Path], site_dir: Path, marker_dir: Path
) -> None:
    install(VERSIONED)

    default = run(["thing"], path=[str(site_dir)])
    pinned = run(["--use", "thing=3", "-q", "thing"], path=[str(site_dir)])

    assert (default.exit_code, default.stdout) == (0, "thing v2\n")
    assert (pinned.exit_code, pinned.stdout) == (0, "thing v3\n")
    assert sorted(p.name for p in marker_dir.iterdir()) == [
        "versioned_plugin.thing_v2.imported",
        "versioned_plugin.thing_v3.imported",
    ]


# --- the use setting -------------------------------------------------------------------------------------------------


def test_the_use_setting_reads_tables_and_text() -> None:
    kind = SETTINGS["use"].kind

    assert kind.from_toml({"greeting_list": 2, "hello": "v1"}) == {"greeting list": 2, "hello": 1}
    assert kind.from_text("hello=2") == {"hello": 2}
    with pytest.raises(ValueError, match="expected a table of command = version number, found"):
        kind.from_toml(["hello=2"])
    with pytest.raises(ValueError, match="expected a version number"):
        kind.from_toml({"hello": 0})


def test_use_options_add_up_on_the_command_line() -> None:
    parser = build_parser(MYAPP, "", "1")
    namespace, _ = parser.parse_known_args(["--use", "hello=1", "--use", "thing=2,hello=3", "hello"])

    assert typed_settings(parser, namespace) == {"use": ({"hello": 3, "thing": 2}, "--use")}


@pytest.mark.parametrize("value", ["hello", "", "hello=0", "=1"])
def test_a_malformed_use_option_is_a_usage_error(value: str) -> None:
    parser = build_parser(MYAPP, "", "1")

    with pytest.raises(UsageError) as caught:
        parser.parse_known_args(["--use", value, "hello"])

    assert caught.value.message.startswith(f"--use {value!r} is not valid: expected")
    assert caught.value.hint == "write --use NAME=N; 'myapp help NAME' lists the versions of a command"


def test_pins_of_every_layer_add_up_and_the_strongest_layer_wins_per_command(tmp_path: Path) -> None:
    config_file = tmp_path / "team.toml"
    config_file.write_text(
        '[use]\nhello = 1\nthing = 1\n\n[profiles.old]\nuse = { "greeting list" = 1, hello = 2 }\n',
        encoding="utf-8",
    )

    from_file = load_config(MYAPP, config_file=str(config_file), environ={})
    layered = load_config(MYAPP, config_file=str(config_file), environ={"MYAPP_PROFILE": "old", "MYAPP_USE": "thing=2"})

    assert (from_file["use"], from_file.value("use").origin_of("hello")) == (
        {"hello": 1, "thing": 1},
        f"{config_file}:1",
    )
    assert layered["use"] == {"hello": 2, "thing": 2, "greeting list": 1}
    pins = layered.value("use")
    assert pins.origin_of("hello") == pins.origin_of("greeting list") == f"profile 'old' ({config_file}:6)"
    assert pins.origin_of("thing") == "MYAPP_USE"


# --- plugin check ----------------------------------------------------------------------------------------------------


def problems_of(*entry_points: EntryPointInfo, commands: tuple[str, ...] = ("thing", "shout")) -> list[tuple[str, str]]:
    found = check_entry_points(entry_points, MYAPP, set(commands))
    return [
        (f"{ep.name} = {ep.value}", ("error: " if is_error else "warning: ") + text) for ep, text, is_error in found
    ]


def test_good_versions_and_deprecations_have_no_problems() -> None:
    assert problems_of(*THING, deprecation("stuff", "thing")) == []


def test_bad_version_names_and_plain_names_next_to_versions_are_errors() -> None:
    assert problems_of(entry("thing", "m:C"), entry("thing.v1", "m:C"), entry("thing.v00", "m:C")) == [
        (
            "thing = m:C",
            "error: 'thing' is also registered with versions, so this one is ignored: register it as 'thing.v<N>'",
        ),
        (
            "thing.v00 = m:C",
            "error: 'thing.v00' is not a valid version name, so it is ignored: "
            "write 'thing.v<N>' with N a whole number from 1, without leading zeros",
        ),
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("thing.v7", "thing.v1", "error: deprecates 'thing.v7', which this plugin does not register as a command"),
        (
            "thing.v1",
            "thing.v7",
            "error: names replacement 'thing.v7', which this plugin does not register as a command",
        ),
        ("thing.v1", "thing", "error: the replacement must be another version of 'thing', e.g. 'thing.v2'"),
        ("thing.v1", "other.v2", "error: the replacement must be another version of 'thing', e.g. 'thing.v2'"),
        ("thing.v1", "thing.v1", "error: the replacement must be another version of 'thing', e.g. 'thing.v2'"),
        ("stuff", "thing.v2", "error: a renamed command's new name takes no version: write 'stuff = thing'"),
        ("stuff", "thnig", "error: renames to 'thnig', which does not exist; did you mean 'thing'?"),
        ("shout", "thing", "warning: 'shout' is still a command, so the old name never reaches 'thing'"),
    ],
)
def test_deprecations_that_point_nowhere_are_reported(old: str, new: str, problem: str) -> None:
    assert problems_of(*THING[:3], deprecation(old, new)) == [(f"{old} = {new}", problem)]


SLOPPY_SOURCE = """
from cliff.command import Command


class C(Command):
    def take_action(self, parsed_args):
        return 0
"""


def test_plugin_check_runs_the_version_checks(install: Callable[[Distribution], Path], site_dir: Path) -> None:
    install(
        Distribution(
            name="myapp-sloppy",
            files={"sloppy.py": SLOPPY_SOURCE},
            entry_points={"myapp.commands": {"sloppy.v1": "sloppy:C"}, DEPRECATED: {"sloppy.v1": "sloppy.v2"}},
        )
    )

    result = run(["plugin", "check", "myapp-sloppy", "-f", "value"], path=[str(site_dir)])

    assert result.exit_code == ExitCode.PLUGIN
    assert result.stdout == (
        "myapp-sloppy myapp.deprecated: sloppy.v1 = sloppy.v2 error "
        "names replacement 'sloppy.v2', which this plugin does not register as a command\n"
    )


def test_help_shows_the_versions(install: Callable[[Distribution], Path], site_dir: Path) -> None:
    install(VERSIONED)

    result = run(["help", "thing"], path=[str(site_dir)], env={"MYAPP_USE": "thing=3"})

    assert result.exit_code == 0
    assert result.stdout.endswith(
        "  3  deprecated in favour of version 2; runs: pinned by MYAPP_USE\n"
        "  2\n"
        "  1  deprecated in favour of version 2\n"
        "Run another with 'myapp --use thing=N thing'.\n"
    )
