"""``Identity``: one name, and every namespace, variable and folder derived from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from myapp.identity import MYAPP, Identity


def test_myapp_namespaces_come_from_its_name() -> None:
    assert MYAPP.name == "myapp"
    assert MYAPP.namespace_prefix == "myapp."
    assert MYAPP.command_namespace == "myapp.commands"
    assert MYAPP.hook_namespace("pre_command") == "myapp.hooks.pre_command"


def test_myapp_environment_names_come_from_its_name() -> None:
    assert MYAPP.env_prefix == "MYAPP_"
    assert MYAPP.env_name("no-plugins") == "MYAPP_NO_PLUGINS"
    assert MYAPP.env_name("log-file") == "MYAPP_LOG_FILE"
    assert MYAPP.env_name("debug") == "MYAPP_DEBUG"


def test_distribution_defaults_to_the_name() -> None:
    assert Identity("acme").distribution == "acme"
    assert Identity("acme", distribution="acme-cli").distribution == "acme-cli"


def test_hyphenated_name_becomes_underscores_in_namespaces_and_variables() -> None:
    tool = Identity("my-tool")

    assert tool.namespace_prefix == "my_tool."
    assert tool.command_namespace == "my_tool.commands"
    assert tool.hook_namespace("post_hello") == "my_tool.hooks.post_hello"
    assert tool.env_prefix == "MY_TOOL_"
    assert tool.env_name("no-plugins") == "MY_TOOL_NO_PLUGINS"


def test_identity_is_immutable() -> None:
    with pytest.raises(AttributeError):
        MYAPP.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["", "MyApp", "1app", "-app", "my_app", "my app", "my.app", "myäpp"])
def test_invalid_names_are_rejected(name: str) -> None:
    with pytest.raises(ValueError, match="invalid tool name"):
        Identity(name)


@pytest.mark.parametrize(
    ("variable", "attribute"),
    [("MYAPP_CACHE_DIR", "cache_dir"), ("MYAPP_CONFIG_DIR", "config_dir"), ("MYAPP_DATA_DIR", "data_dir")],
)
def test_directory_variable_overrides_the_default(
    variable: str, attribute: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, str(tmp_path / "elsewhere"))

    assert getattr(MYAPP, attribute) == tmp_path / "elsewhere"


@pytest.mark.parametrize("variable", ["MYAPP_CACHE_DIR", "MYAPP_CONFIG_DIR", "MYAPP_DATA_DIR"])
def test_directory_variable_expands_home(variable: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, "~/somewhere")
    attribute = variable.removeprefix("MYAPP_").lower()

    assert getattr(MYAPP, attribute) == isolated_home / "somewhere"


def test_directory_variable_expands_other_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRATCH", str(tmp_path))
    monkeypatch.setenv("MYAPP_CACHE_DIR", "$SCRATCH/cache")

    assert MYAPP.cache_dir == tmp_path / "cache"


def test_empty_directory_variable_is_ignored(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_CACHE_DIR", "")

    assert MYAPP.cache_dir == isolated_home / ".cache" / "myapp"


def test_default_directories_are_per_user_and_named_after_the_tool(isolated_home: Path) -> None:
    tool = Identity("my-tool")

    assert tool.cache_dir == isolated_home / ".cache" / "my-tool"
    assert tool.config_dir == isolated_home / ".config" / "my-tool"
    assert tool.data_dir == isolated_home / ".local" / "share" / "my-tool"


def test_another_tool_reads_its_own_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(tmp_path / "myapp"))
    monkeypatch.setenv("MY_TOOL_CACHE_DIR", str(tmp_path / "my-tool"))

    assert Identity("my-tool").cache_dir == tmp_path / "my-tool"
