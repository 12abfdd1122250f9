"""The plugin-author toolkit: in-process runs with in-memory plugins, and throw-away distributions."""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
from cliff.command import Command
from cliff.lister import Lister

import myapp.testing
from myapp import HookAbort
from myapp.hooks.context import HookContext, hook
from myapp.identity import MYAPP, Identity
from myapp.testing import Distribution, FakePlugin, build_wheel, environment, install_into, run
from tests.unit.test_public_api import isort_style


class Hello(Command):
    """Say hello."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", nargs="?", default="world")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        self.app.stdout.write(f"Hello, {parsed_args.name}!\n")


class Shapes(Lister):
    """List shapes."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, int]]]:
        return ("Shape", "Sides"), [("triangle", 3), ("square", 4)]


class Crash(Command):
    """Fail unexpectedly."""

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        raise ValueError("the widget is missing")


def refuse_nobody(context: HookContext) -> None:
    if context.parsed_args.name == "nobody":
        raise HookAbort("nobody cannot be greeted", hint="name someone")


def greeter(**changes: object) -> FakePlugin:
    return FakePlugin(name="greeter", commands={"hello": Hello, "shape list": Shapes}, **changes)  # type: ignore[arg-type]


def test_an_in_memory_command_runs_without_installing_anything() -> None:
    result = run(["hello", "Ada"], plugins=[greeter()])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, Ada!\n", "")


def test_a_command_of_several_words_gets_the_output_formatters() -> None:
    result = run(["shape", "list", "-f", "csv"], plugins=[greeter()])
    assert (result.exit_code, result.stdout, result.stderr) == (0, '"Shape","Sides"\n"triangle",3\n"square",4\n', "")


def test_in_memory_plugins_replace_the_installed_ones() -> None:
    result = run(["hello"], plugins=[])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("myapp: error: unknown command 'hello'\n")


def test_help_names_the_in_memory_plugin_as_the_provider() -> None:
    result = run(["--help"], plugins=[greeter()])
    assert result.exit_code == 0
    assert re.search(r"^  hello +Say hello \(greeter\)$", result.stdout, re.MULTILINE)


def test_a_pre_hook_stops_the_command_with_exit_4() -> None:
    result = run(["hello", "nobody"], plugins=[greeter(hooks={"pre_hello": [refuse_nobody]})])
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr.splitlines() == [
        "myapp: error: hook 'greeter:refuse_nobody' stopped the command: nobody cannot be greeted",
        "hint: name someone",
    ]


def test_hooks_of_several_plugins_run_in_their_declared_order(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def record(text: str):
        def note(context: HookContext) -> None:
            with log.open("a") as stream:
                stream.write(f"{text} {context.event}\n")

        return note

    late = hook(priority=-10)(record("late"))
    first = FakePlugin(name="first", hooks={"post_command": [late]})
    second = FakePlugin(name="second", hooks={"post_command": [record("early")], "pre_command": [record("pre")]})
    assert run(["hello"], plugins=[first, second, greeter()]).exit_code == 0
    assert log.read_text().splitlines() == ["pre pre_command", "early post_command", "late post_command"]


def test_hooks_of_one_event_with_the_same_name_all_run(tmp_path: Path) -> None:
    calls = []
    one, two = (lambda context: calls.append(1)), (lambda context: calls.append(2))
    assert run(["hello"], plugins=[greeter(hooks={"pre_command": [one, two]})]).exit_code == 0
    assert sorted(calls) == [1, 2]


def test_hooks_whose_numbered_names_collide_still_get_distinct_names() -> None:
    def check(context: HookContext) -> None:
        pass

    def check_2(context: HookContext) -> None:
        pass

    other_check = lambda context: None  # noqa: E731 - a second function called "check"
    other_check.__name__ = "check"
    plugin = greeter(hooks={"pre_hello": [check, other_check, check_2]})
    registered = plugin.registrations(MYAPP)
    hooks = {
        name: function for namespace, name, function in registered if namespace == MYAPP.hook_namespace("pre_hello")
    }
    assert hooks == {"check": check, "check_3": other_check, "check_2": check_2}
    result = run(["hooks", "list", "-f", "value", "-c", "Hook"], plugins=[plugin])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["greeter:check", "greeter:check_2", "greeter:check_3"]


def test_a_failing_hook_is_blamed_on_its_plugin_with_exit_3() -> None:
    def explode(context: HookContext) -> None:
        raise RuntimeError("kaput")

    result = run(["hello"], plugins=[greeter(), FakePlugin(name="buggy", hooks={"pre_command": [explode]})])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        "myapp: error: hook 'buggy:explode' of plugin 'buggy 1.0' failed (RuntimeError: kaput)\n"
    )


def test_a_failing_command_is_one_error_line_blaming_its_plugin() -> None:
    result = run(["crash"], plugins=[FakePlugin(name="fragile", commands={"crash": Crash})])
    assert (result.exit_code, result.stdout) == (1, "")
    first, hint = result.stderr.splitlines()
    assert first == "myapp: error: command 'crash' failed in plugin 'fragile 1.0' (ValueError: the widget is missing)"
    assert hint.startswith("hint: ")


def test_an_object_that_is_not_a_command_is_refused_like_an_installed_one() -> None:
    result = run(["odd"], plugins=[FakePlugin(name="odd-one", commands={"odd": object})])
    assert (result.exit_code, result.stdout) == (3, "")
    assert "expected a subclass of cliff.command.Command, found class 'object'" in result.stderr


def test_a_disabled_in_memory_plugin_does_not_run() -> None:
    result = run(["--disable-plugin", "greeter", "hello"], plugins=[greeter()])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("myapp: error: command 'hello' comes from plugin 'greeter', which is disabled")


def test_a_clash_between_in_memory_plugins_is_settled_by_name_with_a_warning() -> None:
    class Other(Hello):
        def take_action(self, parsed_args: argparse.Namespace) -> None:
            self.app.stdout.write("other\n")

    plugins = [FakePlugin(name="zeta", commands={"hello": Other}), FakePlugin(name="alpha", commands={"hello": Hello})]
    result = run(["hello"], plugins=plugins)
    assert (result.exit_code, result.stdout) == (0, "Hello, world!\n")
    assert "command 'hello' is also provided by 'zeta'; using the one from 'alpha'" in result.stderr


def test_string_entry_points_are_used_as_they_are() -> None:
    result = run(["greet", "Ada"], plugins=[greeter(entry_points={"deprecated": {"greet": "hello"}})])
    assert (result.exit_code, result.stdout) == (0, "Hello, Ada!\n")
    assert result.stderr == "myapp: warning: 'greet' was renamed 'hello'; run 'myapp hello' instead\n"


def test_a_second_tool_reads_in_memory_plugins_in_its_own_namespaces() -> None:
    acme = Identity("acme")
    result = run(["hello", "Ada"], identity=acme, plugins=[greeter()])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, Ada!\n", "")
    shown = run(["plugin", "show", "greeter", "-f", "value", "-c", "Entry points"], identity=acme, plugins=[greeter()])
    assert shown.stdout.startswith("acme.commands: hello = ")


def test_two_in_memory_plugins_of_the_same_name_are_refused() -> None:
    with pytest.raises(ValueError, match="two in-memory plugins are called 'Greeter'"):
        run(["hello"], plugins=[greeter(), FakePlugin(name="Greeter")])


def test_in_memory_modules_are_gone_after_the_run() -> None:
    before = set(sys.modules)
    run(["hello"], plugins=[greeter()])
    assert set(sys.modules) - before == set()


def test_in_memory_runs_leave_the_user_cache_alone(isolated_home: Path) -> None:
    assert run(["--help"], plugins=[greeter()]).exit_code == 0
    assert not (isolated_home / ".cache" / "myapp").exists()


def test_an_in_memory_run_uses_the_cache_folder_it_is_given(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(["--help"], plugins=[greeter()], env={"MYAPP_CACHE_DIR": str(cache)}).exit_code == 0
    assert (cache / "descriptions.json").is_file()


def test_environment_restores_changed_and_removes_added_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_KEPT", "before")
    monkeypatch.delenv("TOOLKIT_ADDED", raising=False)
    with environment({"TOOLKIT_KEPT": "during", "TOOLKIT_ADDED": "during"}):
        assert (os.environ["TOOLKIT_KEPT"], os.environ["TOOLKIT_ADDED"]) == ("during", "during")
    assert os.environ["TOOLKIT_KEPT"] == "before"
    assert "TOOLKIT_ADDED" not in os.environ


WIDGET = Distribution(
    name="toolkit-widget",
    version="2.0",
    files={"toolkit_widget/__init__.py": "VALUE = 1\n"},
    entry_points={"myapp.commands": {"widget": "toolkit_widget:Widget"}},
    requires=("myapp>=0.1",),
)


def test_a_built_wheel_records_every_file_with_its_hash(tmp_path: Path) -> None:
    wheel = build_wheel(WIDGET, tmp_path)
    assert wheel.name == "toolkit_widget-2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        record = archive.read("toolkit_widget-2.0.dist-info/RECORD").decode().splitlines()
        for line in record[:-1]:
            path, digest, size = line.split(",")
            content = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={expected}", len(content))
        assert sorted(line.split(",")[0] for line in record) == sorted(archive.namelist())
        assert "Requires-Dist: myapp>=0.1" in archive.read("toolkit_widget-2.0.dist-info/METADATA").decode()


def test_an_installed_folder_is_read_by_importlib_metadata(tmp_path: Path) -> None:
    from importlib.metadata import Distribution as Installed

    dist_info = install_into(WIDGET, tmp_path)
    installed = Installed.at(dist_info)
    assert (installed.metadata["Name"], installed.version) == ("toolkit-widget", "2.0")
    assert [(ep.group, ep.name, ep.value) for ep in installed.entry_points] == [
        ("myapp.commands", "widget", "toolkit_widget:Widget")
    ]


def test_all_names_exist_and_are_sorted() -> None:
    assert myapp.testing.__all__ == sorted(myapp.testing.__all__, key=isort_style)
    assert [name for name in myapp.testing.__all__ if not hasattr(myapp.testing, name)] == []
