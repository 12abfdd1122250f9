"""The names plugin authors import from ``myapp``, and the exit-status contract."""

from __future__ import annotations

import myapp
from myapp import ExitCode


def test_all_is_sorted() -> None:
    assert myapp.__all__ == sorted(myapp.__all__)


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
