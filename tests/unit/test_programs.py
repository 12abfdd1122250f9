"""The suite's rule for programs besides Python (``tests/helpers/programs.py``): skip without them, fail under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.programs import is_ci, need_program


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``PATH`` of one empty folder: no program is installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("CI", raising=False)
    return folder


def test_an_installed_program_is_found_on_path(bare_path: Path) -> None:
    program = bare_path / "tmux"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)

    assert need_program("tmux") == str(program)


def test_a_missing_program_skips_the_test_saying_how_to_install_it(bare_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        need_program("zsh")
    with pytest.raises(pytest.skip.Exception) as renamed:
        need_program("ps")

    assert str(skipped.value) == "zsh is not installed; install it to run this test, e.g. 'sudo apt-get install zsh'"
    assert "'sudo apt-get install procps'" in str(renamed.value)


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "yes"])
def test_under_ci_a_missing_program_fails_the_test(
    value: str, bare_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", value)

    with pytest.raises(pytest.fail.Exception) as failed:
        need_program("fish")

    assert str(failed.value).startswith("fish is not installed; install it to run this test")
    assert "CI=true" in str(failed.value)


@pytest.mark.parametrize(("value", "ci"), [("", False), ("false", False), ("0", False), ("true", True), ("on", True)])
def test_ci_is_a_yes_value_of_the_ci_variable(value: str, ci: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", value)

    assert is_ci() is ci
