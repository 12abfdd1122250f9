"""The names plugin authors import from ``myapp``, and the exit-status contract."""

from __future__ import annotations

import re

import myapp
from myapp import ExitCode


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
    assert sorted(code.value for code in ExitCode) == [0, 1, 2, 3, 4, 130, 141, 143]


def test_exit_codes_by_name() -> None:
    assert {code.name: code.value for code in ExitCode} == {
        "OK": 0,
        "FAILURE": 1,
        "USAGE": 2,
        "PLUGIN": 3,
        "HOOK_ABORT": 4,
        "INTERRUPTED": 130,
        "BROKEN_PIPE": 141,
        "TERMINATED": 143,
    }
