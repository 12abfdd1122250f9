"""Hook events, the hook contract, loading one hook and running it with its failures contained."""

from __future__ import annotations

import argparse
import re
from typing import Any

import pytest
from cliff.command import Command

from myapp.contracts import ContractError, Mismatch, verify
from myapp.errors import ExitCode, HookAbort, MyappError, PluginLoadError, Terminated
from myapp.hooks.context import (
    INITIALIZE,
    ORDER_ATTRIBUTE,
    HookContext,
    HookFailure,
    HookOrder,
    LoadedHook,
    blame,
    call_hook,
    command_event,
    hook,
    hook_contract,
    is_pre_event,
    load_hook,
    run_python_hook,
)
from myapp.identity import MYAPP
from myapp.index.records import DistributionInfo, EntryPointInfo
from myapp.plugins.loading import disable_hint
from myapp.testing import FakePlugin, Result, run

HERE = __name__
#: The app a context carries; hooks here never look at it.
APP: Any = object()


def entry(name: str, value: str, distribution: str = "my-dist", version: str = "1.0") -> EntryPointInfo:
    return EntryPointInfo(name, value, MYAPP.hook_namespace("pre_command"), distribution, version)


def context(event: str = "pre_command") -> HookContext:
    return HookContext(event, APP, "hello", ("hello", "Ada"))


def loaded(function: Any, name: str = "check", distribution: str = "my-dist", version: str = "1.0") -> LoadedHook:
    return LoadedHook(entry(name, f"{HERE}:{name}", distribution, version), function)


# Targets that entry points in this module point at.


def plain(context: HookContext) -> str:
    return f"plain saw {context.event}"


@hook(priority=10, before=["other-dist"], after=["first-dist:setup"])
def ordered(context: HookContext) -> None:
    """A hook that declares its place."""


def with_bad_order(context: HookContext) -> None:
    """A hook whose order attribute is not a HookOrder."""


setattr(with_bad_order, ORDER_ATTRIBUTE, "first please")

NOT_CALLABLE = 42


def two_arguments(context: HookContext, extra: str) -> None:
    """Needs more than the context."""


# --- event names ---------------------------------------------------------------------------------


def test_command_event_joins_phase_and_command_with_underscores() -> None:
    assert command_event("pre", "plugin list") == "pre_plugin_list"
    assert command_event("post", "hello") == "post_hello"


#: The entry-point group names pip accepts on Python 3.10, where it reads entry points with pkg_resources.
PKG_RESOURCES_GROUP = re.compile(r"\w+(\.\w+)*")


@pytest.mark.parametrize("command", ["shell-init", "my-widget", "plugin list", "greeting-card list"])
def test_command_event_namespaces_can_be_installed_by_pip_on_python_3_10(command: str) -> None:
    for phase in ("pre", "post"):
        namespace = MYAPP.hook_namespace(command_event(phase, command))
        assert PKG_RESOURCES_GROUP.fullmatch(namespace), namespace
    assert command_event("pre", "shell-init") == "pre_shell_init"


class Widget(Command):
    """Make a widget."""

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        self.app.stdout.write("widget\n")


def test_hooks_of_a_command_with_a_dash_run_and_see_its_name() -> None:
    seen: list[tuple[str, str | None]] = []

    def note(context: HookContext) -> None:
        seen.append((context.event, context.command))

    widgets = FakePlugin(name="widgets", commands={"my-widget": Widget}, hooks={"post_my_widget": [note]})
    assert run(["my-widget"], plugins=[widgets]) == Result(0, "widget\n", "")
    fired = run(["hooks", "run", "post_my_widget"], plugins=[widgets])
    assert (fired.exit_code, fired.stdout) == (0, "")
    assert seen == [("post_my_widget", "my-widget"), ("post_my_widget", "my-widget")]


def test_plugin_check_warns_about_a_hook_registered_under_the_dashed_event_name() -> None:
    widgets = FakePlugin(name="widgets", commands={"my-widget": Widget}, hooks={"pre_my-widget": [plain]})
    result = run(["plugin", "check", "-f", "value", "-c", "Problem"], plugins=[widgets])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "event 'pre_my-widget' names no command, so the hook never runs; did you mean 'pre_my_widget'?"
    ]


@pytest.mark.parametrize(
    ("event", "is_pre"),
    [
        (INITIALIZE, True),
        ("pre_command", True),
        ("pre_plugin_list", True),
        ("post_command", False),
        ("post_hello", False),
        ("pre_command_source", True),
    ],
)
def test_initialize_and_pre_events_run_before_a_command(event: str, is_pre: bool) -> None:
    assert is_pre_event(event) is is_pre


# --- the @hook decorator -------------------------------------------------------------------------


def test_hook_decorator_sets_the_order_and_returns_the_function_itself() -> None:
    def function(context: HookContext) -> None:
        pass

    decorated = hook(priority=5, before=iter(["a"]), after=["b", "c:d"])(function)

    assert decorated is function
    assert getattr(function, ORDER_ATTRIBUTE) == HookOrder(priority=5, before=("a",), after=("b", "c:d"))


def test_hook_decorator_defaults_to_no_priority_and_no_constraints() -> None:
    assert getattr(hook()(lambda context: None), ORDER_ATTRIBUTE) == HookOrder(0, (), ())


# --- the hook contract ---------------------------------------------------------------------------


class TakesContext:
    def __init__(self, context: HookContext) -> None:
        self.context = context


class TakesNothing:
    def __init__(self) -> None:
        pass


def with_default(context: HookContext, verbose: bool = False) -> None:
    pass


def with_varargs(*args: object) -> None:
    pass


def keyword_only(*, context: HookContext) -> None:
    pass


async def coroutine_hook(context: HookContext) -> None:
    pass


@pytest.mark.parametrize(
    "target",
    [plain, lambda context: None, with_varargs, with_default, TakesContext, print, coroutine_hook, len],
    ids=["function", "lambda", "varargs", "default-second-param", "class", "print", "coroutine", "builtin-len"],
)
def test_callables_taking_one_argument_fit_the_contract(target: object) -> None:
    assert verify(target, hook_contract()) == []


def test_the_hook_contract_is_a_callable_taking_the_context() -> None:
    contract = hook_contract()

    assert (contract.name, contract.kind, str(contract)) == ("hook", "callable", "hook(context)")
    assert hook_contract() is contract  # declared once


def test_two_required_parameters_do_not_fit_and_both_signatures_are_shown() -> None:
    assert verify(two_arguments, hook_contract()) == [
        Mismatch("", "signature", "hook(context)", "two_arguments(context, extra)")
    ]
    assert str(verify(two_arguments, hook_contract())[0]) == (
        "cannot be called with the documented arguments; expected hook(context), found two_arguments(context, extra)"
    )


@pytest.mark.parametrize(
    ("target", "found"),
    [(TakesNothing, "TakesNothing()"), (keyword_only, "keyword_only(*, context)"), (lambda: None, "<lambda>()")],
    ids=["class", "keyword-only", "no-args"],
)
def test_callables_that_cannot_take_the_context_positionally_do_not_fit(target: object, found: str) -> None:
    assert verify(target, hook_contract()) == [Mismatch("", "signature", "hook(context)", found)]


@pytest.mark.parametrize(("target", "kind"), [(42, "int"), ("module:attr", "str"), (None, "NoneType")])
def test_non_callables_do_not_fit_and_their_type_is_named(target: object, kind: str) -> None:
    assert [str(m) for m in verify(target, hook_contract())] == [f"expected a callable hook(context), found {kind}"]


# --- loading -------------------------------------------------------------------------------------


def test_loading_a_hook_imports_it_and_reads_its_order() -> None:
    loaded_hook = load_hook(entry("ordered", f"{HERE}:ordered"))

    assert loaded_hook.function is ordered
    assert loaded_hook.error is None
    assert loaded_hook.order == HookOrder(10, ("other-dist",), ("first-dist:setup",))


def test_an_undecorated_hook_gets_the_default_order() -> None:
    assert load_hook(entry("plain", f"{HERE}:plain")).order == HookOrder()


def test_an_order_attribute_of_the_wrong_type_is_ignored() -> None:
    assert load_hook(entry("with_bad_order", f"{HERE}:with_bad_order")).order == HookOrder()


def test_hook_whose_module_cannot_be_imported_is_loaded_broken_with_the_reason() -> None:
    entry_point = entry("missing", "myapp_tests_no_such_module:hook", distribution="My_Dist")

    loaded_hook = load_hook(entry_point)

    assert loaded_hook.function is None
    assert isinstance(loaded_hook.error, PluginLoadError)
    assert "ModuleNotFoundError" in loaded_hook.error.message
    assert loaded_hook.error.distribution == "My_Dist"
    assert loaded_hook.error.entry_point == "missing = myapp_tests_no_such_module:hook"
    assert loaded_hook.error.namespace == "myapp.hooks.pre_command"
    assert loaded_hook.error.hint == disable_hint("My_Dist")
    assert loaded_hook.error.exit_code == ExitCode.PLUGIN


def test_hook_with_a_missing_attribute_is_loaded_broken() -> None:
    loaded_hook = load_hook(entry("gone", f"{HERE}:no_such_function"))

    assert loaded_hook.function is None
    assert loaded_hook.error is not None
    assert "AttributeError" in loaded_hook.error.message


def test_hook_that_is_not_callable_is_loaded_broken_naming_the_hook_and_plugin() -> None:
    loaded_hook = load_hook(entry("constant", f"{HERE}:NOT_CALLABLE"))

    assert loaded_hook.function is None
    assert isinstance(loaded_hook.error, ContractError)
    assert loaded_hook.error.message == (
        f"hook 'constant' (my-dist 1.0, entry point constant = {HERE}:NOT_CALLABLE): "
        "expected a callable hook(context), found int"
    )
    assert loaded_hook.error.entry_point == f"constant = {HERE}:NOT_CALLABLE"
    assert "--disable-plugin my-dist" in (loaded_hook.error.hint or "")


def test_hook_with_the_wrong_signature_is_loaded_broken() -> None:
    loaded_hook = load_hook(entry("two", f"{HERE}:two_arguments"))

    assert loaded_hook.function is None
    assert isinstance(loaded_hook.error, ContractError)
    assert loaded_hook.error.mismatches == [Mismatch("", "signature", "hook(context)", "two_arguments(context, extra)")]
    assert loaded_hook.error.exit_code == ExitCode.PLUGIN


# --- naming and matching -------------------------------------------------------------------------


def test_label_is_the_normalized_distribution_and_the_entry_point_name() -> None:
    assert loaded(plain, name="audit", distribution="My_Dist").label == "my-dist:audit"
    assert loaded(plain, name="audit", distribution="My_Dist").distribution == "My_Dist"


@pytest.mark.parametrize("reference", ["my-dist", "my-dist:audit", "My_Dist", "my.dist:audit", "MY-DIST"])
def test_hook_matches_its_distribution_or_its_label_normalized(reference: str) -> None:
    assert loaded(plain, name="audit", distribution="my_dist").matches(reference)


@pytest.mark.parametrize("reference", ["other-dist", "my-dist:other", "my-dist-extra", "my:audit", "audit"])
def test_hook_does_not_match_other_plugins_or_hooks(reference: str) -> None:
    assert not loaded(plain, name="audit", distribution="my-dist").matches(reference)


# --- calling -------------------------------------------------------------------------------------


def test_call_hook_returns_what_the_hook_returns() -> None:
    assert call_hook(plain, context("pre_hello")) == "plain saw pre_hello"


def test_what_a_hook_prints_goes_to_stderr_even_while_it_is_awaited(capsys: pytest.CaptureFixture[str]) -> None:
    def chatty(context: HookContext) -> None:
        print("said plainly")

    async def chatty_later(context: HookContext) -> None:
        print("said later")

    call_hook(chatty, context())
    call_hook(chatty_later, context())
    print("the command's data")

    assert capsys.readouterr() == ("the command's data\n", "said plainly\nsaid later\n")


def test_call_hook_awaits_a_coroutine_function() -> None:
    async def later(context: HookContext) -> str:
        return f"awaited {context.command}"

    assert call_hook(later, context()) == "awaited hello"


def test_hook_may_change_the_parsed_arguments_in_the_context() -> None:
    def rename(context: HookContext) -> None:
        context.parsed_args = "renamed"  # type: ignore[assignment]

    shared = context()
    run_python_hook(loaded(rename), shared)

    assert shared.parsed_args == "renamed"


def test_run_python_hook_returns_no_error_and_the_result() -> None:
    assert run_python_hook(loaded(plain), context()) == (None, "plain saw pre_command")


def test_run_python_hook_of_a_broken_hook_returns_its_load_error_without_calling() -> None:
    broken = load_hook(entry("missing", "myapp_tests_no_such_module:hook"))

    error, result = run_python_hook(broken, context())

    assert error is broken.error
    assert result is None


def test_hook_that_raises_is_a_failure_blaming_its_plugin_and_version() -> None:
    def explode(context: HookContext) -> None:
        raise ValueError("boom")

    error, result = run_python_hook(loaded(explode, name="check", distribution="My_Dist", version="2.5"), context())

    assert result is None
    assert isinstance(error, HookFailure)
    assert error.message == "hook 'my-dist:check' of plugin 'My_Dist 2.5' failed (ValueError: boom)"
    assert error.exit_code == ExitCode.PLUGIN
    assert error.hint is not None
    assert "--disable-plugin my-dist" in error.hint
    assert error.distribution == "My_Dist"
    assert error.entry_point == f"check = {HERE}:check"
    assert error.namespace == "myapp.hooks.pre_command"
    assert isinstance(error.__cause__, ValueError)


def test_hook_that_raises_in_another_plugins_code_names_and_blames_that_plugin() -> None:
    def explode(context: HookContext) -> None:
        raise ValueError("boom")

    culprit = DistributionInfo("Helper_Dist", "3.1", "", "/site/helper.dist-info")
    failure = blame(loaded(explode, distribution="my-dist"), ValueError("boom"), culprit, "ask the helper's authors")

    assert (
        failure.message
        == "hook 'my-dist:check' of plugin 'my-dist 1.0' failed in plugin 'Helper_Dist 3.1' (ValueError: boom)"
    )
    assert isinstance(failure, HookFailure)
    assert (failure.distribution, failure.hint) == ("Helper_Dist", "ask the helper's authors")


def test_hook_blamed_on_its_own_plugin_names_it_once() -> None:
    culprit = DistributionInfo("My_Dist", "1.0", "", "/site/my_dist.dist-info")
    failure = blame(loaded(plain, distribution="my-dist"), ValueError("boom"), culprit)

    assert failure.message == "hook 'my-dist:check' of plugin 'my-dist 1.0' failed (ValueError: boom)"
    assert failure.hint == "report it to the plugin's authors, or skip it with '--disable-plugin my-dist'"


def test_async_hook_that_raises_is_a_failure() -> None:
    async def explode(context: HookContext) -> None:
        raise RuntimeError("later")

    error, _ = run_python_hook(loaded(explode), context())

    assert isinstance(error, HookFailure)
    assert "(RuntimeError: later)" in error.message


def test_hook_abort_stays_an_abort_naming_the_hook_and_keeping_the_hint() -> None:
    def veto(context: HookContext) -> None:
        raise HookAbort("not today", hint="try tomorrow")

    error, result = run_python_hook(loaded(veto, name="veto"), context())

    assert result is None
    assert isinstance(error, HookAbort)
    assert error.message == "hook 'my-dist:veto' stopped the command: not today"
    assert error.hint == "try tomorrow"
    assert error.exit_code == ExitCode.HOOK_ABORT
    assert isinstance(error.__cause__, HookAbort)


def test_hook_abort_without_a_reason_says_so() -> None:
    def veto(context: HookContext) -> None:
        raise HookAbort("")

    error, _ = run_python_hook(loaded(veto, name="veto"), context())

    assert error is not None
    assert error.message == "hook 'my-dist:veto' stopped the command: no reason given"
    assert error.hint is None


def test_hook_abort_subclass_keeps_its_class_hint() -> None:
    class QuotaExceeded(HookAbort):
        hint = "ask an admin"

    def veto(context: HookContext) -> None:
        raise QuotaExceeded("over quota")

    error, _ = run_python_hook(loaded(veto, name="veto"), context())

    assert isinstance(error, HookAbort)
    assert error.hint == "ask an admin"


def test_other_myapp_errors_from_a_hook_are_failures() -> None:
    def complain(context: HookContext) -> None:
        raise MyappError("bad state")

    error, _ = run_python_hook(loaded(complain), context())

    assert isinstance(error, HookFailure)
    assert error.exit_code == ExitCode.PLUGIN


@pytest.mark.parametrize(
    ("code", "described"), [(2, "SystemExit: exit status 2"), (None, "SystemExit: exit status None")]
)
def test_system_exit_in_a_hook_is_a_failure_not_an_exit(code: int | None, described: str) -> None:
    def leave(context: HookContext) -> None:
        raise SystemExit(code)

    error, _ = run_python_hook(loaded(leave), context())

    assert isinstance(error, HookFailure)
    assert f"failed ({described})" in error.message


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, Terminated])
def test_ctrl_c_and_sigterm_in_a_hook_propagate(interruption: type[BaseException]) -> None:
    def interrupted(context: HookContext) -> None:
        raise interruption()

    with pytest.raises(interruption):
        run_python_hook(loaded(interrupted), context())
