"""Which plugins may run (``Selection``, ``Verdict``, ``State``) and what each installed plugin provides."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from myapp.config.layers import Config, load_config
from myapp.identity import MYAPP, Identity
from myapp.index.pluginindex import PluginIndex
from myapp.index.records import EntryPointInfo
from myapp.plugins.state import Plugin, Selection, State, Verdict, find_plugin, find_plugins

#: What the app always trusts: its own distribution, and cliff for its output formatters.
TRUSTED = ("myapp", "cliff")


def config_of(
    tmp_path: Path,
    file: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, tuple[Any, str]] | None = None,
) -> Config:
    """The configuration of an explicit file (dedented), the environment and command-line options."""
    config_file = None
    if file is not None:
        config_file = tmp_path / "team.toml"
        config_file.write_text(textwrap.dedent(file), encoding="utf-8")
    return load_config(
        MYAPP,
        config_file=None if config_file is None else str(config_file),
        command_line=options,
        environ=environ or {},
    )


def selection_of(tmp_path: Path, file: str | None = None, **layers: Any) -> Selection:
    return Selection(config_of(tmp_path, file, **layers), TRUSTED)


def verdicts(selection: Selection, *names: str) -> dict[str, tuple[State, str]]:
    return {name: (selection.verdict(name).state, selection.verdict(name).reason) for name in names}


def ep(name: str, distribution: str, group: str = MYAPP.command_namespace) -> EntryPointInfo:
    return EntryPointInfo(name, f"module_{name}:target", group, distribution, "1.0")


def index_of(*entry_points: EntryPointInfo, incompatible: dict[str, str] | None = None) -> PluginIndex:
    """An in-memory index: one distribution per distinct name, in the order they first appear.

    :param incompatible: normalized name -> why it cannot run with this tool.
    """
    distributions = dict.fromkeys(e.distribution for e in entry_points)
    rows = tuple((name, "1.0", f"about {name}", f"/site/{name}.dist-info", ()) for name in distributions)
    groups: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    for e in entry_points:
        groups.setdefault(e.group, {}).setdefault(e.name, []).append((e.value, e.distribution, e.version))
    return PluginIndex((), rows, groups, incompatible=incompatible)


# --- Verdict and State ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "runs"),
    [
        (State.ENABLED, True),
        (State.BROKEN, True),
        (State.DISABLED_BY_CONFIG, False),
        (State.DISABLED_BY_PROFILE, False),
        (State.INCOMPATIBLE, False),
    ],
)
def test_only_enabled_and_broken_plugins_may_run(state: State, runs: bool) -> None:
    assert Verdict(state, "why").runs is runs


def test_state_values_are_what_plugin_list_prints() -> None:
    assert [state.value for state in State] == [
        "enabled",
        "disabled by config",
        "disabled by profile",
        "incompatible",
        "broken",
        "refused",
    ]
    assert Verdict(State.ENABLED).reason == ""


# --- the default: everything runs ----------------------------------------------------------------


def test_without_settings_every_plugin_is_enabled(tmp_path: Path) -> None:
    selection = selection_of(tmp_path)

    assert verdicts(selection, "myapp-good", "myapp") == {
        "myapp-good": (State.ENABLED, ""),
        "myapp": (State.ENABLED, ""),
    }
    assert selection.is_allowed(ep("shout", "myapp-good"))


# --- --no-plugins --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layers", "origin"),
    [
        ({"options": {"no_plugins": (True, "--no-plugins")}}, "--no-plugins"),
        ({"environ": {"MYAPP_NO_PLUGINS": "1"}}, "MYAPP_NO_PLUGINS"),
    ],
)
def test_no_plugins_disables_every_plugin_naming_where_it_was_set(
    tmp_path: Path, layers: dict[str, Any], origin: str
) -> None:
    selection = selection_of(tmp_path, **layers)

    verdict = selection.verdict("myapp-good")

    assert verdict == Verdict(State.DISABLED_BY_CONFIG, f"all plugins are off ({origin})")
    assert not verdict.runs
    assert not selection.is_allowed(ep("shout", "myapp-good"))


def test_no_plugins_from_a_file_names_the_file_and_line(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, "debug = false\nno_plugins = true\n")

    assert selection.verdict("myapp-good").reason == f"all plugins are off ({tmp_path / 'team.toml'}:2)"


def test_no_plugins_wins_over_an_allow_list_that_names_the_plugin(tmp_path: Path) -> None:
    selection = selection_of(
        tmp_path, 'only_plugins = ["myapp-good"]\n', options={"no_plugins": (True, "--no-plugins")}
    )

    assert selection.verdict("myapp-good").state == State.DISABLED_BY_CONFIG


# --- disable_plugins -----------------------------------------------------------------------------


def test_disabled_plugins_from_every_layer_add_up_each_with_its_own_origin(tmp_path: Path) -> None:
    selection = selection_of(
        tmp_path,
        'disable_plugins = ["from-file"]\n',
        environ={"MYAPP_DISABLE_PLUGINS": "from-env"},
        options={"disable_plugins": (("from-option",), "--disable-plugin")},
    )
    file = tmp_path / "team.toml"

    assert verdicts(selection, "from-file", "from-env", "from-option", "myapp-good") == {
        "from-file": (State.DISABLED_BY_CONFIG, f"listed in disable_plugins ({file}:1)"),
        "from-env": (State.DISABLED_BY_CONFIG, "listed in disable_plugins (MYAPP_DISABLE_PLUGINS)"),
        "from-option": (State.DISABLED_BY_CONFIG, "listed in disable_plugins (--disable-plugin)"),
        "myapp-good": (State.ENABLED, ""),
    }


def test_disabled_names_are_compared_normalized(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "MyApp_Good"})

    assert not selection.verdict("myapp-good").runs
    assert not selection.verdict("MYAPP.GOOD").runs
    assert not selection.is_allowed(ep("shout", "myapp_good"))
    assert selection.is_allowed(ep("lazy", "myapp-lazy"))


def test_a_plugin_disabled_by_the_selected_profile_is_disabled_by_profile(tmp_path: Path) -> None:
    selection = selection_of(
        tmp_path,
        """\
        disable_plugins = ["from-file"]

        [profiles.ci]
        disable_plugins = ["from-profile"]
        """,
        environ={"MYAPP_PROFILE": "ci"},
    )
    file = tmp_path / "team.toml"

    assert verdicts(selection, "from-profile", "from-file") == {
        "from-profile": (State.DISABLED_BY_PROFILE, f"listed in disable_plugins (profile 'ci' ({file}:4))"),
        "from-file": (State.DISABLED_BY_CONFIG, f"listed in disable_plugins ({file}:1)"),
    }


def test_a_profile_that_is_not_selected_disables_nothing(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, '[profiles.ci]\ndisable_plugins = ["myapp-good"]\n')

    assert selection.verdict("myapp-good").state == State.ENABLED


# --- only_plugins --------------------------------------------------------------------------------


def test_allow_list_enables_only_the_plugins_it_names(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, 'only_plugins = ["MyApp_Good"]\n')

    assert verdicts(selection, "myapp-good", "myapp-lazy") == {
        "myapp-good": (State.ENABLED, ""),
        "myapp-lazy": (State.DISABLED_BY_CONFIG, f"not in only_plugins ({tmp_path / 'team.toml'}:1)"),
    }


def test_allow_list_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, environ={"MYAPP_ONLY_PLUGINS": "myapp-good"})

    assert selection.verdict("myapp-lazy").reason == "not in only_plugins (MYAPP_ONLY_PLUGINS)"


def test_an_empty_allow_list_enables_no_plugin(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, "only_plugins = []\n")

    assert selection.verdict("myapp-good").state == State.DISABLED_BY_CONFIG
    assert selection.verdict("myapp").state == State.ENABLED


def test_allow_list_of_the_selected_profile_disables_the_rest_by_profile(tmp_path: Path) -> None:
    selection = selection_of(
        tmp_path, '[profiles.ci]\nonly_plugins = ["myapp-good"]\n', options={"profile": ("ci", "--profile")}
    )

    assert verdicts(selection, "myapp-good", "myapp-lazy") == {
        "myapp-good": (State.ENABLED, ""),
        "myapp-lazy": (State.DISABLED_BY_PROFILE, f"not in only_plugins (profile 'ci' ({tmp_path / 'team.toml'}:2))"),
    }


def test_disable_plugins_wins_over_the_allow_list(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, 'only_plugins = ["myapp-good"]\ndisable_plugins = ["myapp-good"]\n')

    assert selection.verdict("myapp-good") == Verdict(
        State.DISABLED_BY_CONFIG, f"listed in disable_plugins ({tmp_path / 'team.toml'}:2)"
    )


# --- trusted distributions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "file",
    [
        "no_plugins = true\n",
        'disable_plugins = ["myapp", "Cliff"]\n',
        'only_plugins = ["myapp-good"]\n',
    ],
)
def test_trusted_distributions_are_always_enabled(tmp_path: Path, file: str) -> None:
    selection = selection_of(tmp_path, file)

    assert verdicts(selection, "MyApp", "cliff") == {"MyApp": (State.ENABLED, ""), "cliff": (State.ENABLED, "")}
    assert selection.is_allowed(ep("table", "cliff", "cliff.formatter.list"))
    assert selection.trusted == frozenset(TRUSTED)


def test_the_trusted_set_is_the_callers(tmp_path: Path) -> None:
    selection = Selection(config_of(tmp_path, "no_plugins = true\n"), {"acme"})

    assert selection.verdict("acme").state == State.ENABLED
    assert selection.verdict("myapp").state == State.DISABLED_BY_CONFIG


# --- blocked_reason and caching ------------------------------------------------------------------


def test_blocked_reason_is_the_state_and_the_reason(tmp_path: Path) -> None:
    selection = selection_of(
        tmp_path,
        '[profiles.ci]\ndisable_plugins = ["myapp-lazy"]\n',
        options={"disable_plugins": (("myapp-good",), "--disable-plugin"), "profile": ("ci", "--profile")},
    )

    assert selection.blocked_reason("MyApp_Good") == "disabled by config: listed in disable_plugins (--disable-plugin)"
    assert selection.blocked_reason("myapp-lazy") == (
        f"disabled by profile: listed in disable_plugins (profile 'ci' ({tmp_path / 'team.toml'}:2))"
    )


def test_each_distribution_is_decided_once_whatever_its_spelling(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "myapp-good"})

    assert selection.verdict("MyApp_Good") is selection.verdict("myapp-good")


# --- names that are not installed ----------------------------------------------------------------

INSTALLED = index_of(ep("shout", "myapp-good"), ep("lazy", "myapp-lazy"), ep("table", "cliff", "cliff.formatter.list"))


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "myapp.plugins.state" and r.levelno == logging.WARNING]


def test_each_configured_name_that_is_not_installed_is_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection = selection_of(
        tmp_path,
        """\
        disable_plugins = ["nothing-like-it", "MyApp_Good"]
        only_plugins = ["zzz", "Nothing_Like_It", "myapp-lazy"]
        """,
    )

    selection.warn_about_unknown_names(INSTALLED)

    assert warnings(caplog) == [
        "no installed plugin is called 'nothing-like-it'",
        "no installed plugin is called 'zzz'",
    ]


def test_a_misspelled_name_gets_a_did_you_mean(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    selection = selection_of(
        tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "myapp-goood", "MYAPP_ONLY_PLUGINS": "myapp-lazzy"}
    )

    selection.warn_about_unknown_names(INSTALLED)

    assert warnings(caplog) == [
        "no installed plugin is called 'myapp-goood'; did you mean 'myapp-good'?",
        "no installed plugin is called 'myapp-lazzy'; did you mean 'myapp-lazy'?",
    ]


def test_installed_names_and_an_empty_configuration_warn_about_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection_of(tmp_path).warn_about_unknown_names(INSTALLED)
    selection_of(
        tmp_path, 'disable_plugins = ["MYAPP_GOOD"]\nonly_plugins = ["myapp-lazy"]\n'
    ).warn_about_unknown_names(INSTALLED)

    assert warnings(caplog) == []


# --- plugins made for another release -------------------------------------------------------------

NEEDS_OLDER = "needs myapp<0.1, running 0.1.0"
SKIPPED = f"{NEEDS_OLDER}; --ignore-compat myapp-old loads it anyway"
#: An index where myapp-old was judged incompatible and myapp-good was not.
JUDGED = index_of(
    ep("old", "MyApp_Old"),
    ep("good", "myapp-good"),
    ep("table", "cliff", "cliff.formatter.list"),
    incompatible={"myapp-old": NEEDS_OLDER, "cliff": "needs cliff<1", "myapp": "needs itself"},
)


def judged_selection(tmp_path: Path, file: str | None = None, **layers: Any) -> Selection:
    return Selection(config_of(tmp_path, file, **layers), TRUSTED, JUDGED)


def test_an_incompatible_plugin_may_not_run_and_says_how_to_load_it_anyway(tmp_path: Path) -> None:
    selection = judged_selection(tmp_path)

    assert verdicts(selection, "myapp-old", "MyApp_Old", "myapp-good") == {
        "myapp-old": (State.INCOMPATIBLE, SKIPPED),
        "MyApp_Old": (State.INCOMPATIBLE, SKIPPED),
        "myapp-good": (State.ENABLED, ""),
    }
    assert not selection.verdict("myapp-old").runs
    assert not selection.is_allowed(ep("old", "MyApp_Old"))
    assert selection.is_allowed(ep("good", "myapp-good"))


def test_without_an_index_nothing_is_incompatible(tmp_path: Path) -> None:
    selection = Selection(config_of(tmp_path), TRUSTED)

    assert selection.index is None
    assert selection.verdict("myapp-old") == Verdict(State.ENABLED)


def test_trusted_distributions_run_whatever_the_index_says(tmp_path: Path) -> None:
    selection = judged_selection(tmp_path)

    assert verdicts(selection, "cliff", "myapp") == {"cliff": (State.ENABLED, ""), "myapp": (State.ENABLED, "")}


@pytest.mark.parametrize(
    ("layers", "origin"),
    [
        ({"options": {"ignore_compat": (("MyApp_Old",), "--ignore-compat")}}, "--ignore-compat"),
        ({"environ": {"MYAPP_IGNORE_COMPAT": "myapp.old"}}, "MYAPP_IGNORE_COMPAT"),
    ],
)
def test_ignore_compat_loads_an_incompatible_plugin_with_a_warning(
    tmp_path: Path, layers: dict[str, Any], origin: str, caplog: pytest.LogCaptureFixture
) -> None:
    selection = judged_selection(tmp_path, **layers)

    assert selection.verdict("myapp-old") == Verdict(State.ENABLED)
    assert selection.is_allowed(ep("old", "MyApp_Old"))
    assert selection.verdict("MYAPP_OLD") is selection.verdict("myapp-old")
    assert warnings(caplog) == [f"loading plugin 'myapp-old' although it {NEEDS_OLDER} ({origin})"]


def test_ignore_compat_from_a_file_names_the_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    selection = judged_selection(tmp_path, 'ignore_compat = ["myapp-old"]\n')

    assert selection.verdict("myapp-old").state == State.ENABLED
    assert warnings(caplog) == [f"loading plugin 'myapp-old' although it {NEEDS_OLDER} ({tmp_path / 'team.toml'}:1)"]


def test_ignore_compat_of_a_compatible_plugin_changes_nothing_and_warns_about_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection = judged_selection(tmp_path, environ={"MYAPP_IGNORE_COMPAT": "myapp-good"})

    assert verdicts(selection, "myapp-good", "myapp-old") == {
        "myapp-good": (State.ENABLED, ""),
        "myapp-old": (State.INCOMPATIBLE, SKIPPED),
    }
    assert warnings(caplog) == []


@pytest.mark.parametrize(
    ("layers", "state"),
    [
        ({"environ": {"MYAPP_DISABLE_PLUGINS": "myapp-old"}}, State.DISABLED_BY_CONFIG),
        ({"environ": {"MYAPP_ONLY_PLUGINS": "myapp-good"}}, State.DISABLED_BY_CONFIG),
        ({"options": {"no_plugins": (True, "--no-plugins")}}, State.DISABLED_BY_CONFIG),
    ],
    ids=["disable_plugins", "only_plugins", "no_plugins"],
)
def test_a_disabled_plugin_is_disabled_even_when_incompatible_or_ignored(
    tmp_path: Path, layers: dict[str, Any], state: State
) -> None:
    plain = judged_selection(tmp_path, **layers)
    ignored = judged_selection(tmp_path, 'ignore_compat = ["myapp-old"]\n', **layers)

    assert plain.verdict("myapp-old").state == ignored.verdict("myapp-old").state == state


def test_blocked_reason_of_an_incompatible_plugin(tmp_path: Path) -> None:
    assert judged_selection(tmp_path).blocked_reason("MyApp_Old") == f"incompatible: {SKIPPED}"


def test_blocked_hint_of_an_incompatible_plugin_offers_an_upgrade_or_ignore_compat(tmp_path: Path) -> None:
    selection = judged_selection(tmp_path)

    assert selection.blocked_hint("MyApp_Old", "myapp") == (
        "install a release of 'myapp-old' made for this myapp, or pass --ignore-compat myapp-old"
    )
    assert selection.blocked_hint("myapp-old", "acme") == (
        "install a release of 'myapp-old' made for this acme, or pass --ignore-compat myapp-old"
    )


def test_blocked_hint_of_a_disabled_plugin_offers_to_enable_it(tmp_path: Path) -> None:
    selection = judged_selection(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "myapp-good,myapp-old"})

    assert selection.blocked_hint("MyApp_Good", "myapp") == (
        "run 'myapp plugin enable myapp-good', or drop the option that disables it"
    )
    assert selection.blocked_hint("myapp-old", "acme") == (
        "run 'acme plugin enable myapp-old', or drop the option that disables it"
    )


def test_each_skipped_incompatible_plugin_is_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection = judged_selection(tmp_path)

    selection.warn_about_incompatible_plugins()

    assert warnings(caplog) == [f"skipping plugin 'myapp-old': it {SKIPPED}"]


def test_an_ignored_incompatible_plugin_is_warned_about_as_loaded_not_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection = judged_selection(tmp_path, options={"ignore_compat": (("myapp-old",), "--ignore-compat")})

    selection.warn_about_incompatible_plugins()
    selection.verdict("myapp-old")

    assert warnings(caplog) == [f"loading plugin 'myapp-old' although it {NEEDS_OLDER} (--ignore-compat)"]


@pytest.mark.parametrize(
    "selection",
    [
        lambda tmp_path: judged_selection(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "myapp-old"}),
        lambda tmp_path: judged_selection(tmp_path, environ={"MYAPP_NO_PLUGINS": "1"}),
        lambda tmp_path: Selection(config_of(tmp_path), TRUSTED),
        lambda tmp_path: Selection(config_of(tmp_path), TRUSTED, INSTALLED),
    ],
    ids=["disabled", "no plugins", "no index", "nothing incompatible"],
)
def test_no_incompatible_plugin_left_to_skip_warns_about_nothing(
    selection: Callable[[Path], Selection], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    selection(tmp_path).warn_about_incompatible_plugins()

    assert warnings(caplog) == []


def test_find_plugins_shows_an_incompatible_plugin_with_its_verdict(tmp_path: Path) -> None:
    plugins = {p.distribution.key: p for p in find_plugins(JUDGED, MYAPP, judged_selection(tmp_path))}

    assert sorted(plugins) == ["myapp-good", "myapp-old"]
    assert plugins["myapp-old"].verdict == Verdict(State.INCOMPATIBLE, SKIPPED)
    assert plugins["myapp-good"].verdict == Verdict(State.ENABLED)


def test_a_misspelled_ignore_compat_name_gets_a_did_you_mean(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    selection = judged_selection(tmp_path, environ={"MYAPP_IGNORE_COMPAT": "myapp-olld"})

    selection.warn_about_unknown_names(JUDGED)

    assert warnings(caplog) == ["no installed plugin is called 'myapp-olld'; did you mean 'myapp-old'?"]


# --- find_plugins --------------------------------------------------------------------------------

HOOKS = MYAPP.hook_namespace

EVERYTHING = index_of(
    ep("zap", "Zed_Plugin"),
    ep("help", "myapp"),
    ep("pre_command", "myapp", HOOKS("pre_command")),
    ep("table", "cliff", "cliff.formatter.list"),
    ep("fancy", "fancy-formatters", "cliff.formatter.list"),
    ep("greeting_show", "alpha-plugin"),
    ep("greeting_list", "alpha-plugin"),
    ep("hello", "alpha-plugin"),
    ep("timer", "alpha-plugin", HOOKS("pre_hello")),
    ep("timer", "alpha-plugin", HOOKS("post_hello")),
    ep("audit", "alpha-plugin", HOOKS("post_hello")),
    ep("export", "alpha-plugin", HOOKS("post_hello_source")),
    ep("audit", "hooks-only", HOOKS("post_command")),
    ep("audit", "command-hooks-only", "myapp.commands.hello"),
    ep("ping", "acme-ping", "acme.commands"),
)


def test_find_plugins_lists_every_plugin_of_the_tool_sorted_by_name(tmp_path: Path) -> None:
    plugins = find_plugins(EVERYTHING, MYAPP, selection_of(tmp_path))

    assert [p.name for p in plugins] == ["alpha-plugin", "command-hooks-only", "hooks-only", "Zed_Plugin"]


def test_find_plugins_leaves_out_trusted_distributions_whatever_their_entry_points(tmp_path: Path) -> None:
    selection = Selection(config_of(tmp_path), {"myapp", "cliff", "zed-plugin"})

    names = [p.name for p in find_plugins(EVERYTHING, MYAPP, selection)]

    assert "myapp" not in names and "cliff" not in names and "Zed_Plugin" not in names


def test_find_plugins_gives_each_plugin_its_entry_points_metadata_and_verdict(tmp_path: Path) -> None:
    selection = selection_of(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": "hooks-only"})

    plugins = {p.distribution.key: p for p in find_plugins(EVERYTHING, MYAPP, selection)}

    alpha, hooks_only = plugins["alpha-plugin"], plugins["hooks-only"]
    assert (alpha.distribution.version, alpha.distribution.summary) == ("1.0", "about alpha-plugin")
    assert len(alpha.entry_points) == 7
    assert {e.distribution for e in alpha.entry_points} == {"alpha-plugin"}
    assert alpha.verdict == Verdict(State.ENABLED)
    assert hooks_only.verdict == Verdict(State.DISABLED_BY_CONFIG, "listed in disable_plugins (MYAPP_DISABLE_PLUGINS)")


def test_find_plugins_of_another_tool_lists_only_its_plugins(tmp_path: Path) -> None:
    acme = Identity("acme")

    plugins = find_plugins(EVERYTHING, acme, Selection(config_of(tmp_path), {"acme", "cliff"}))

    assert [(p.name, p.provides(acme)) for p in plugins] == [("acme-ping", (["ping"], []))]


def test_find_plugins_of_an_empty_index_is_empty(tmp_path: Path) -> None:
    assert find_plugins(index_of(), MYAPP, selection_of(tmp_path)) == []


def test_find_plugin_compares_names_normalized(tmp_path: Path) -> None:
    plugins = find_plugins(EVERYTHING, MYAPP, selection_of(tmp_path))

    found = find_plugin(plugins, "ZED.plugin")

    assert found is not None and found.name == "Zed_Plugin"
    assert find_plugin(plugins, "zed-plugins") is None


# --- what a plugin provides ----------------------------------------------------------------------


def test_provides_splits_commands_and_hook_events(tmp_path: Path) -> None:
    plugins = {p.distribution.key: p for p in find_plugins(EVERYTHING, MYAPP, selection_of(tmp_path))}

    assert plugins["alpha-plugin"].provides(MYAPP) == (
        ["greeting list", "greeting show", "hello"],
        ["post_hello", "post_hello_source", "pre_hello"],
    )
    assert plugins["hooks-only"].provides(MYAPP) == ([], ["post_command"])
    # A CommandHook (myapp.commands.<command>) is neither a command nor an event hook.
    assert plugins["command-hooks-only"].provides(MYAPP) == ([], [])


def test_provides_reads_every_underscore_of_a_command_as_a_space() -> None:
    distribution = index_of(ep("a_b_c", "x")).distributions[0]
    plugin = Plugin(distribution, (ep("a_b_c", "x"), ep("plugin_list", "x")), Verdict(State.ENABLED))

    assert plugin.provides(MYAPP) == (["a b c", "plugin list"], [])
    assert plugin.name == "x"


@pytest.mark.parametrize(
    ("named", "summary"),
    [
        (6, "1 more plugin that the configuration names is not installed"),
        (8, "3 more plugins that the configuration names are not installed"),
    ],
)
def test_names_past_the_fifth_that_are_not_installed_are_counted_in_one_line_that_agrees_with_the_count(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, named: int, summary: str
) -> None:
    names = ",".join(f"absent-{n}" for n in range(named))
    selection = selection_of(tmp_path, environ={"MYAPP_DISABLE_PLUGINS": names})

    selection.warn_about_unknown_names(INSTALLED)

    assert caplog.messages[5:] == [summary]
