"""The exception tree: each error knows its exit code, message and hint, and keeps the culprit."""

from __future__ import annotations

import pytest

from myapp.errors import ConfigError, ExitCode, HookAbort, MyappError, PluginLoadError, Terminated, UsageError


@pytest.mark.parametrize(
    ("error_class", "exit_code"),
    [
        (MyappError, ExitCode.FAILURE),
        (UsageError, ExitCode.USAGE),
        (ConfigError, ExitCode.USAGE),
        (HookAbort, ExitCode.HOOK_ABORT),
    ],
)
def test_each_error_carries_its_exit_code(error_class: type[MyappError], exit_code: ExitCode) -> None:
    assert error_class("went wrong").exit_code == exit_code


def test_plugin_load_error_exits_with_the_plugin_code() -> None:
    error = PluginLoadError("cannot load", distribution="d", entry_point="e = m:C", namespace="myapp.commands")

    assert error.exit_code == ExitCode.PLUGIN


def test_every_error_is_a_myapp_error() -> None:
    assert issubclass(ConfigError, UsageError)
    for error_class in (UsageError, ConfigError, PluginLoadError, HookAbort):
        assert issubclass(error_class, MyappError)


def test_message_is_the_first_argument() -> None:
    error = UsageError("unknown command 'helo'")

    assert error.message == "unknown command 'helo'"
    assert str(error) == "unknown command 'helo'"


def test_hint_is_none_unless_given() -> None:
    assert MyappError("x").hint is None
    assert MyappError("x", hint="try again").hint == "try again"


def test_subclass_hint_is_the_default_and_can_be_overridden() -> None:
    class QuotaExceeded(MyappError):
        hint = "ask for more quota"

    assert QuotaExceeded("over quota").hint == "ask for more quota"
    assert QuotaExceeded("over quota", hint="wait a day").hint == "wait a day"


def test_plugin_load_error_keeps_the_culprit_as_attributes() -> None:
    error = PluginLoadError(
        "plugin 'myapp-good' could not load 'shout = good:Shout' (ImportError)",
        distribution="myapp-good",
        entry_point="shout = good:Shout",
        namespace="myapp.commands",
        hint="reinstall it",
    )

    assert (error.distribution, error.entry_point, error.namespace) == (
        "myapp-good",
        "shout = good:Shout",
        "myapp.commands",
    )
    assert error.hint == "reinstall it"


def test_plugin_load_error_requires_the_culprit() -> None:
    with pytest.raises(TypeError):
        PluginLoadError("cannot load")  # type: ignore[call-arg]


def test_terminated_is_not_caught_by_except_exception() -> None:
    assert issubclass(Terminated, BaseException)
    assert not issubclass(Terminated, Exception)
