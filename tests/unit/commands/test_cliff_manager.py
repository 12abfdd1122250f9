"""cliff's CommandManager contract on myapp's table: constructor, groups, add_command, the commands mapping."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from cliff.command import Command
from cliff.commandmanager import EntryPointWrapper

from myapp.commands.manager import CommandManager
from myapp.errors import ExitCode, UnknownCommand, UsageError
from myapp.identity import Identity
from myapp.index.names import entry_point_names, split_version, untypable_reason
from myapp.index.pluginindex import PluginIndex
from myapp.index.records import EntryPointInfo
from myapp.testing.distributions import Distribution, install_into
from tests.unit.commands.test_manager import Hello, allow_all, allow_only, entry, index_of

HERE = __name__


class Goodbye(Command):
    """Say goodbye."""

    def take_action(self, parsed_args: object) -> int:
        return 0


def in_namespace(namespace: str, name: str, distribution: str = "tool-plugin", value: str = "") -> EntryPointInfo:
    return entry(name, value or f"{HERE}:Goodbye", distribution, group=namespace)


def two_namespace_manager(**options: object) -> CommandManager:
    manager = CommandManager("mytool.compute", **options)  # type: ignore[arg-type]
    manager.load_commands("mytool.network")
    manager.add_plugins(
        index_of(
            in_namespace("mytool.compute", "server_list", "compute-plugin"),
            in_namespace("mytool.network", "network_list", "network-plugin"),
            in_namespace("mytool.other", "stray", "other-plugin"),
        ),
        allow_all,
    )
    return manager


# --- find_command raises ValueError ------------------------------------------------------------------


def test_an_unknown_command_is_a_value_error_and_a_usage_error_with_a_hint() -> None:
    manager = two_namespace_manager()

    with pytest.raises(ValueError, match="unknown command 'nosuch'") as caught:
        manager.find_command(["nosuch", "-b"])

    assert isinstance(caught.value, UnknownCommand)
    assert isinstance(caught.value, UsageError)
    assert caught.value.exit_code is ExitCode.USAGE
    assert caught.value.words == ("nosuch", "-b")
    assert caught.value.hint is not None and "'mytool help' lists all commands" in caught.value.hint


def test_a_command_of_a_disabled_plugin_is_a_value_error_naming_the_plugin() -> None:
    manager = two_namespace_manager()
    manager.add_plugins(
        index_of(in_namespace("mytool.network", "network_list", "network-plugin")), allow_only("compute-plugin")
    )

    with pytest.raises(ValueError, match="comes from plugin 'network-plugin'"):
        manager.find_command(["network", "list"])


# --- cliff's constructor and several namespaces --------------------------------------------------------


def test_cliff_s_constructor_derives_the_tool_from_the_namespace() -> None:
    manager = CommandManager("mytool.compute")

    assert manager.identity == Identity("mytool", command_namespaces=("mytool.compute",))
    assert manager.namespace == "mytool.compute"
    assert manager.get_command_groups() == ["mytool.compute"]
    assert manager.convert_underscores is True


def test_commands_of_every_namespace_are_found_and_listed_but_not_of_others() -> None:
    manager = two_namespace_manager()

    assert manager.get_command_groups() == ["mytool.compute", "mytool.network"]
    assert manager.identity.command_groups == ("mytool.compute", "mytool.network")
    assert manager.find_command(["server", "list", "-l"]) == (Goodbye, "server list", ["-l"])
    assert manager.find_command(["network", "list"])[1] == "network list"
    assert manager.get_command_names() == ["network list", "server list"]
    assert manager.get_command_names("mytool.network") == ["network list"]
    with pytest.raises(ValueError):
        manager.find_command(["stray"])


def test_add_command_group_adds_a_namespace_and_none_adds_nothing() -> None:
    manager = CommandManager("mytool.compute")

    manager.add_command_group(None)
    manager.add_command_group("mytool.volume")
    manager.add_command_group("mytool.volume")

    assert manager.get_command_groups() == ["mytool.compute", "mytool.volume"]


def test_command_hooks_are_read_from_the_first_namespace() -> None:
    assert two_namespace_manager().namespace == "mytool.compute"


def test_each_namespace_s_plugins_are_subject_to_the_selection() -> None:
    manager = two_namespace_manager()
    index = index_of(
        in_namespace("mytool.compute", "server_list", "compute-plugin"),
        in_namespace("mytool.network", "network_list", "network-plugin"),
    )
    manager.add_plugins(index, allow_only("network-plugin"))

    assert manager.get_command_names() == ["network list"]
    assert manager.get_command_names("mytool.compute") == []


def three_namespace_index() -> PluginIndex:
    return index_of(
        in_namespace("mytool.compute", "server_list", "compute-plugin"),
        in_namespace("mytool.compute", "twin", "compute-plugin"),
        in_namespace("mytool.network", "network_list", "network-plugin"),
        in_namespace("mytool.network", "thing.v1", "network-plugin"),
        in_namespace("mytool.network", "thing.v2", "network-plugin"),
        in_namespace("mytool.storage", "twin", "storage-plugin"),
        in_namespace("mytool.storage", "list files", "storage-plugin"),
    )


def test_listing_looks_each_name_up_only_in_the_namespaces_that_register_it() -> None:
    manager = CommandManager(
        Identity("mytool", command_namespaces=("mytool.compute", "mytool.network", "mytool.storage"))
    )
    index = three_namespace_index()
    manager.add_plugins(index, allow_all)
    groups = manager.identity.command_groups
    registered = {(group, split_version(name)[0]) for group in groups for name in index.names(group)}

    with mock.patch.object(index, "lookup", wraps=index.lookup) as lookup:
        names = manager.get_command_names()

    assert names == ["list files", "network list", "server list", "thing", "twin"]
    looked_up = {(group, split_version(name)[0]) for group, name in (call.args for call in lookup.call_args_list)}
    assert {(group, name) for group, name in looked_up if group in groups} <= registered


def test_after_listing_commands_of_several_namespaces_still_clash_version_and_run() -> None:
    manager = CommandManager(
        Identity("mytool", command_namespaces=("mytool.compute", "mytool.network", "mytool.storage"))
    )
    manager.add_plugins(three_namespace_index(), allow_all)
    manager.get_command_names()

    assert manager.find_command(["thing"])[1] == "thing"
    assert manager.get("thing").entry_point.name == "thing.v2"  # type: ignore[union-attr]
    assert [loser.distribution for loser in manager.clashes("twin")] == ["storage-plugin"]
    assert manager.find_command(["list", "files"]) == (Goodbye, "list files", [])
    manager.load_commands("mytool.volume")
    manager.add_plugins(index_of(in_namespace("mytool.volume", "volume_list")), allow_all)
    assert manager.get_command_names() == ["volume list"]


def test_a_namespace_outside_the_tool_s_prefix_is_indexed_too() -> None:
    identity = Identity("mytool", command_namespaces=("mytool.compute", "legacy.commands"))

    assert identity.namespace_prefixes == ("mytool.", "legacy.commands")
    assert identity.command_namespace == "mytool.compute"


def test_a_namespace_whose_first_part_is_no_tool_name_takes_the_program_s() -> None:
    assert Identity.from_namespace("9lives.cmds", program="cat-tool").name == "cat-tool"
    assert Identity.from_namespace(None, program="Tool_X").name == "tool-x"


def test_without_converting_underscores_names_stay_as_registered() -> None:
    manager = CommandManager("mytool.compute", convert_underscores=False)
    manager.add_plugins(index_of(in_namespace("mytool.compute", "server_list")), allow_all)

    assert manager.get_command_names() == ["server_list"]
    assert manager.find_command(["server_list"])[1] == "server_list"
    with pytest.raises(ValueError):
        manager.find_command(["server", "list"])


def test_ignored_modules_leave_their_commands_out() -> None:
    manager = CommandManager("mytool.compute", ignored_modules=[HERE])
    manager.add_plugins(
        index_of(
            in_namespace("mytool.compute", "hello", value="tests.unit.commands.test_manager:Hello"),
            in_namespace("mytool.compute", "goodbye"),
        ),
        allow_all,
    )

    assert manager.get_command_names() == ["hello"]


# --- names with spaces ----------------------------------------------------------------------------------


def test_a_name_with_a_literal_space_runs_lists_and_is_counted_in_words() -> None:
    manager = CommandManager("mytool.compute")
    manager.add_plugins(index_of(in_namespace("mytool.compute", "list files")), allow_all)

    assert manager.get_command_names() == ["list files"]
    assert manager.find_command(["list", "files", "x"]) == (Goodbye, "list files", ["x"])
    assert manager.longest_name >= 2


def test_both_spellings_of_a_command_are_its_entry_point_names() -> None:
    assert entry_point_names("list files") == ("list_files", "list files")
    assert entry_point_names("hello") == ("hello",)
    assert entry_point_names("list files", convert_underscores=False) == ("list files",)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("list  files", "empty word"),
        ("list__files", "empty word"),
        ("_list", "empty word"),
        ("list\tfiles", "white-space"),
        ("list files\n", "white-space"),
        ("list_-f", "starts with '-'"),
    ],
)
def test_names_no_command_line_can_type_are_reported(name: str, problem: str) -> None:
    assert problem in untypable_reason(name)


@pytest.mark.parametrize("name", ["list files", "list_files", "hello.v2", "übersicht"])
def test_names_a_shell_can_type_have_no_problem(name: str) -> None:
    assert untypable_reason(name) == ""


# --- add_command and the commands mapping ------------------------------------------------------------


def make_local_class() -> type[Command]:
    class Local(Command):
        """Defined in a function."""

        def take_action(self, parsed_args: object) -> None:
            return None

    return Local


@pytest.mark.parametrize(
    "given",
    [
        Hello,
        make_local_class(),
        type("Dynamic", (Command,), {"take_action": lambda self, parsed_args: None}),
        lambda app, app_args, cmd_name=None: Hello(app, app_args),
        mock.Mock(name="test double"),
    ],
    ids=["module-level", "local", "type()", "factory", "mock"],
)
def test_add_command_registers_the_object_it_is_given(given: object) -> None:
    manager = two_namespace_manager()

    manager.add_command("given", given)  # type: ignore[arg-type]

    found, name, arguments = manager.find_command(["given", "--x"])
    assert found is given
    assert (name, arguments) == ("given", ["--x"])
    assert "given" in manager.commands


def test_an_added_command_wins_over_a_plugin_s_and_is_listed_once() -> None:
    manager = two_namespace_manager()
    manager.add_command("server list", Hello)

    assert manager.find_command(["server", "list"])[0] is Hello
    assert manager.get_command_names().count("server list") == 1


def test_writing_to_commands_registers_entry_points_loaded_when_run() -> None:
    manager = two_namespace_manager()
    wrapper = EntryPointWrapper("bye", Goodbye)

    manager.commands["bye"] = wrapper

    assert manager.commands["bye"].load() is Goodbye
    assert manager.find_command(["bye"])[0] is Goodbye


def test_writing_a_class_or_a_factory_to_commands_registers_it_as_add_command_does() -> None:
    manager = two_namespace_manager()

    class Local(Goodbye):
        """A class defined in a function."""

    def factory(app: object, app_args: object) -> Goodbye:
        return Goodbye(app, app_args)  # type: ignore[arg-type]

    manager.commands["local"] = Local
    manager.commands["made"] = factory

    assert manager.find_command(["local"])[0] is Local
    assert manager.find_command(["made"])[0] is factory


def test_deleting_from_commands_removes_plugin_commands_too() -> None:
    manager = two_namespace_manager()

    del manager.commands["server list"]

    assert "server list" not in manager.commands
    assert list(manager.commands) == ["network list"]
    with pytest.raises(ValueError):
        manager.find_command(["server", "list"])
    with pytest.raises(KeyError):
        del manager.commands["server list"]


def test_assigning_commands_replaces_the_table() -> None:
    manager = two_namespace_manager()

    manager.commands = {"only": EntryPointWrapper("only", Hello)}  # type: ignore[assignment]

    assert dict(manager.commands).keys() == {"only"}
    assert len(manager.commands) == 1
    assert [name for name, _ in manager] == ["only"]


def test_re_adding_a_removed_command_brings_it_back() -> None:
    manager = two_namespace_manager()
    del manager.commands["server list"]

    manager.add_command("server list", Hello)

    assert manager.find_command(["server", "list"])[0] is Hello


# --- abbreviations (cliff's behaviour, off by default) ----------------------------------------------


def test_abbreviations_run_only_when_allowed_and_unique() -> None:
    manager = two_namespace_manager()
    manager.add_command("service list", Hello)
    with pytest.raises(ValueError):
        manager.find_command(["netw", "li"])

    manager.allow_abbreviations = True

    assert manager.find_command(["netw", "li", "x"]) == (Goodbye, "netw li", ["x"])
    with pytest.raises(ValueError):
        manager.find_command(["se", "li"])  # server list or service list


# --- a manager used on its own, without an App -------------------------------------------------------


def test_a_manager_made_on_its_own_lists_and_finds_the_installed_commands_as_cliff_s_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    plugin = Distribution(
        name="standalone-plugin",
        files={
            "standalone_plugin.py": (
                "from cliff.command import Command\n\n"
                "class Ls(Command):\n"
                "    def take_action(self, parsed_args):\n"
                "        pass\n"
            )
        },
        entry_points={
            "standalone.compute": {"server_list": "standalone_plugin:Ls"},
            "standalone.network": {"net list": "standalone_plugin:Ls"},
        },
    )
    install_into(plugin, site)
    monkeypatch.syspath_prepend(str(site))

    manager = CommandManager("standalone.compute")
    manager.load_commands("standalone.network")

    assert manager.get_command_names() == ["net list", "server list"]
    assert manager.get_command_names(group="standalone.network") == ["net list"]
    assert manager.find_command(["server", "list", "-l"])[1:] == ("server list", ["-l"])
    assert [name for name, _ in manager] == ["net list", "server list"]


def test_a_manager_an_app_runs_with_lists_only_what_the_app_gives_it() -> None:
    manager = CommandManager("standalone.compute")
    manager.standalone = False  # what the App does when it takes the manager

    assert manager.get_command_names() == []
