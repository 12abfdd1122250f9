"""Extension points: driver, iterator and dispatcher, with selection, ordering and fault isolation."""

from __future__ import annotations

import abc
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import myapp
from myapp.contracts import Contract, ContractError
from myapp.errors import ExitCode, PluginLoadError
from myapp.extensions import Extension, ExtensionNotFound, ExtensionPoint, contract_of
from myapp.identity import MYAPP, Identity
from myapp.testing import run
from tests.helpers.distributions import Distribution
from tests.helpers.plugins import EXT_EXPLODING_REPORT as EXPLODING
from tests.helpers.plugins import EXT_HOST, EXT_IMPLS
from tests.helpers.plugins import EXT_NORENDER_REPORT as NORENDER

Install = Callable[[Distribution], Path]


class Renderer(abc.ABC):
    @abc.abstractmethod
    def render(self, text: str) -> str: ...


@pytest.fixture
def renderers(install: Install, cache_dir: Path) -> ExtensionPoint:
    """The point EXT_HOST declares, with EXT_IMPLS installed too; neither imported yet."""
    install(EXT_HOST)
    install(EXT_IMPLS)
    return ExtensionPoint("ext_host.renderers", Renderer)


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "myapp.extensions"]


# --- declaring -----------------------------------------------------------------------------------


def test_the_namespace_comes_from_the_identity_and_the_point_name() -> None:
    assert ExtensionPoint("ext_host.renderers", Renderer).namespace == "myapp.extensions.ext_host.renderers"
    assert ExtensionPoint("a.b", Renderer, identity=Identity("my-tool")).namespace == "my_tool.extensions.a.b"
    assert MYAPP.contract_namespace == "myapp.contracts"


@pytest.mark.parametrize("name", ["renderers", "", "ext host.renderers", "ext_host.", "9x.renderers", "a..b"])
def test_a_point_name_must_be_package_then_point(name: str) -> None:
    with pytest.raises(ValueError, match=r"'<your package>\.<point>'"):
        ExtensionPoint(name, Renderer)


def test_the_contract_may_be_a_class_or_a_contract() -> None:
    from_class = ExtensionPoint("a.b", Renderer)
    declared = Contract("renderer", methods=from_class.contract.methods)

    assert (from_class.contract.name, [str(m) for m in from_class.contract.methods]) == (
        "renderer",
        ["render(self, text)"],
    )
    assert ExtensionPoint("a.b", declared).contract is declared


def test_contract_of_a_registration_accepts_a_point_a_contract_or_a_class() -> None:
    point = ExtensionPoint("a.b", Renderer)

    assert contract_of(point) is point.contract
    assert contract_of(point.contract) is point.contract
    assert contract_of(Renderer).name == "renderer"
    with pytest.raises(TypeError, match="expected an ExtensionPoint, a Contract or a class, found int"):
        contract_of(42)


def test_the_public_names_are_exported_lazily_from_the_package() -> None:
    assert myapp.ExtensionPoint is ExtensionPoint
    assert myapp.Extension is Extension
    assert myapp.ExtensionNotFound is ExtensionNotFound
    assert myapp.Contract is Contract


# --- without an app: every installed implementation ---------------------------------------------


def test_selecting_and_naming_imports_no_implementation(renderers: ExtensionPoint) -> None:
    selected = renderers.select()

    assert selected.names() == ["exploding", "lower", "norender", "reverse", "unimportable", "upper"]
    assert "ext_impls" not in sys.modules and "ext_host" not in sys.modules


def test_driver_loads_only_the_implementation_asked_for(renderers: ExtensionPoint) -> None:
    lower = renderers.select().driver("lower")

    assert lower.render("Hi") == "hi"
    assert "ext_host" not in sys.modules  # the other plugin's implementation was not imported


def test_driver_of_an_unknown_name_lists_the_available_ones(renderers: ExtensionPoint) -> None:
    with pytest.raises(ExtensionNotFound) as caught:
        renderers.select().driver("lowr")

    error = caught.value
    assert error.message == "no renderer is called 'lowr'; did you mean 'lower'?"
    assert error.hint == "available: exploding, lower, norender, reverse, unimportable, upper"
    assert (error.point, error.name, error.exit_code) == ("ext_host.renderers", "lowr", ExitCode.USAGE)
    assert error.available == ["exploding", "lower", "norender", "reverse", "unimportable", "upper"]


def test_driver_with_no_implementations_says_none_is_installed(cache_dir: Path) -> None:
    with pytest.raises(ExtensionNotFound) as caught:
        ExtensionPoint("nobody.here", Renderer).select().driver("any")

    assert caught.value.hint == "no installed myapp plugin provides one"


def test_driver_that_does_not_fit_the_contract_is_a_plugin_load_error(renderers: ExtensionPoint) -> None:
    with pytest.raises(ContractError) as caught:
        renderers.select().driver("norender")

    assert caught.value.message == NORENDER
    assert caught.value.exit_code == ExitCode.PLUGIN
    assert caught.value.hint == (
        "reinstall or fix it, or skip it with '--disable-plugin myapp-ext-impls'; "
        "the 'plugin check' command lists every broken plugin"
    )


def test_driver_that_cannot_be_imported_is_a_plugin_load_error(renderers: ExtensionPoint) -> None:
    with pytest.raises(PluginLoadError, match="ModuleNotFoundError") as caught:
        renderers.select().driver("unimportable")

    assert caught.value.entry_point == "unimportable = ext_impls_nowhere:Renderer"


def test_iterating_gives_the_working_implementations_in_hook_order_and_warns_once_per_broken_one(
    renderers: ExtensionPoint, caplog: pytest.LogCaptureFixture
) -> None:
    selected = renderers.select()

    names = [extension.name for extension in selected]

    # reverse has priority 10; then by distribution (myapp-ext-host first), then by name
    assert names == ["reverse", "upper", "exploding", "lower"]
    assert [extension.name for extension in selected] == names  # loaded once
    broken = warnings_of(caplog)
    assert NORENDER in broken
    assert len(broken) == 2 and "'unimportable = ext_impls_nowhere:Renderer' (ModuleNotFoundError" in broken[1]


def test_a_registered_class_is_created_once_and_other_objects_are_used_as_they_are(
    install: Install, cache_dir: Path
) -> None:
    install(
        Distribution(
            name="myapp-objects",
            files={
                "objects_plugin/__init__.py": """
                    class Counted:
                        created = 0

                        def __init__(self):
                            type(self).created += 1

                        def render(self, text):
                            return text


                    def render(text):
                        return "module " + text
                """
            },
            entry_points={
                "myapp.extensions.objects.points": {"counted": "objects_plugin:Counted", "module": "objects_plugin"}
            },
        )
    )
    selected = ExtensionPoint("objects.points", Renderer).select()

    assert selected.map("render", "x") == [(e, r) for e, r in zip(selected, ["x", "module x"], strict=True)]
    assert type(selected.driver("counted")).created == 1
    assert selected.driver("module").__name__ == "objects_plugin"


def test_map_calls_every_implementation_and_isolates_the_one_that_raises(
    renderers: ExtensionPoint, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes = renderers.select().map("render", "Hi")

    assert [(extension.name, result) for extension, result in outcomes] == [
        ("reverse", "iH"),
        ("upper", "HI"),
        ("lower", "hi"),
    ]
    assert warnings_of(caplog)[-1] == EXPLODING


def test_dispatch_calls_only_the_implementations_the_predicate_picks(
    renderers: ExtensionPoint, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes = renderers.select().dispatch(lambda extension: extension.name.startswith(("l", "e")), "render", "Hi")

    assert [(extension.name, result) for extension, result in outcomes] == [("lower", "hi")]
    assert warnings_of(caplog)[-1] == EXPLODING


def test_a_predicate_that_raises_leaves_that_implementation_out(
    renderers: ExtensionPoint, caplog: pytest.LogCaptureFixture
) -> None:
    def only_upper(extension: Extension) -> bool:
        if extension.name == "reverse":
            raise KeyError("no opinion")
        return extension.name == "upper"

    outcomes = renderers.select().dispatch(only_upper, "render", "Hi")

    assert [(extension.name, result) for extension, result in outcomes] == [("upper", "HI")]
    assert warnings_of(caplog)[-1] == (
        "renderer 'reverse' (myapp-ext-impls 1.0, entry point reverse = ext_impls:Reverse) "
        "failed when selected (KeyError: 'no opinion')"
    )


def test_ctrl_c_in_an_implementation_is_not_isolated(install: Install, cache_dir: Path) -> None:
    install(
        Distribution(
            name="myapp-interrupting",
            files={"interrupting/__init__.py": "def render(text):\n    raise KeyboardInterrupt\n"},
            entry_points={"myapp.extensions.stop.points": {"stop": "interrupting"}},
        )
    )

    with pytest.raises(KeyboardInterrupt):
        ExtensionPoint("stop.points", Renderer).select().map("render", "x")


def test_a_callable_contract_is_mapped_by_calling_each_implementation(install: Install, cache_dir: Path) -> None:
    install(
        Distribution(
            name="myapp-callables",
            files={"callables/__init__.py": "def double(n):\n    return 2 * n\n\n\ndef square(n):\n    return n * n\n"},
            entry_points={"myapp.extensions.calc.ops": {"double": "callables:double", "square": "callables:square"}},
        )
    )

    def operation(n: int) -> int: ...

    point = ExtensionPoint("calc.ops", Contract.from_callable("operation", operation))

    assert [(e.name, r) for e, r in point.select().map(None, 3)] == [("double", 6), ("square", 9)]
    assert point.select().driver("square")(4) == 16


def test_a_name_two_plugins_register_goes_to_the_first_by_distribution_with_a_warning(
    install: Install, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("myapp-twin-b", "myapp-twin-a"):
        module = name.replace("-", "_")
        install(
            Distribution(
                name=name,
                files={f"{module}/__init__.py": f"def render(text):\n    return '{name}'\n"},
                entry_points={"myapp.extensions.twins.points": {"same": module}},
            )
        )

    assert ExtensionPoint("twins.points", Renderer).select().driver("same").render("") == "myapp-twin-a"
    assert warnings_of(caplog) == [
        "renderer 'same' is also provided by 'myapp-twin-b'; using the one from 'myapp-twin-a'"
    ]


def test_a_class_that_fails_while_being_created_is_isolated(
    install: Install, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    install(
        Distribution(
            name="myapp-fragile",
            files={
                "fragile/__init__.py": """
                    class Fragile:
                        def __init__(self):
                            raise OSError("no device")

                        def render(self, text):
                            return text
                """
            },
            entry_points={"myapp.extensions.fragile.points": {"fragile": "fragile:Fragile"}},
        )
    )
    selected = ExtensionPoint("fragile.points", Renderer).select()

    assert list(selected) == []
    assert warnings_of(caplog) == [
        "renderer 'fragile' (myapp-fragile 1.0, entry point fragile = fragile:Fragile) could not be created "
        "(OSError: no device)"
    ]


# --- with the app: its plugin selection applies --------------------------------------------------


def render(site: Path, *argv: str, **env: str) -> Any:
    return run(["render", *argv], path=[str(site)], env=env)


def test_in_a_command_the_driver_runs_the_named_implementation(renderers: ExtensionPoint, site_dir: Path) -> None:
    result = render(site_dir, "with", "lower", "Hi")

    assert (result.exit_code, result.stdout, result.stderr) == (0, "hi\n", "")


def test_in_a_command_a_broken_driver_exits_3_with_one_line_and_a_hint(
    renderers: ExtensionPoint, site_dir: Path
) -> None:
    result = render(site_dir, "with", "norender", "Hi")

    assert (result.exit_code, result.stdout) == (ExitCode.PLUGIN, "")
    assert result.stderr.splitlines() == [
        f"myapp: error: {NORENDER}",
        "hint: reinstall or fix it, or skip it with '--disable-plugin myapp-ext-impls'; "
        "the 'plugin check' command lists every broken plugin",
    ]


def test_in_a_command_an_unknown_name_exits_2(renderers: ExtensionPoint, site_dir: Path) -> None:
    result = render(site_dir, "with", "shiny", "Hi")

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        "myapp: error: no renderer is called 'shiny'",
        "hint: available: exploding, lower, norender, reverse, unimportable, upper",
    ]


def test_implementations_of_a_disabled_plugin_are_skipped_and_named_when_asked_for(
    renderers: ExtensionPoint, site_dir: Path
) -> None:
    every = render(site_dir, "all", "Hi", MYAPP_DISABLE_PLUGINS="myapp-ext-impls")
    asked = render(site_dir, "with", "lower", "Hi", MYAPP_DISABLE_PLUGINS="myapp-ext-impls")

    assert (every.exit_code, every.stdout, every.stderr) == (0, "upper: HI\n", "")
    assert asked.exit_code == ExitCode.USAGE
    assert asked.stderr.splitlines() == [
        "myapp: error: renderer 'lower' comes from plugin 'myapp-ext-impls', which is disabled by config: "
        "listed in disable_plugins (MYAPP_DISABLE_PLUGINS)",
        "hint: run 'myapp plugin enable myapp-ext-impls', or drop the option that disables it",
    ]


def test_in_a_command_the_iterator_warns_about_broken_implementations_and_runs_the_others(
    renderers: ExtensionPoint, site_dir: Path
) -> None:
    result = render(site_dir, "all", "Hi")

    assert (result.exit_code, result.stdout) == (0, "reverse: iH\nupper: HI\nlower: hi\n")
    warnings = result.stderr.splitlines()
    assert f"myapp: warning: {NORENDER}" in warnings
    assert f"myapp: warning: {EXPLODING}" in warnings
    assert len(warnings) == 3  # and the unimportable one


# --- plugin check and the registrations in <tool>.contracts ---------------------------------------


def check(site: Path, plugin: str) -> tuple[int, list[tuple[str, str]]]:
    """``plugin check PLUGIN`` in-process: the exit status and (severity, problem) rows."""
    import json

    result = run(["plugin", "check", plugin, "-f", "json"], path=[str(site)])
    return result.exit_code, [(row["Severity"], row["Problem"]) for row in json.loads(result.stdout)]


def registering(name: str, target: str, source: str) -> Distribution:
    """A plugin whose only entry points register *target* as the contract of *name* and implement it."""
    return Distribution(
        name="myapp-registrar",
        files={"registrar/__init__.py": source},
        entry_points={
            "myapp.contracts": {name: target},
            f"myapp.extensions.{name}": {"short": "registrar:Short"},
        },
    )


_REGISTRAR = """
import abc

from myapp import ExtensionPoint


class Renderer(abc.ABC):
    @abc.abstractmethod
    def render(self, text): ...


POINT = ExtensionPoint("registrar.renderers", Renderer)
NOT_A_CONTRACT = 42


class Short:
    def render(self):
        return ""
"""


def test_check_verifies_implementations_against_a_registered_point(
    install: Install, site_dir: Path, cache_dir: Path
) -> None:
    install(registering("registrar.renderers", "registrar:POINT", _REGISTRAR))

    assert check(site_dir, "myapp-registrar") == (
        3,
        [
            (
                "error",
                "renderer 'short' (myapp-registrar 1.0, entry point short = registrar:Short): method 'render' "
                "cannot accept the documented arguments; expected render(self, text), found render(self)",
            )
        ],
    )


def test_check_accepts_a_plain_class_registered_as_the_contract(
    install: Install, site_dir: Path, cache_dir: Path
) -> None:
    install(registering("registrar.renderers", "registrar:Renderer", _REGISTRAR))

    status, problems = check(site_dir, "myapp-registrar")

    assert status == 3
    assert [severity for severity, _ in problems] == ["error"]
    assert "expected render(self, text), found render(self)" in problems[0][1]


def test_check_refuses_a_point_registered_under_another_name(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(registering("registrar.others", "registrar:POINT", _REGISTRAR))

    status, problems = check(site_dir, "myapp-registrar")

    assert status == 3
    assert (
        "error",
        "registers extension point 'registrar.renderers' under the name 'registrar.others'; use 'registrar.renderers'",
    ) in problems


def test_check_refuses_a_registration_that_is_not_a_contract_and_only_imports_its_implementations(
    install: Install, site_dir: Path, cache_dir: Path
) -> None:
    install(registering("registrar.renderers", "registrar:NOT_A_CONTRACT", _REGISTRAR))

    status, problems = check(site_dir, "myapp-registrar")

    assert (status, sorted(problems)) == (
        3,
        [
            (
                "error",
                "registers 'registrar:NOT_A_CONTRACT' as the contract of extension point 'registrar.renderers': "
                "expected an ExtensionPoint, a Contract or a class, found int",
            ),
            (
                "warning",
                "the contract of extension point 'registrar.renderers' (myapp-registrar) cannot be loaded, "
                "so only its import was checked",
            ),
        ],
    )
