"""The names plugin authors import from ``myapp``, the modules the docs import from, and the exit-status contract."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import myapp
import myapp.errors
from myapp import ExitCode

#: The root of this repository, where README.md, docs/ and the example plugin live.
REPOSITORY = Path(__file__).resolve().parents[2]


def isort_style(name: str) -> tuple[int, list[int | str]]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes, then the rest, each naturally sorted."""
    if len(name) > 1 and name.isupper():
        category = 0
    elif name[:1].isupper():
        category = 1
    else:
        category = 2
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
    return category, natural


def test_isort_style_puts_constants_then_classes_then_the_rest() -> None:
    names = ["__version__", "ExitCode", "API_V10", "API_V2", "ConfigError", "helper", "X"]

    assert sorted(names, key=isort_style) == [
        "API_V2",
        "API_V10",
        "ConfigError",
        "ExitCode",
        "X",
        "__version__",
        "helper",
    ]


def test_all_is_sorted() -> None:
    assert myapp.__all__ == sorted(myapp.__all__, key=isort_style)


def test_plugin_api_version_is_the_releases_major_and_minor() -> None:
    assert "PLUGIN_API_VERSION" in myapp.__all__
    assert myapp.PLUGIN_API_VERSION == ".".join(myapp.__version__.split(".")[:2])
    assert myapp.__version__.startswith(myapp.PLUGIN_API_VERSION + ".")


def test_all_has_no_duplicates() -> None:
    assert len(set(myapp.__all__)) == len(myapp.__all__)


def test_every_name_in_all_exists() -> None:
    missing = [name for name in myapp.__all__ if not hasattr(myapp, name)]

    assert missing == []


def test_version_is_a_string() -> None:
    assert isinstance(myapp.__version__, str)
    assert myapp.__version__


def test_exit_code_values_are_the_documented_contract() -> None:
    assert sorted(code.value for code in ExitCode) == [0, 1, 2, 3, 4, 129, 130, 141, 143]


def test_exit_codes_by_name() -> None:
    assert {code.name: code.value for code in ExitCode} == {
        "OK": 0,
        "FAILURE": 1,
        "USAGE": 2,
        "PLUGIN": 3,
        "HOOK_ABORT": 4,
        "HANGUP": 129,
        "INTERRUPTED": 130,
        "BROKEN_PIPE": 141,
        "TERMINATED": 143,
    }


def test_lazy_table_and_all_agree() -> None:
    eager = {"PLUGIN_API_VERSION", "__version__"}

    assert set(myapp._LAZY) == set(myapp.__all__) - eager
    assert eager <= set(vars(myapp))


def test_every_lazy_name_is_the_object_of_the_module_the_table_names() -> None:
    wrong = [
        name
        for name, module in myapp._LAZY.items()
        if getattr(myapp, name) is not getattr(importlib.import_module(f"myapp.{module}"), name)
    ]

    assert wrong == []


def test_type_checking_imports_match_the_lazy_table() -> None:
    tree = ast.parse(Path(myapp.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    imported = {
        alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }

    assert imported == myapp._LAZY


def test_every_error_class_is_exported_as_the_docs_promise() -> None:
    """docs/exit-codes.rst: "ExitCode and the error classes can be imported from myapp directly"."""
    errors = {
        name
        for name, value in vars(myapp.errors).items()
        if inspect.isclass(value) and issubclass(value, myapp.errors.MyappError) and value.__module__ == "myapp.errors"
    }

    assert errors | {"ExitCode"} <= set(myapp.__all__)


def test_import_myapp_loads_only_its_version() -> None:
    code = "import sys, myapp; print(*sorted(m for m in sys.modules if m.startswith(('myapp.', 'cliff'))))"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["myapp._version"]
    assert result.stderr == ""


def test_from_myapp_import_app_loads_cliff_then() -> None:
    code = "import sys, myapp; assert 'cliff' not in sys.modules; from myapp import App; print('cliff' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout, result.stderr) == (0, "True\n", "")


def test_old_hooks_import_path_still_works() -> None:
    from myapp.hooks import HookContext, HookOrder, hook

    assert (HookContext, hook, HookOrder) == (myapp.HookContext, myapp.hook, myapp.HookOrder)


# -- The modules README.md, docs/ and the example plugin import from ---------------------------------------------------


def public_modules() -> set[str]:
    """The documented public modules, as the list in ``myapp``'s docstring names them."""
    return set(re.findall(r"^- ``(myapp(?:\.\w+)*)``", myapp.__doc__ or "", re.MULTILINE))


class Import(NamedTuple):
    """One ``from MODULE import NAMES`` (or ``import MODULE``, with no names) found in a file."""

    where: str
    module: str
    names: tuple[str, ...]


#: ``from myapp... import a, b`` (up to a new line or the end of an inline literal), ``from myapp... import (a,
#: b)`` over several lines, or ``import myapp...``; ``myapp_plugins_example`` is another package.
_IMPORT_STATEMENT = re.compile(
    r"\bfrom[ \t]+(?P<from_module>myapp(?:\.\w+)*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n`]*)"
    r"|\bimport[ \t]+(?P<module>myapp(?:\.\w+)*)(?!\w)"
)


def imports_in(text: str, name: str) -> list[Import]:
    """The myapp imports in *text*, prose and code blocks alike; *name* names the file in :attr:`Import.where`."""
    found = []
    for match in _IMPORT_STATEMENT.finditer(text):
        where = f"{name}:{text.count(chr(10), 0, match.start()) + 1}"
        if match["module"]:
            found.append(Import(where, match["module"], ()))
            continue
        clause = re.sub(r"#[^\n]*", "", match["names"]).strip("()\\ \t\n")
        names = tuple(part.split()[0] for part in clause.split(",") if part.strip())
        found.append(Import(where, match["from_module"], names))
    return found


def documentation_files() -> list[Path]:
    """README.md, the .rst and .py files under docs/ and the example plugin's sources, tests and README.

    Left out: build output, and docs/conf.py, Sphinx's own configuration, which reads the internal table of
    built-in commands to document them and shows readers nothing.
    """
    candidates = [
        REPOSITORY / "README.md",
        *(REPOSITORY / "docs").rglob("*"),
        *(REPOSITORY / "myapp_plugins_example").rglob("*"),
    ]
    return sorted(
        path
        for path in candidates
        if path.suffix in {".md", ".rst", ".py"}
        and path != REPOSITORY / "docs" / "conf.py"
        and not {"_build", "build"} & set(path.relative_to(REPOSITORY).parts)
        and not any(part.endswith(".egg-info") for part in path.parts)
    )


def problems_with(statement: Import, public: set[str]) -> list[str]:
    """Why *statement* does not work, or imports from outside the public surface; empty when it is fine."""
    shown = f"{statement.where}: {statement.module}"
    if statement.module not in public:
        return [f"{shown} is internal: import through one of {sorted(public)}"]
    try:
        module = importlib.import_module(statement.module)
    except ImportError as error:
        return [f"{shown} does not import: {error}"]
    problems = []
    for name in statement.names:
        submodule = f"{statement.module}.{name}"
        if submodule in public:
            continue
        if not hasattr(module, name):
            problems.append(f"{shown} has no {name!r}")
        elif inspect.ismodule(getattr(module, name)):
            problems.append(f"{shown}: {submodule} is internal")
    return problems


def test_the_scan_reads_inline_and_parenthesised_imports() -> None:
    text = (
        "Prose, no base class from myapp.\n"
        "    from myapp.hooks import (\n"
        "        HookContext,  # the context\n"
        "        hook as on,\n"
        "    )\n"
        "directly (``from myapp import ExitCode, MyappError``).\n"
        "import myapp.testing\n"
        "from myapp_plugins_example import hooks\n"
        "$ myapp broken import\n"
        "myapp: error: ...\n"
    )

    assert imports_in(text, "sample.rst") == [
        Import("sample.rst:2", "myapp.hooks", ("HookContext", "hook")),
        Import("sample.rst:6", "myapp", ("ExitCode", "MyappError")),
        Import("sample.rst:7", "myapp.testing", ()),
    ]


def test_internal_and_missing_imports_are_problems() -> None:
    public = public_modules()

    assert problems_with(Import("a.rst:1", "myapp.hooks", ("HookContext",)), public) == []
    assert problems_with(Import("a.rst:1", "myapp", ("testing",)), public) == []
    assert problems_with(Import("a.rst:2", "myapp.hooks", ("Nope",)), public) == ["a.rst:2: myapp.hooks has no 'Nope'"]
    assert problems_with(Import("a.rst:3", "myapp.index.discovery", ()), public)[0].startswith(
        "a.rst:3: myapp.index.discovery is internal"
    )
    assert problems_with(Import("a.rst:4", "myapp", ("index",)), public) == ["a.rst:4: myapp: myapp.index is internal"]


def test_the_docstring_lists_the_public_modules() -> None:
    public = public_modules()

    assert {"myapp", "myapp.hooks", "myapp.errors", "myapp.app", "myapp.testing"} <= public
    for name in sorted(public):
        importlib.import_module(name)


def test_docs_and_examples_import_only_from_public_modules_and_every_import_works() -> None:
    public = public_modules()
    statements = [
        statement
        for path in documentation_files()
        for statement in imports_in(path.read_text(encoding="utf-8"), path.relative_to(REPOSITORY).as_posix())
    ]

    problems = [problem for statement in statements for problem in problems_with(statement, public)]

    assert problems == []
    # the scan saw each of the three places, so an empty list means something
    assert {statement.where.split("/")[0].split(":")[0] for statement in statements} >= {
        "README.md",
        "docs",
        "myapp_plugins_example",
    }


@pytest.mark.parametrize("path", sorted((REPOSITORY / "docs").glob("*.rst")), ids=lambda path: path.name)
def test_autodoc_directives_document_public_modules(path: Path) -> None:
    public = public_modules()
    # autodoc's directives only: cliff's ``autoprogram-cliff:: myapp.commands`` names an entry-point namespace
    directive = r"^\s*\.\. auto(?:module|class|exception|function|data|method|attribute)::\s+(myapp[\w.]*)"
    targets = re.findall(directive, path.read_text(encoding="utf-8"), re.MULTILINE)

    internal = [target for target in targets if _module_of(target) not in public]

    assert internal == []


def _module_of(dotted: str) -> str:
    """The longest importable module *dotted* starts with: ``myapp.testing`` for ``myapp.testing.run``."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        return ".".join(parts[:end])
    raise AssertionError(f"{dotted} names no module")
