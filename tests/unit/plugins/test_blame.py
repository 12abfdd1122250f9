"""Blame from the traceback: which plugin's code raised, and where its authors take reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from myapp.index.records import DistributionInfo, EntryPointInfo
from myapp.plugins.blame import find_culprit, home_page, module_owners, owner_of_module, report_hint, report_url
from myapp.testing import Result, run
from tests.helpers.distributions import Distribution

Install = Callable[[Distribution], Path]

#: A plugin whose commands fail in every place a failure can come from.
CALLER = Distribution(
    name="myapp-caller",
    files={
        "blame_caller/__init__.py": """
            import json

            from cliff.command import Command
            from cliff.lister import Lister


            class Own(Command):
                \"\"\"Fail in this plugin's own code.\"\"\"

                def take_action(self, parsed_args):
                    raise LookupError("own bug")


            class Library(Command):
                \"\"\"Fail inside the standard library, called from here.\"\"\"

                def take_action(self, parsed_args):
                    json.loads("{")


            class Other(Command):
                \"\"\"Fail inside another plugin's code.\"\"\"

                def take_action(self, parsed_args):
                    from blame_helper.tools import explode

                    explode()


            class Shapeless(Lister):
                \"\"\"Return data cliff cannot format: cliff raises, no plugin frame is on the stack.\"\"\"

                def take_action(self, parsed_args):
                    return ("A", "B"), [(1,)]
        """,
    },
    entry_points={
        "myapp.commands": {
            "own": "blame_caller:Own",
            "library": "blame_caller:Library",
            "other": "blame_caller:Other",
            "shapeless": "blame_caller:Shapeless",
        }
    },
    metadata_extra=("Home-page: https://example.invalid/caller",),
)

#: A plugin whose helper module other plugins call; its tracker is a Project-URL.
HELPER = Distribution(
    name="myapp-helper",
    version="2.5",
    files={
        "blame_helper/__init__.py": "def noop(context):\n    pass\n",
        "blame_helper/tools.py": "def explode():\n    raise RuntimeError('helper bug')\n",
    },
    entry_points={"myapp.hooks.post_nothing": {"noop": "blame_helper:noop"}},
    metadata_extra=(
        "Home-page: https://example.invalid/helper",
        "Project-URL: Source, https://example.invalid/helper/src",
        "Project-URL: Bug Tracker, https://example.invalid/helper/issues",
    ),
)


#: A plugin whose hooks fail in their own code and inside myapp-helper's, before and after its command.
HOOKED = Distribution(
    name="myapp-hooked",
    files={
        "blame_hooked/__init__.py": """
            import sys

            from cliff.command import Command


            class Ran(Command):
                \"\"\"Say that the command ran.\"\"\"

                def take_action(self, parsed_args):
                    sys.stderr.write("command ran\\n")


            def own(context):
                raise LookupError("own hook bug")


            def borrows(context):
                from blame_helper.tools import explode

                explode()
        """,
    },
    entry_points={
        "myapp.commands": {"mine": "blame_hooked:Ran", "borrowing": "blame_hooked:Ran", "after": "blame_hooked:Ran"},
        "myapp.hooks.pre_mine": {"own": "blame_hooked:own"},
        "myapp.hooks.pre_borrowing": {"borrows": "blame_hooked:borrows"},
        "myapp.hooks.post_after": {"borrows": "blame_hooked:borrows"},
    },
    metadata_extra=("Project-URL: Homepage, https://example.invalid/hooked",),
)


@pytest.fixture
def blamed(install: Install, site_dir: Path, cache_dir: Path) -> Callable[..., Result]:
    install(CALLER)
    install(HELPER)
    install(HOOKED)
    return lambda *argv: run(list(argv), path=[str(site_dir)])


def hint(url_part: str, plugin: str) -> str:
    return (
        f"hint: report it {url_part} with the output of 'myapp bug-report', "
        f"or skip the plugin with '--disable-plugin {plugin}'; --debug shows the traceback"
    )


def test_failure_in_the_commands_own_code_blames_its_plugin_and_home_page(blamed: Callable[..., Result]) -> None:
    result = blamed("own")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "myapp: error: command 'own' failed in plugin 'myapp-caller 1.0' (LookupError: own bug)",
        hint("at https://example.invalid/caller", "myapp-caller"),
    ]


def test_failure_inside_another_plugin_blames_that_plugin_and_its_tracker(blamed: Callable[..., Result]) -> None:
    result = blamed("other")
    assert result.stderr.splitlines() == [
        "myapp: error: command 'other' failed in plugin 'myapp-helper 2.5' (RuntimeError: helper bug)",
        hint("at https://example.invalid/helper/issues", "myapp-helper"),
    ]


def test_failure_inside_a_library_blames_the_plugin_that_called_it(blamed: Callable[..., Result]) -> None:
    result = blamed("library")
    expected = "myapp: error: command 'library' failed in plugin 'myapp-caller 1.0' (JSONDecodeError"
    assert result.stderr.startswith(expected)


def test_failure_with_no_plugin_frame_falls_back_to_the_commands_plugin(blamed: Callable[..., Result]) -> None:
    result = blamed("shapeless")
    assert result.exit_code == 1
    assert result.stderr.startswith("myapp: error: command 'shapeless' failed in plugin 'myapp-caller 1.0' (")


def test_debug_adds_the_traceback_of_the_blamed_code(blamed: Callable[..., Result]) -> None:
    result = blamed("--debug", "other")
    assert "Traceback (most recent call last)" in result.stderr
    assert "raise RuntimeError('helper bug')" in result.stderr


def test_without_any_url_the_hint_names_the_authors(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(Distribution(name="myapp-anonymous", files=CALLER.files, entry_points=CALLER.entry_points))
    result = run(["own"], path=[str(site_dir)])
    assert result.stderr.splitlines()[1] == hint("to the plugin's authors", "myapp-anonymous")


HOOK_IN_HELPER = (
    "failed in plugin 'myapp-helper 2.5' (RuntimeError: helper bug)",
    "hint: report it at https://example.invalid/helper/issues with the output of 'myapp bug-report', "
    "or skip the plugin with '--disable-plugin myapp-hooked'; --debug shows the traceback",
)


def test_hook_failing_in_its_own_code_blames_its_plugin_and_home_page(blamed: Callable[..., Result]) -> None:
    result = blamed("mine")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [
        "myapp: error: hook 'myapp-hooked:own' of plugin 'myapp-hooked 1.0' failed (LookupError: own hook bug)",
        hint("at https://example.invalid/hooked", "myapp-hooked"),
    ]


def test_hook_failing_inside_another_plugin_blames_it_and_skips_the_hooks_plugin(
    blamed: Callable[..., Result],
) -> None:
    result = blamed("borrowing")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.splitlines() == [
        f"myapp: error: hook 'myapp-hooked:borrows' of plugin 'myapp-hooked 1.0' {HOOK_IN_HELPER[0]}",
        HOOK_IN_HELPER[1],
    ]


def test_post_hook_failure_gets_the_same_blame_and_hint_and_the_status_stands(blamed: Callable[..., Result]) -> None:
    result = blamed("after")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "command ran",
        f"myapp: error: hook 'myapp-hooked:borrows' of plugin 'myapp-hooked 1.0' {HOOK_IN_HELPER[0]}",
        HOOK_IN_HELPER[1],
    ]


def test_debug_adds_the_traceback_of_a_post_hook_failure(blamed: Callable[..., Result]) -> None:
    result = blamed("--debug", "after")
    assert result.exit_code == 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "raise RuntimeError('helper bug')" in result.stderr


class FakeIndex:
    """Just enough of a PluginIndex: entry points and distributions."""

    def __init__(self, *entry_points: EntryPointInfo) -> None:
        self._entry_points = entry_points

    def groups(self) -> list[str]:
        return sorted({ep.group for ep in self._entry_points})

    def entry_points(self, group: str) -> list[EntryPointInfo]:
        return [ep for ep in self._entry_points if ep.group == group]

    def distribution(self, name: str) -> DistributionInfo:
        return DistributionInfo(name, "1", "", "")


def raised_in(module_name: str) -> BaseException:
    """An exception whose innermost frame runs in a module called *module_name*."""
    namespace: dict[str, object] = {"__name__": module_name}
    exec("def fail():\n    raise ValueError('x')\n", namespace)
    try:
        namespace["fail"]()  # type: ignore[operator]
    except ValueError as error:
        return error
    raise AssertionError("did not raise")


def test_the_longest_matching_package_decides() -> None:
    index = FakeIndex(
        EntryPointInfo("a", "shared.alpha:A", "myapp.commands", "dist-alpha"),
        EntryPointInfo("b", "shared.beta.cmds:B", "myapp.commands", "dist-beta"),
    )
    culprit = find_culprit(raised_in("shared.beta.helpers"), index)  # type: ignore[arg-type]
    assert culprit is not None and culprit.name == "dist-beta"


def test_a_package_shared_by_two_plugins_blames_neither() -> None:
    index = FakeIndex(
        EntryPointInfo("a", "shared.alpha:A", "myapp.commands", "dist-alpha"),
        EntryPointInfo("b", "shared.beta:B", "myapp.commands", "dist-beta"),
    )
    assert find_culprit(raised_in("shared.gamma"), index) is None  # type: ignore[arg-type]


def test_excluded_distributions_are_never_blamed() -> None:
    index = FakeIndex(EntryPointInfo("table", "cliff.formatters.table:T", "cliff.formatter.list", "cliff"))
    assert find_culprit(raised_in("cliff.formatters.table"), index, exclude={"cliff"}) is None  # type: ignore[arg-type]
    assert find_culprit(raised_in("cliff.formatters.table"), index) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("extra", "url"),
    [
        (("Home-page: https://h", "Project-URL: Issues, https://i"), "https://i"),
        (("Project-URL: bug-reports, https://b", "Project-URL: Homepage, https://h"), "https://b"),
        (("Home-page: https://h", "Project-URL: Source, https://s"), "https://h"),
        (("Project-URL: Repository, https://r",), "https://r"),
        (("Project-URL: Documentation, https://d",), ""),
        ((), ""),
    ],
)
def test_report_url_prefers_the_bug_tracker_then_the_home_page(
    install: Install, extra: tuple[str, ...], url: str
) -> None:
    dist_info = install(Distribution(name="myapp-urls", files={}, entry_points={}, metadata_extra=extra))
    assert report_url(DistributionInfo("myapp-urls", "1.0", "", str(dist_info))) == url


def test_drop_in_plugins_have_no_report_url(tmp_path: Path) -> None:
    info_file = tmp_path / "site-tools.plugin.toml"
    info_file.write_text('name = "site-tools"\n')
    assert report_url(DistributionInfo("site-tools", "1", "", str(info_file))) == ""


@pytest.mark.parametrize(
    ("extra", "url"),
    [
        (("Home-page: https://h", "Project-URL: Homepage, https://p"), "https://h"),
        (("Project-URL: Bug Tracker, https://b", "Project-URL: Source Code, https://s"), "https://s"),
        (("Project-URL: Bug Tracker, https://b",), ""),
    ],
)
def test_home_page_is_never_the_bug_tracker(install: Install, extra: tuple[str, ...], url: str) -> None:
    import importlib.metadata

    dist_info = install(Distribution(name="myapp-home", files={}, entry_points={}, metadata_extra=extra))
    assert home_page(importlib.metadata.Distribution.at(dist_info).metadata) == url


def test_module_owners_map_modules_and_their_packages_to_normalized_names() -> None:
    index = FakeIndex(
        EntryPointInfo("a", "pkg.sub.cmds:A", "myapp.commands", "My_Plugin"),
        EntryPointInfo("t", "myapp.builtin.x:T", "myapp.commands", "myapp"),
    )
    owners = module_owners(index, exclude={"myapp"})  # type: ignore[arg-type]
    assert owners == {"pkg.sub.cmds": "my-plugin", "pkg.sub": "my-plugin", "pkg": "my-plugin"}
    assert owner_of_module(owners, "pkg.sub.other.deep") == "my-plugin"
    assert owner_of_module(owners, "myapp.builtin.x") == ""


def test_report_hint_may_skip_another_plugin_than_the_culprit(tmp_path: Path) -> None:
    culprit = DistributionInfo("Helper_Dist", "1", "", str(tmp_path / "helper.plugin.toml"))
    assert report_hint(culprit, "tool").endswith("'--disable-plugin helper-dist'; --debug shows the traceback")
    assert "'--disable-plugin hook-owner'" in report_hint(culprit, "tool", skip="Hook_Owner")
