"""The command table: names to entry points from an in-memory index, built-ins first, imports on demand."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import stevedore
from cliff.command import Command

from myapp.commands.entry import CommandEntry
from myapp.commands.manager import CommandManager
from myapp.errors import ExitCode, IncompleteCommand, PluginLoadError, UnknownCommand, UsageError
from myapp.identity import MYAPP, Identity
from myapp.index.names import command_name
from myapp.index.pluginindex import PluginIndex
from myapp.index.records import EntryPointInfo, normalize_name
from myapp.plugins.loading import disable_hint

HERE = __name__


class Hello(Command):
    """Say hello."""

    def take_action(self, parsed_args: object) -> int:
        return 0


class NamedHello(Hello):
    """Remember the name it was created under."""

    def __init__(self, app: object, app_args: object, cmd_name: str | None = None) -> None:
        super().__init__(app, app_args, cmd_name)  # type: ignore[arg-type]


class CannotStart(Hello):
    def __init__(self, app: object, app_args: object, cmd_name: str | None = None) -> None:
        raise RuntimeError("no resources")


class NotACommand:
    """A class that forgot to subclass cliff's Command."""


def not_a_command() -> None:
    """A function where a class was expected."""


def entry(
    name: str,
    value: str = f"{HERE}:Hello",
    distribution: str = "myapp-good",
    group: str = "",
    version: str = "1.0",
) -> EntryPointInfo:
    return EntryPointInfo(name, value, group or MYAPP.command_namespace, distribution, version)


def index_of(*entry_points: EntryPointInfo) -> PluginIndex:
    """An index of one distribution per distinct name, in the order they first appear."""
    by_distribution: dict[str, list[EntryPointInfo]] = {}
    for entry_point in entry_points:
        by_distribution.setdefault(entry_point.distribution, []).append(entry_point)
    rows = tuple((name, eps[0].version, "", f"/site/{name}.dist-info", ()) for name, eps in by_distribution.items())
    groups: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    for eps in by_distribution.values():
        for ep in eps:
            groups.setdefault(ep.group, {}).setdefault(ep.name, []).append((ep.value, ep.distribution, ep.version))
    return PluginIndex((), rows, groups)


def allow_all(entry_point: EntryPointInfo) -> bool:
    return True


def allow_only(*distributions: str) -> Callable[[EntryPointInfo], bool]:
    """A predicate that lets only *distributions* (normalized names) provide code."""
    return lambda entry_point: normalize_name(entry_point.distribution) in distributions


def manager_with(*commands: str, builtins: dict[str, str] | None = None) -> CommandManager:
    manager = CommandManager(MYAPP)
    manager.add_builtins(builtins or {}, "myapp", "0.1.0")
    manager.add_plugins(index_of(*(entry(name.replace(" ", "_")) for name in commands)), allow_all)
    return manager


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry_point_name", "name"), [("plugin_list", "plugin list"), ("hello", "hello"), ("a_b_c", "a b c")]
)
def test_command_name_reads_underscores_as_spaces(entry_point_name: str, name: str) -> None:
    assert command_name(entry_point_name) == name


def test_plugin_commands_are_listed_sorted_by_name() -> None:
    manager = manager_with("zap", "plugin list", "alpha")

    assert [name for name, _ in manager] == ["alpha", "plugin list", "zap"]


def test_command_namespace_is_the_identity_s() -> None:
    assert CommandManager(MYAPP).namespace == "myapp.commands"


# --- find_entry ------------------------------------------------------------------------------------


def test_find_entry_picks_the_longest_multi_word_name() -> None:
    manager = manager_with("plugin", "plugin list", "plugin list all")

    found, arguments = manager.find_entry(["plugin", "list", "extra", "words"])

    assert found.name == "plugin list"
    assert arguments == ["extra", "words"]


@pytest.mark.parametrize(
    ("argv", "name", "arguments"),
    [
        (["plugin list", "-f", "json"], "plugin list", ["-f", "json"]),  # as cliff's own shell passes it
        (["plugin", "list all", "x"], "plugin list all", ["x"]),
        (["plugin list", "all"], "plugin list all", []),
    ],
)
def test_an_argument_may_hold_several_words_of_a_name_as_in_cliff(
    argv: list[str], name: str, arguments: list[str]
) -> None:
    manager = manager_with("plugin", "plugin list", "plugin list all")

    found, rest = manager.find_entry(argv)

    assert (found.name, rest) == (name, arguments)


@pytest.mark.parametrize(
    "argv", [["plugin  list"], ["plugin\tlist"], [" plugin list"], ["plugin list "], ["", "plugin"]]
)
def test_words_spaced_unlike_a_name_never_name_a_command(argv: list[str]) -> None:
    manager = manager_with("plugin list")

    with pytest.raises(UnknownCommand):
        manager.find_entry(argv)


def test_find_entry_never_splits_one_argument_between_the_name_and_the_arguments() -> None:
    manager = manager_with("plugin")

    with pytest.raises(UnknownCommand):
        manager.find_entry(["plugin list"])


def test_find_entry_stops_at_the_first_option() -> None:
    manager = manager_with("plugin", "plugin list")

    found, arguments = manager.find_entry(["plugin", "--long", "list"])

    assert found.name == "plugin"
    assert arguments == ["--long", "list"]


def test_find_entry_leaves_the_rest_as_arguments() -> None:
    manager = manager_with("shout")

    found, arguments = manager.find_entry(["shout", "a", "-b", "--c=d"])

    assert found.name == "shout"
    assert arguments == ["a", "-b", "--c=d"]


def test_find_entry_does_not_abbreviate() -> None:
    manager = manager_with("shout")

    with pytest.raises(UsageError, match="unknown command 'sho'"):
        manager.find_entry(["sho"])


def test_unknown_command_is_a_usage_error_with_a_did_you_mean_hint() -> None:
    manager = manager_with("hello", "plugin list")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["helo"])

    assert caught.value.exit_code == ExitCode.USAGE == 2
    assert caught.value.message == "unknown command 'helo'"
    assert caught.value.hint == "did you mean 'hello'? 'myapp help' lists all commands"


def test_unknown_subcommand_like_none_of_its_group_points_at_the_group_listing() -> None:
    manager = manager_with("plugin list", "plugin show", "hello")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["plugin", "qwertyuiopasdfgh"])

    assert caught.value.message == "unknown command 'plugin qwertyuiopasdfgh'"
    assert caught.value.hint == "'myapp help plugin' lists its commands"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        (
            ["plugn", "list"],
            "'plugin list'",
        ),  # not 'plugin new', 'plugin show' or 'plugin sync', alike in the first word
        (["greting", "list"], "'greeting list'"),
        (["greting"], "'greeting'"),  # a group answers, so it is suggested too
        (["plugin", "lst", "-f"], "'plugin list'"),
        (["plug", "lis"], "'plugin list'"),  # the group 'plugin' begins the closer name: left out
        (["helo", "Ada"], "'hello' or 'help'"),  # 'hello world' is compared with 'helo Ada'
    ],
)
def test_suggestions_rank_whole_command_lines(typed: list[str], suggested: str) -> None:
    names = ("plugin list", "plugin new", "plugin show", "plugin sync", "greeting list", "greeting show", "hello")
    manager = manager_with(*names, "help", "hello world")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(typed)

    assert caught.value.hint is not None
    assert caught.value.hint.startswith(f"did you mean {suggested}? ")


@pytest.mark.parametrize("typed", [["nonexistent"], ["nonexistent", "list"], ["plugin", "nonexistent"]])
def test_a_word_like_no_command_gets_no_suggestion(typed: list[str]) -> None:
    # 'explain' is about as alike as 'plugin' (0.62): a group typed right is kept, not replaced.
    manager = manager_with("plugin list", "plugin new", "config show", "hello", "hooks list", "explain")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(typed)

    assert caught.value.hint is not None
    assert "did you mean" not in caught.value.hint


def test_the_words_of_a_group_are_an_incomplete_command_naming_its_commands() -> None:
    manager = manager_with("plugin list", "plugin show", "plugin set add", "plugins", "hello")

    with pytest.raises(IncompleteCommand) as caught:
        manager.find_entry(["plugin", "--verbose"])
    with pytest.raises(IncompleteCommand) as nested:
        manager.find_entry(["plugin", "set"])

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.group == "plugin"
    assert caught.value.commands == ("plugin list", "plugin set add", "plugin show")
    assert caught.value.message == "'plugin' is a group of commands; name one of them, e.g. 'plugin list'"
    assert (nested.value.group, nested.value.commands) == ("plugin set", ("plugin set add",))


def test_a_command_that_begins_longer_names_runs_rather_than_listing_them() -> None:
    manager = manager_with("hello", "hello world")

    found, arguments = manager.find_entry(["hello"])

    assert (found.name, arguments) == ("hello", [])
    assert manager.commands_in_group(["hello"]) == ["hello world"]
    assert manager.commands_in_group([]) == []
    assert manager.commands_in_group(["hel"]) == []


def test_unknown_command_without_close_names_only_points_at_help() -> None:
    manager = manager_with("hello")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["xyzzy"])

    assert caught.value.hint == "'myapp help' lists all commands"


def test_unknown_command_followed_by_an_argument_still_suggests_close_names() -> None:
    manager = manager_with("hello", "greeting list")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["helo", "everyone"])

    assert caught.value.message == "unknown command 'helo'"
    assert caught.value.hint is not None
    assert "did you mean 'hello'" in caught.value.hint


def test_thirty_thousand_arguments_resolve_quickly() -> None:
    manager = manager_with("shout", "plugin list", "plugin list all")
    words = [f"word{number}" for number in range(30_000)]

    started = time.perf_counter()
    found, arguments = manager.find_entry(["shout", *words])
    with pytest.raises(UsageError) as caught:
        manager.find_entry(["nope", *words])
    elapsed = time.perf_counter() - started

    assert found.name == "shout"
    assert arguments == words
    assert len(caught.value.message) < 100
    assert elapsed < 1.0  # sanity bound only; a scan of every word or a quadratic one blows through it


def test_get_looks_up_only_the_name_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    index = index_of(*(entry(f"command{n}", distribution=f"myapp-plugin{n % 50}") for n in range(2_000)))
    manager = CommandManager(MYAPP)
    manager.add_builtins({"help": "myapp.builtin.help:Help"}, "myapp", "0.1.0")
    manager.add_plugins(index, allow_all)
    looked_up: list[tuple[str, str]] = []
    lookup = PluginIndex.lookup

    def recording_lookup(self: PluginIndex, group: str, name: str) -> list[EntryPointInfo]:
        looked_up.append((group, name))
        return lookup(self, group, name)

    monkeypatch.setattr(PluginIndex, "lookup", recording_lookup)

    found = manager.get("command1234")

    assert found is not None
    assert (found.name, found.distribution) == ("command1234", "myapp-plugin34")
    assert looked_up == [("myapp.commands", "command1234")]


# --- clashes -----------------------------------------------------------------------------------


def test_builtin_wins_over_a_plugin_with_a_warning_naming_the_distribution(caplog: pytest.LogCaptureFixture) -> None:
    manager = CommandManager(MYAPP)
    manager.add_builtins({"help": "myapp.builtin.help:Help"}, "myapp", "0.1.0")
    manager.add_plugins(index_of(entry("help", distribution="myapp-clash-a")), allow_all)

    with caplog.at_level(logging.WARNING, logger="myapp.commands.manager"):
        found, _ = manager.find_entry(["help"])

    assert found.builtin
    assert found.distribution == "myapp"
    assert [r.getMessage() for r in caplog.records] == [
        "built-in command 'help' is also provided by 'myapp-clash-a'; using the one from 'myapp'"
    ]
    assert [loser.distribution for loser in manager.clashes("help")] == ["myapp-clash-a"]


def test_builtin_added_after_the_plugin_still_wins() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("hello", distribution="myapp-good"), entry("hello", distribution="myapp")), allow_all
    )

    found, _ = manager.find_entry(["hello"])

    assert found.builtin
    assert found.distribution == "myapp"


@pytest.mark.parametrize(
    "path_order",
    [("Zed_Plugin", "alpha-plugin"), ("alpha-plugin", "Zed_Plugin")],
    ids=["winner-last-on-path", "winner-first-on-path"],
)
def test_plugin_clash_is_decided_by_normalized_distribution_name(
    path_order: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(*(entry("twin", distribution=name) for name in path_order)), allow_all)

    with caplog.at_level(logging.WARNING, logger="myapp.commands.manager"):
        found, _ = manager.find_entry(["twin"])

    assert found.distribution == "alpha-plugin"
    assert [r.getMessage() for r in caplog.records] == [
        "command 'twin' is also provided by 'Zed_Plugin'; using the one from 'alpha-plugin'"
    ]


def test_running_a_command_warns_only_about_its_own_clash(caplog: pytest.LogCaptureFixture) -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("twin", distribution="myapp-a"), entry("twin", distribution="myapp-b"), entry("solo")),
        allow_all,
    )

    with caplog.at_level(logging.WARNING, logger="myapp.commands.manager"):
        manager.find_entry(["solo"])

    assert caplog.records == []


def test_longer_command_of_another_plugin_says_how_to_reach_the_shorter_one(caplog: pytest.LogCaptureFixture) -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("greeting", distribution="myapp-a"), entry("greeting_list", distribution="myapp-b")),
        allow_all,
    )

    with caplog.at_level(logging.WARNING, logger="myapp.commands.manager"):
        found, arguments = manager.find_entry(["greeting", "list", "--all"])

    assert (found.name, arguments) == ("greeting list", ["--all"])
    assert [r.getMessage() for r in caplog.records] == [
        "running 'greeting list' from 'myapp-b'; to pass 'list' to 'greeting' instead, write 'myapp greeting -- list'"
    ]


def test_shorter_command_is_reached_after_a_double_dash() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("greeting", distribution="myapp-a"), entry("greeting_list", distribution="myapp-b")),
        allow_all,
    )

    found, arguments = manager.find_entry(["greeting", "--", "list"])

    assert (found.name, arguments) == ("greeting", ["--", "list"])


def test_longer_command_of_the_same_plugin_is_no_surprise(caplog: pytest.LogCaptureFixture) -> None:
    manager = manager_with("greeting", "greeting list")

    with caplog.at_level(logging.WARNING, logger="myapp.commands.manager"):
        found, _ = manager.find_entry(["greeting", "list"])

    assert found.name == "greeting list"
    assert caplog.records == []


def test_legacy_name_finds_the_renamed_command() -> None:
    manager = manager_with("hello")
    manager.add_legacy_command("hi", "hello")

    found, arguments = manager.find_entry(["hi", "there"])

    assert (found.name, arguments) == ("hello", ["there"])


# --- which distributions may provide commands --------------------------------------------------------


def test_only_distributions_the_predicate_allows_provide_commands() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("shout", distribution="myapp-good"), entry("lazy", distribution="myapp-lazy")),
        allow_only("myapp-good"),
    )

    assert [name for name, _ in manager] == ["shout"]
    assert manager.get("lazy") is None


def test_commands_of_the_tool_s_own_distribution_are_builtins() -> None:
    manager = CommandManager(MYAPP)
    manager.add_builtins({"help": "myapp.builtin.help:Help"}, "myapp", "0.1.0")
    manager.add_plugins(
        index_of(entry("extra", distribution="myapp"), entry("shout", distribution="myapp-good")), allow_only("myapp")
    )

    assert [name for name, _ in manager] == ["extra", "help"]
    assert all(found.builtin for _, found in manager)


def test_the_predicate_is_asked_about_each_entry_point_of_the_name_looked_up() -> None:
    asked: list[EntryPointInfo] = []

    def is_allowed(entry_point: EntryPointInfo) -> bool:
        asked.append(entry_point)
        return True

    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(entry("shout"), entry("lazy", distribution="myapp-lazy")), is_allowed)
    manager.get("shout")

    assert asked == [entry("shout")]
    assert manager.is_allowed is is_allowed


def test_cliff_formatters_are_served_to_stevedore_from_the_index() -> None:
    group = "cliff.formatter.list"
    manager = CommandManager(MYAPP)

    manager.add_plugins(
        index_of(
            entry("table", "cliff.formatters.table:TableFormatter", "cliff", group),
            entry("fancy", "fancy:Formatter", "myapp-fancy", group),
        ),
        allow_only("cliff"),
    )

    assert [ep.name for ep in stevedore.ExtensionManager.ENTRY_POINT_CACHE[group]] == ["table"]


# --- commands of plugins that may not run ------------------------------------------------------------


def test_command_of_a_blocked_plugin_names_the_plugin_and_why_it_is_blocked() -> None:
    asked: list[str] = []

    def blocked_reason(distribution: str) -> str:
        asked.append(distribution)
        return "disabled by config: listed in disable_plugins (--disable-plugin)"

    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(entry("shout", distribution="MyApp_Good")), allow_only(), blocked_reason)

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["shout", "hi"])

    assert caught.value.message == (
        "command 'shout' comes from plugin 'myapp-good', which is "
        "disabled by config: listed in disable_plugins (--disable-plugin)"
    )
    assert caught.value.hint == "run 'myapp plugin enable myapp-good', or drop the option that disables it"
    assert caught.value.exit_code == ExitCode.USAGE
    assert asked == ["myapp-good"]


def test_blocked_command_error_names_the_longest_blocked_name_and_follows_the_identity() -> None:
    manager = CommandManager(Identity("acme"))
    manager.add_plugins(
        index_of(
            entry("greeting", distribution="acme-a", group="acme.commands"),
            entry("greeting_show", distribution="acme-b", group="acme.commands"),
        ),
        allow_only(),
    )

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["greeting", "show", "--all"])

    assert caught.value.message == "command 'greeting show' comes from plugin 'acme-b', which is disabled"
    assert caught.value.hint == "run 'acme plugin enable acme-b', or drop the option that disables it"


def test_blocked_command_error_takes_its_hint_from_the_caller() -> None:
    asked: list[str] = []

    def blocked_hint(distribution: str) -> str:
        asked.append(distribution)
        return f"install a release of '{distribution}' made for this myapp"

    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("shout", distribution="MyApp_Old")),
        allow_only(),
        lambda distribution: "incompatible: needs myapp<0.1, running 0.1.0",
        blocked_hint,
    )

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["shout"])

    assert caught.value.message == (
        "command 'shout' comes from plugin 'myapp-old', which is incompatible: needs myapp<0.1, running 0.1.0"
    )
    assert caught.value.hint == "install a release of 'myapp-old' made for this myapp"
    assert asked == ["myapp-old"]


def test_a_name_no_plugin_provides_is_still_an_unknown_command() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(entry("shout")), allow_only(), lambda distribution: "never asked")

    with pytest.raises(UsageError) as caught:
        manager.find_entry(["whisper"])

    assert caught.value.message == "unknown command 'whisper'"


def test_an_allowed_command_is_found_even_when_another_plugin_s_twin_is_blocked() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(entry("twin", distribution="myapp-a"), entry("twin", distribution="myapp-b")), allow_only("myapp-b")
    )

    found, _ = manager.find_entry(["twin"])

    assert found.distribution == "myapp-b"
    assert manager.clashes("twin") == []


# --- CommandEntry ----------------------------------------------------------------------------------


def test_entry_names_its_value_distribution_and_version() -> None:
    manager = manager_with("hello")

    found, _ = manager.find_entry(["hello"])

    assert found.value == f"{HERE}:Hello"
    assert found.distribution == "myapp-good"
    assert found.version == "1.0"
    assert not found.builtin


def test_load_returns_the_command_class() -> None:
    assert CommandEntry("hello", entry("hello")).load() is Hello


def test_load_of_a_missing_module_is_a_plugin_load_error_naming_the_culprit() -> None:
    broken = CommandEntry("broken", entry("broken", "myapp_tests_no_such_module:Cmd", "myapp-broken"))

    with pytest.raises(PluginLoadError) as caught:
        broken.load()

    error = caught.value
    assert error.exit_code == ExitCode.PLUGIN
    assert error.distribution == "myapp-broken"
    assert error.entry_point == "broken = myapp_tests_no_such_module:Cmd"
    assert error.namespace == "myapp.commands"
    assert "ModuleNotFoundError" in error.message
    assert error.hint == disable_hint("myapp-broken")
    assert isinstance(error.__cause__, ModuleNotFoundError)


def test_load_of_a_missing_attribute_is_a_plugin_load_error() -> None:
    broken = CommandEntry("gone", entry("gone", f"{HERE}:Gone", "myapp-broken"))

    with pytest.raises(PluginLoadError, match="AttributeError") as caught:
        broken.load()

    assert caught.value.entry_point == f"gone = {HERE}:Gone"


def test_module_that_exits_while_importing_is_a_plugin_load_error(site_dir: Path) -> None:
    module = "myapp_tests_exits_on_import"
    (site_dir / f"{module}.py").write_text("import sys\nsys.exit(7)\n")
    broken = CommandEntry("exits", entry("exits", f"{module}:Cmd", "myapp-broken"))

    with pytest.raises(PluginLoadError, match=r"SystemExit: exit status 7"):
        broken.load()


def test_module_printing_while_importing_does_not_touch_stdout(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = "myapp_tests_noisy_on_import"
    (site_dir / f"{module}.py").write_text(f"print('noise')\nfrom {HERE} import Hello\n")

    loaded = CommandEntry("noisy", entry("noisy", f"{module}:Hello")).load()

    assert loaded is Hello
    assert capsys.readouterr() == ("", "noise\n")


def test_keyboard_interrupt_while_importing_is_not_turned_into_a_load_error(site_dir: Path) -> None:
    module = "myapp_tests_interrupted_import"
    (site_dir / f"{module}.py").write_text("raise KeyboardInterrupt\n")

    with pytest.raises(KeyboardInterrupt):
        CommandEntry("cmd", entry("cmd", f"{module}:Cmd")).load()


@pytest.mark.parametrize(
    ("target", "kind"),
    [("not_a_command", "function 'not_a_command'"), ("NotACommand", "class 'NotACommand'"), ("HERE", "str")],
)
def test_target_that_is_not_a_command_class_is_a_plugin_load_error(target: str, kind: str) -> None:
    wrong = CommandEntry("wrong", entry("wrong", f"{HERE}:{target}", "myapp-broken"))

    with pytest.raises(PluginLoadError) as caught:
        wrong.load()

    error = caught.value
    assert error.message == (
        f"command 'wrong' (myapp-broken 1.0, entry point wrong = {HERE}:{target}): "
        f"expected a subclass of cliff.command.Command, found {kind}"
    )
    assert (error.distribution, error.entry_point, error.namespace) == (
        "myapp-broken",
        f"wrong = {HERE}:{target}",
        "myapp.commands",
    )


def test_builtin_entry_has_no_disable_hint() -> None:
    builtin = CommandEntry("help", entry("help", f"{HERE}:Gone", "myapp", version="0.1.0"), builtin=True)

    with pytest.raises(PluginLoadError) as caught:
        builtin.load()

    assert builtin.hint is None
    assert caught.value.hint is None


def test_disable_hint_names_the_normalized_distribution_and_plugin_check() -> None:
    assert disable_hint("MyApp_Broken") == (
        "reinstall or fix it, or skip it with '--disable-plugin myapp-broken'; "
        "the 'plugin check' command lists every broken plugin"
    )


# --- creating commands and their hooks ------------------------------------------------------------


class FakeApp:
    def __init__(self, manager: CommandManager) -> None:
        self.command_manager = manager


def test_create_passes_the_command_name() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(entry("greeting_show", f"{HERE}:NamedHello")), allow_all)
    found, _ = manager.find_entry(["greeting", "show"])

    command = manager.create(found, FakeApp(manager), None)

    assert isinstance(command, NamedHello)
    assert command.cmd_name == "greeting show"


def test_command_that_cannot_be_created_is_a_plugin_load_error() -> None:
    manager = CommandManager(MYAPP)
    manager.add_plugins(index_of(entry("start", f"{HERE}:CannotStart", "myapp-broken")), allow_all)
    found, _ = manager.find_entry(["start"])

    with pytest.raises(PluginLoadError) as caught:
        manager.create(found, FakeApp(manager), None)

    assert (
        caught.value.message
        == "plugin 'myapp-broken' command 'start' could not be created (RuntimeError: no resources)"
    )
    assert caught.value.distribution == "myapp-broken"


def test_prepare_command_hooks_primes_stevedore_with_the_command_s_namespace() -> None:
    hook_group = "myapp.commands.plugin_list"
    manager = CommandManager(MYAPP)
    manager.add_plugins(
        index_of(
            entry("plugin_list"),
            entry("audit", "audit:Hook", "myapp-audit", hook_group),
            entry("sneaky", "sneaky:Hook", "myapp-sneaky", hook_group),
        ),
        allow_only("myapp-good", "myapp-audit"),
    )

    manager.prepare_command_hooks("plugin list")

    hooks = stevedore.ExtensionManager.ENTRY_POINT_CACHE[hook_group]
    assert [(ep.name, ep.value, ep.group) for ep in hooks] == [("audit", "audit:Hook", hook_group)]


def test_prepare_command_hooks_without_an_index_primes_an_empty_list() -> None:
    manager = CommandManager(MYAPP)
    manager.standalone = False  # as in an App whose session is not open yet

    manager.prepare_command_hooks("hello")

    assert stevedore.ExtensionManager.ENTRY_POINT_CACHE["myapp.commands.hello"] == []


def test_find_command_returns_class_name_and_arguments_and_primes_hooks() -> None:
    manager = manager_with("greeting show")

    command_class, name, arguments = manager.find_command(["greeting", "show", "--all"])

    assert (command_class, name, arguments) == (Hello, "greeting show", ["--all"])
    assert stevedore.ExtensionManager.ENTRY_POINT_CACHE["myapp.commands.greeting_show"] == []


def test_add_command_registers_an_imported_class_as_builtin() -> None:
    manager = CommandManager(MYAPP)

    manager.add_command("say hello", Hello)

    found, _ = manager.find_entry(["say", "hello"])
    assert found.builtin
    assert found.value == f"{HERE}:Hello"
    assert found.load() is Hello
