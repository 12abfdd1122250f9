"""The suite's rule for programs besides Python (``tests/helpers/programs.py``): skip without them, fail under CI."""

from __future__ import annotations

import configparser
import re
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


#: The root of this repository, where README.md, tox.ini and .ci/run live.
REPOSITORY = Path(__file__).resolve().parents[2]


def programs_the_suite_needs() -> set[str]:
    """Every program a test asks :func:`need_program` for, but bash, which runs ``.ci/run`` itself."""
    calls = (path.read_text(encoding="utf-8") for path in (REPOSITORY / "tests").rglob("*.py"))
    return {name for text in calls for name in re.findall(r'need_program\("([^"]+)"\)', text)} - {"bash"}


def test_the_programs_the_suite_needs_are_found() -> None:
    assert programs_the_suite_needs() == {"fish", "ps", "tmux", "zsh"}


def test_ci_installs_every_program_the_suite_needs_and_runs_the_tests_as_ci() -> None:
    script = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    installed = re.search(r"for program in (.*); do", script)
    tox = configparser.ConfigParser()
    tox.read(REPOSITORY / "tox.ini", encoding="utf-8")

    assert installed is not None
    assert {word.partition(":")[0] for word in installed.group(1).split()} == programs_the_suite_needs()
    assert "\nexport CI=true\n" in script
    assert "CI" in tox["testenv"]["pass_env"].split()


def test_the_readme_names_every_program_the_suite_needs() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")

    assert all(re.search(rf"\b{name}\b", readme) for name in programs_the_suite_needs())


def test_tox_runs_the_tests_last_and_skips_a_python_that_is_not_installed() -> None:
    tox = configparser.ConfigParser()
    tox.read(REPOSITORY / "tox.ini", encoding="utf-8")

    assert [name.strip() for name in tox["tox"]["envlist"].split(",")][-1] == "py"
    assert tox.getboolean("tox", "skip_missing_interpreters")
    assert " -q " in tox["testenv:docs"]["commands"]  # the docs build prints only warnings and errors
