"""What a sync plans before anything changes: installs, version changes, uninstalls and switches."""

from __future__ import annotations

import pytest

from myapp.index.records import DistributionInfo
from myapp.management.pluginsets import PinnedPlugin, plan, version_change
from myapp.plugins.state import Plugin, State, Verdict


def installed(name: str, version: str = "1.0", state: State = State.ENABLED, location: str = "") -> Plugin:
    where = location or f"/site/{name}-{version}.dist-info"
    return Plugin(DistributionInfo(name, version, "", where), (), Verdict(state))


def test_missing_and_other_versions_are_installed_and_unlisted_ones_uninstalled() -> None:
    have = [installed("keep"), installed("old"), installed("extra")]
    wanted = [PinnedPlugin("keep", "1.0.0"), PinnedPlugin("Old", "2.0"), PinnedPlugin("new", "1.0")]

    todo = plan(have, wanted, lambda name: True)

    assert [w.name for w in todo.install] == ["Old", "new"]
    assert [p.name for p in todo.uninstall] == ["extra"]
    assert todo.switch == []


def test_drop_in_plugins_are_never_uninstalled() -> None:
    todo = plan([installed("site-tools", location="/plugins/site-tools.plugin.toml")], [], lambda name: True)

    assert todo.uninstall == []


def test_a_switch_is_planned_for_installed_and_new_plugins_alike_by_what_the_config_says() -> None:
    disabled_by_config = {"off", "new-off"}
    wanted = [
        PinnedPlugin("off", "1.0", enabled=True),
        PinnedPlugin("on", "1.0", enabled=False),
        PinnedPlugin("new-off", "1.0", enabled=False),
        PinnedPlugin("new-on", "1.0", enabled=False),
    ]

    todo = plan(
        [installed("off", state=State.DISABLED_BY_CONFIG), installed("on")],
        wanted,
        lambda name: name not in disabled_by_config,
    )

    assert [(w.name, w.enabled) for w in todo.switch] == [("off", True), ("on", False), ("new-on", False)]


@pytest.mark.parametrize(
    ("installed_version", "pinned", "change"),
    [
        (None, "1.0", "install"),
        ("1.0", "2.0", "upgrade"),
        ("2.0", "1.0", "downgrade"),
        ("not a version", "1.0", "install"),
    ],
)
def test_version_change_names_the_step(installed_version: str | None, pinned: str, change: str) -> None:
    assert version_change(installed_version, pinned) == change
