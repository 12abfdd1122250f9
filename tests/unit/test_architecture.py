"""The package's shape: wings with a docstring each, few top-level modules, no import cycles at all.

The layering itself is an import-linter contract (``[importlinter]`` in setup.cfg, run by ``tox -e lint``);
these tests hold what a layers contract cannot see: cycles inside one wing, and the size of the top level.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import grimp
import pytest

import myapp

PACKAGE = Path(myapp.__file__).parent
#: The root of this repository, where setup.cfg and docs/ live.
REPOSITORY = Path(__file__).resolve().parents[2]
#: The wings: one concern each (docs/architecture.rst names them).
WINGS = ("builtin", "commands", "completion", "config", "hooks", "index", "management", "plugins", "testing")
#: Wings imported on every run: their ``__init__`` stays empty, since each costs start-up time.
ON_THE_START_UP_PATH = ("commands", "config", "index", "plugins")


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph[module]:
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            groups.append(group)

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return [group for group in groups if len(group) > 1]


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports, counting imports inside functions and under ``TYPE_CHECKING``."""
    graph = grimp.build_graph("myapp", include_external_packages=False)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def test_no_module_imports_itself_back_through_others() -> None:
    assert strongly_connected(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert strongly_connected(graph) == [{"a", "b", "c"}]


def test_at_most_twenty_modules_stand_at_the_top_level() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 20


@pytest.mark.parametrize("wing", WINGS)
def test_each_wing_says_in_one_line_what_it_owns(wing: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / wing / "__init__.py").read_text()))

    assert docstring, f"myapp/{wing}/__init__.py has no docstring"
    assert docstring.splitlines()[0].endswith((".", ":")), docstring


@pytest.mark.parametrize("wing", ON_THE_START_UP_PATH)
def test_wings_on_the_start_up_path_have_an_empty_init(wing: str) -> None:
    body = ast.parse((PACKAGE / wing / "__init__.py").read_text()).body

    assert [type(node) for node in body] == [ast.Expr]  # the docstring alone


def load_drawing_script() -> ModuleType:
    """``docs/draw_wings.py``, the script that draws docs/_static/wings.svg from the layers contract."""
    path = REPOSITORY / "docs" / "draw_wings.py"
    spec = importlib.util.spec_from_file_location("draw_wings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_drawing_of_the_wings_in_the_docs_is_the_contract_as_it_stands() -> None:
    script = load_drawing_script()
    drawn = {name for names in script.read_layers(REPOSITORY / "setup.cfg") for name in names}

    assert {"app", "errors", *WINGS} <= drawn
    assert script.OUTPUT.read_text(encoding="utf-8") == script.current_drawing(), "run: python docs/draw_wings.py"
