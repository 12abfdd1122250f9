"""Contracts: declaring what an entry point's target must be, and verifying targets precisely."""

from __future__ import annotations

import abc
import argparse
import inspect
import types
from collections.abc import Callable
from typing import Any, Protocol

import pytest
from cliff.command import Command
from cliff.lister import Lister
from hypothesis import given
from hypothesis import strategies as st

from myapp.commands.entry import command_contract
from myapp.contracts import Contract, ContractError, Method, Mismatch, load_verified, subject, verify
from myapp.errors import ExitCode, PluginLoadError
from myapp.index.records import EntryPointInfo

HERE = __name__


class GreetingStyle(abc.ABC):
    """A contract as an abstract base class."""

    @abc.abstractmethod
    def render(self, greeting: str, name: str) -> str:
        """The greeting, styled."""

    def describe(self) -> str:
        """Concrete: not required."""
        return "a style"


class Backend(Protocol):
    """A contract as a Protocol: every public method is required."""

    def write(self, text: str, *, flush: bool = False) -> None: ...

    def close(self) -> None: ...

    def _private(self) -> None: ...


class Callback(Protocol):
    """A callback Protocol: a callable contract."""

    def __call__(self, event: str, /) -> object: ...


STYLE = Contract.from_class(GreetingStyle)
BACKEND = Contract.from_class(Backend)


def texts(mismatches: list[Mismatch]) -> list[str]:
    return [str(mismatch) for mismatch in mismatches]


# --- declaring -----------------------------------------------------------------------------------


def test_an_abc_requires_its_abstract_methods_with_their_documented_signatures() -> None:
    assert STYLE.name == "greeting style"
    assert STYLE.kind == "object"
    assert [str(method) for method in STYLE.methods] == ["render(self, greeting, name)"]


def test_a_protocol_requires_every_public_method() -> None:
    assert [str(method) for method in BACKEND.methods] == ["write(self, text, *, flush=False)", "close(self)"]


def test_a_callback_protocol_gives_a_callable_contract() -> None:
    contract = Contract.from_class(Callback, name="listener")

    assert (contract.kind, str(contract)) == ("callable", "listener(event)")


def test_a_plain_class_may_name_the_required_methods() -> None:
    contract = Contract.from_class(GreetingStyle, name="style", methods=["describe"])

    assert (contract.name, [m.name for m in contract.methods]) == ("style", ["describe"])


def test_a_contract_from_a_template_function() -> None:
    def on_event(event: str, payload: dict[str, Any] | None = None) -> None: ...

    contract = Contract.from_callable("listener", on_event)

    assert str(contract) == "listener(event, payload=None)"
    assert verify(lambda event, payload=None: None, contract) == []
    assert texts(verify(lambda event: None, contract)) == [
        "cannot be called with the documented arguments; expected listener(event, payload=None), found <lambda>(event)"
    ]


def test_a_callable_contract_needs_a_signature() -> None:
    with pytest.raises(ValueError, match="needs a call signature"):
        Contract("listener", kind="callable")


def test_repr_shows_name_kind_and_members() -> None:
    assert repr(STYLE) == "<Contract 'greeting style' (object): render(self, greeting, name)>"


# --- targets that fit ----------------------------------------------------------------------------


class DuckStyle:
    """Fits without subclassing the ABC."""

    def render(self, greeting: str, name: str) -> str:
        return f"{greeting}, {name}"


class FlexibleStyle:
    def render(self, *args: object, **kwargs: object) -> str:
        return "anything goes"


class StaticStyle:
    @staticmethod
    def render(greeting: str, name: str) -> str:
        return greeting


class ClassStyle:
    @classmethod
    def render(cls, greeting: str, name: str, excited: bool = False) -> str:
        return greeting


class SubclassStyle(GreetingStyle):
    def render(self, greeting: str, name: str) -> str:
        return greeting


def render(greeting: str, name: str) -> str:
    return greeting


@pytest.mark.parametrize(
    "target",
    [
        DuckStyle,
        DuckStyle(),
        FlexibleStyle,
        StaticStyle,
        ClassStyle,
        SubclassStyle,
        types.SimpleNamespace(render=render),
        types.SimpleNamespace(render=print),
    ],
    ids=["duck-class", "instance", "varargs", "staticmethod", "classmethod", "subclass", "module-like", "builtin"],
)
def test_targets_that_fit_are_accepted_duck_typed_or_not(target: object) -> None:
    assert verify(target, STYLE) == []


def test_a_module_with_the_functions_fits() -> None:
    module = types.ModuleType("styles")
    module.render = render  # type: ignore[attr-defined]

    assert verify(module, STYLE) == []


# --- targets that do not fit ---------------------------------------------------------------------


class Unfinished(GreetingStyle):
    """Subclasses the ABC but forgets render."""


class TooFewParameters:
    def render(self, greeting: str) -> str:
        return greeting


class RenderIsData:
    render = "fancy"


class NeedsSettings:
    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = settings

    def render(self, greeting: str, name: str) -> str:
        return greeting


def test_missing_method_is_named_with_the_expected_signature() -> None:
    assert verify(types.ModuleType("empty"), STYLE) == [Mismatch("render", "missing", "render(self, greeting, name)")]
    assert texts(verify(object(), STYLE)) == ["method 'render' missing; expected render(self, greeting, name)"]


def test_abstract_method_left_unimplemented_is_reported_not_a_bare_type_error() -> None:
    assert texts(verify(Unfinished, STYLE)) == [
        "method 'render' not implemented (abstract); expected render(self, greeting, name)"
    ]


def test_signature_that_cannot_accept_the_documented_arguments_shows_expected_and_found() -> None:
    assert verify(TooFewParameters, STYLE) == [
        Mismatch("render", "signature", "render(self, greeting, name)", "render(self, greeting)")
    ]
    assert texts(verify(TooFewParameters(), STYLE)) == [
        "method 'render' cannot accept the documented arguments; expected render(self, greeting, name), "
        "found render(greeting)"
    ]


def test_attribute_that_is_not_a_method_is_reported_with_its_type() -> None:
    assert texts(verify(RenderIsData, STYLE)) == [
        "'render' is not a method (found str); expected render(self, greeting, name)"
    ]


def test_class_that_cannot_be_created_without_arguments_is_reported() -> None:
    assert texts(verify(NeedsSettings, STYLE)) == [
        "cannot be created without arguments; expected NeedsSettings(), found NeedsSettings(settings)"
    ]


def test_every_mismatch_is_reported_not_only_the_first() -> None:
    class Wrong:
        def write(self) -> None: ...

    assert [(m.member, m.problem) for m in verify(Wrong, BACKEND)] == [("write", "signature"), ("close", "missing")]


def test_keyword_only_documented_arguments_must_be_accepted_by_keyword() -> None:
    class PositionalFlush:
        def write(self, text: str, flush: bool = False) -> None: ...

        def close(self) -> None: ...

    class NoFlush:
        def write(self, text: str) -> None: ...

        def close(self) -> None: ...

    assert verify(PositionalFlush, BACKEND) == []
    assert [m.found for m in verify(NoFlush, BACKEND)] == ["write(self, text)"]


def test_an_optional_documented_argument_may_be_left_out_by_callers() -> None:
    class RequiresFlush:
        def write(self, text: str, *, flush: bool) -> None: ...

        def close(self) -> None: ...

    assert [m.member for m in verify(RequiresFlush, BACKEND)] == ["write"]


@pytest.mark.parametrize(
    ("target", "found"),
    [(render, "function 'render'"), (types.ModuleType("m"), "module 'm'"), (DuckStyle(), "DuckStyle"), (3, "int")],
)
def test_a_class_contract_names_the_wrong_kind_found(target: object, found: str) -> None:
    contract = Contract("style", kind="class", methods=STYLE.methods)

    assert texts(verify(target, contract)) == [f"expected a class, found {found}"]


def test_a_base_class_requirement_rejects_duck_typed_classes() -> None:
    contract = Contract.from_class(GreetingStyle, subclass=True)

    assert verify(SubclassStyle, contract) == []
    assert texts(verify(DuckStyle, contract)) == [
        f"expected a subclass of {HERE}.GreetingStyle, found class 'DuckStyle'"
    ]


@given(
    extra_optional=st.integers(min_value=0, max_value=3),
    varargs=st.booleans(),
    varkw=st.booleans(),
    keyword_only_optional=st.integers(min_value=0, max_value=2),
)
def test_the_documented_signature_widened_with_optional_parameters_always_fits(
    extra_optional: int, varargs: bool, varkw: bool, keyword_only_optional: int
) -> None:
    kind = inspect.Parameter
    parameters = [kind("greeting", kind.POSITIONAL_OR_KEYWORD), kind("name", kind.POSITIONAL_OR_KEYWORD)]
    parameters += [kind(f"o{i}", kind.POSITIONAL_OR_KEYWORD, default=None) for i in range(extra_optional)]
    parameters += [kind("args", kind.VAR_POSITIONAL)] if varargs else []
    parameters += [kind(f"k{i}", kind.KEYWORD_ONLY, default=None) for i in range(keyword_only_optional)]
    parameters += [kind("kwargs", kind.VAR_KEYWORD)] if varkw else []

    assert verify(types.SimpleNamespace(render=_with_signature(parameters)), STYLE) == []


@given(missing=st.integers(min_value=1, max_value=2), keyword_only=st.booleans())
def test_a_signature_missing_a_documented_parameter_never_fits(missing: int, keyword_only: bool) -> None:
    kind = inspect.Parameter
    names = ["greeting", "name"][: 2 - missing]
    parameters = [kind(n, kind.POSITIONAL_OR_KEYWORD) for n in names]
    if keyword_only:  # the missing ones exist, but only by keyword: callers pass them by position
        parameters += [kind(n, kind.KEYWORD_ONLY) for n in ["greeting", "name"][2 - missing :]]

    assert [m.problem for m in verify(types.SimpleNamespace(render=_with_signature(parameters)), STYLE)] == [
        "signature"
    ]


def _with_signature(parameters: list[inspect.Parameter]) -> Callable[..., object]:
    def function(*args: object, **kwargs: object) -> None: ...

    function.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return function


# --- the command contract ------------------------------------------------------------------------


class MissingTakeAction(Command):
    """Forgets take_action."""


class TakeActionWithoutArguments(Command):
    def take_action(self) -> None:  # type: ignore[override]
        pass


class ParserWithoutProgName(Command):
    def get_parser(self) -> argparse.ArgumentParser:  # type: ignore[override]
        return argparse.ArgumentParser()

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        pass


class GoodLister(Lister):
    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str], list[tuple[str]]]:
        return ("Name",), []


def test_the_command_contract_is_declared_once_from_cliff() -> None:
    contract = command_contract()

    assert command_contract() is contract
    assert (contract.name, contract.kind, contract.base) == ("command", "class", Command)
    assert [str(m) for m in contract.methods] == ["take_action(self, parsed_args)", "get_parser(self, prog_name)"]


def test_command_missing_take_action_is_reported_precisely() -> None:
    assert texts(verify(MissingTakeAction, command_contract())) == [
        "method 'take_action' not implemented (abstract); expected take_action(self, parsed_args)"
    ]


@pytest.mark.parametrize(
    ("target", "found"),
    [(TakeActionWithoutArguments, "take_action(self)"), (ParserWithoutProgName, "get_parser(self)")],
)
def test_command_methods_with_the_wrong_signature_are_reported(target: type, found: str) -> None:
    assert [m.found for m in verify(target, command_contract())] == [found]


def test_lister_and_show_one_subclasses_fit_the_command_contract() -> None:
    assert verify(GoodLister, command_contract()) == []


# --- loading -------------------------------------------------------------------------------------


def entry(name: str, value: str, version: str = "1.0") -> EntryPointInfo:
    return EntryPointInfo(name, value, "myapp.extensions.tests.styles", "myapp-styles", version)


def test_subject_names_the_target_its_release_and_entry_point() -> None:
    assert subject("greeting style", entry("fancy", "x.styles:Fancy")) == (
        "greeting style 'fancy' (myapp-styles 1.0, entry point fancy = x.styles:Fancy)"
    )
    assert subject("command", entry("hello_world", "x:Hello", version=""), "hello world") == (
        "command 'hello world' (myapp-styles, entry point hello_world = x:Hello)"
    )


def test_load_verified_returns_a_target_that_fits() -> None:
    assert load_verified(entry("duck", f"{HERE}:DuckStyle"), STYLE) is DuckStyle


def test_load_verified_raises_a_contract_error_with_every_field() -> None:
    with pytest.raises(ContractError) as caught:
        load_verified(entry("short", f"{HERE}:TooFewParameters"), STYLE, hint="fix it")

    error = caught.value
    assert error.message == (
        f"greeting style 'short' (myapp-styles 1.0, entry point short = {HERE}:TooFewParameters): "
        "method 'render' cannot accept the documented arguments; "
        "expected render(self, greeting, name), found render(self, greeting)"
    )
    assert error.mismatches == verify(TooFewParameters, STYLE)
    assert (error.distribution, error.entry_point, error.namespace, error.hint, error.exit_code) == (
        "myapp-styles",
        f"short = {HERE}:TooFewParameters",
        "myapp.extensions.tests.styles",
        "fix it",
        ExitCode.PLUGIN,
    )


def test_contract_error_gives_one_line_per_mismatch() -> None:
    error = ContractError(
        "backend 'b' (d 1, entry point b = m:B)",
        [Mismatch("write", "missing", "write(self, text)"), Mismatch("close", "missing", "close(self)")],
        entry_point=entry("b", "m:B"),
    )

    assert error.problems == [
        "backend 'b' (d 1, entry point b = m:B): method 'write' missing; expected write(self, text)",
        "backend 'b' (d 1, entry point b = m:B): method 'close' missing; expected close(self)",
    ]


def test_an_import_failure_stays_a_plain_load_error() -> None:
    with pytest.raises(PluginLoadError) as caught:
        load_verified(entry("gone", "myapp_tests_no_such_module:Style"), STYLE)

    assert not isinstance(caught.value, ContractError)
    assert "ModuleNotFoundError" in caught.value.message


def test_a_method_tuple_knows_its_placeholder_calls() -> None:
    def write(self: object, text: str, *, flush: bool = False) -> None: ...

    method = Method("write", inspect.signature(write))

    assert len(method.calls()) == 2  # the required arguments only, then all of them
    assert [len(args) for args, _ in method.calls()] == [1, 1]
    assert [sorted(kwargs) for _, kwargs in method.calls()] == [[], ["flush"]]
