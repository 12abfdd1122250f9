"""The session: what one run knows, opened the same way by the App and by a completion request."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest

from myapp.app import App
from myapp.commands.builtins import BUILTIN_COMMANDS
from myapp.completion.sources import Tool
from myapp.identity import MYAPP
from myapp.index.pluginindex import PluginIndex
from myapp.plugins.state import State
from myapp.plugins.trace import PluginTrace
from myapp.session import Session, open_session, trusted_cache_folder
from tests.unit.plugins.test_state import config_of, ep, index_of

INDEX = index_of(ep("deploy", "myapp-tools"), ep("greet", "myapp-greetings"), ep("ls", "myapp-broken-one"))


def session_of(index: PluginIndex, config_text: str | None, tmp_path: Path, **options: object) -> Session:
    config = config_of(tmp_path, config_text) if config_text is not None or not options.get("no_config") else None
    return open_session(MYAPP, config, version="0.1.0", builtins=BUILTIN_COMMANDS, cache_dir=None, plugin_index=index)


def test_the_session_decides_each_plugin_state_with_its_reason(tmp_path: Path) -> None:
    session = session_of(INDEX, 'disable_plugins = ["myapp-greetings"]\n', tmp_path)

    states = {plugin.name: (plugin.verdict.state, plugin.verdict.reason) for plugin in session.installed_plugins()}

    assert states["myapp-tools"] == (State.ENABLED, "")
    assert states["myapp-greetings"][0] is State.DISABLED_BY_CONFIG
    assert "listed in disable_plugins" in states["myapp-greetings"][1]


def test_the_command_table_holds_the_commands_of_plugins_that_may_run(tmp_path: Path) -> None:
    session = session_of(INDEX, 'disable_plugins = ["myapp-greetings"]\n', tmp_path)

    assert session.commands.get("deploy") is not None
    assert session.commands.get("greet") is None
    assert session.commands.get("plugin list") is not None  # built-ins are part of the table


def test_without_a_readable_configuration_only_the_tool_s_own_commands_run(tmp_path: Path) -> None:
    session = open_session(MYAPP, None, version="0.1.0", builtins=BUILTIN_COMMANDS, cache_dir=None, plugin_index=INDEX)

    assert session.plugins.verdict("myapp-tools") == (State.DISABLED_BY_CONFIG, "the configuration cannot be read")
    assert session.commands.get("deploy") is None
    assert session.commands.get("help") is not None


def test_a_plugin_found_broken_keeps_running_and_says_why(tmp_path: Path) -> None:
    session = session_of(INDEX, "", tmp_path)
    plugins = session.installed_plugins()

    session.plugins.mark_broken({"myapp-broken-one": "could not load 'ls'"})

    assert session.plugins.verdict("myapp_broken_one") == (State.BROKEN, "could not load 'ls'")
    assert session.plugins.verdict("myapp-broken-one").runs
    assert session.plugins.cannot_run(plugins) == {"myapp-broken-one": "could not load 'ls'"}


def test_a_disabled_plugin_is_never_marked_broken(tmp_path: Path) -> None:
    session = session_of(INDEX, 'disable_plugins = ["myapp-greetings"]\n', tmp_path)

    session.plugins.mark_broken({"myapp-greetings": "never imported"})

    assert session.plugins.verdict("myapp-greetings").state is State.DISABLED_BY_CONFIG


def test_an_incompatible_plugin_cannot_run_and_comes_before_broken_ones(tmp_path: Path) -> None:
    index = index_of(ep("a", "myapp-aaa"), ep("z", "myapp-zzz"), incompatible={"myapp-zzz": "requires myapp>=9"})
    session = session_of(index, "", tmp_path)

    session.plugins.mark_broken({"myapp-aaa": "could not load 'a'"})

    assert list(session.plugins.cannot_run(session.installed_plugins())) == ["myapp-zzz", "myapp-aaa"]


def test_a_reopened_session_keeps_the_cache_folder_and_the_trace(tmp_path: Path) -> None:
    trace = PluginTrace(io.StringIO(), "myapp")
    session = open_session(
        MYAPP, config_of(tmp_path), version="0.1.0", builtins={}, cache_dir=tmp_path, plugin_index=INDEX, trace=trace
    )

    again = session.reopened(config_of(tmp_path, 'disable_plugins = ["myapp-tools"]\n'))

    assert (again.cache_dir, again.trace, again.index) == (tmp_path, trace, INDEX)
    assert again.plugins.verdict("myapp-tools").state is State.DISABLED_BY_CONFIG


def test_the_app_and_a_completion_request_see_the_same_plugin_states(tmp_path: Path, isolated_home: Path) -> None:
    config = isolated_home / ".config" / "myapp" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('disable_plugins = ["myapp-greetings"]\n', encoding="utf-8")
    app = App(plugin_index=INDEX)
    app.run(["config", "path"])  # imports no plugin, as completion never does

    tool = Tool(MYAPP, ["de"], {"plugin_index": INDEX})

    for name in ("myapp-tools", "myapp-greetings", "myapp-broken-one"):
        assert tool.session.plugins.verdict(name) == app.session.plugins.verdict(name)
    assert tool.session.cache_dir == app.session.cache_dir


def test_the_cache_folder_is_created_and_trusted(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = isolated_home / "caches" / "myapp"
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(folder))

    assert trusted_cache_folder(MYAPP) == folder
    assert folder.is_dir()


def test_a_cache_folder_others_can_write_is_refused_with_a_warning(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = isolated_home / "shared-cache"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(folder))

    with caplog.at_level(logging.WARNING, logger="myapp.session"):
        assert trusted_cache_folder(MYAPP) is None

    assert [record.getMessage() for record in caplog.records] == [
        f"not using the cache folder '{folder}': it is writable by other users; run 'chmod go-w {folder}'"
    ]


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a link to another user")
def test_a_cache_folder_reached_through_another_users_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    link = tmp_path / "shared"
    link.symlink_to(mine)
    os.lchown(link, 65534, 65534)
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(link / "myapp"))

    with caplog.at_level(logging.WARNING, logger="myapp.session"):
        assert trusted_cache_folder(MYAPP) is None

    assert caplog.messages == [
        f"not using the cache folder '{link / 'myapp'}': it is reached through the symbolic link '{link}', "
        "which belongs to another user (uid 65534)"
    ]
    assert list(mine.iterdir()) == []


def test_a_cache_folder_reached_through_the_users_own_link_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(tmp_path / "link" / "myapp"))

    assert trusted_cache_folder(MYAPP) == tmp_path / "link" / "myapp"
    assert (tmp_path / "real" / "myapp").is_dir()


@pytest.mark.skipif(os.getuid() != 0, reason="what root must not do")
def test_root_uses_no_cache_folder_in_another_users_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "someone"
    home.mkdir()
    os.chown(home, 65534, 65534)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))

    with caplog.at_level(logging.INFO, logger="myapp.session"):
        assert trusted_cache_folder(MYAPP) is None

    assert list(home.iterdir()) == []
    assert [record.levelno for record in caplog.records] == [logging.INFO]
