"""The files behind a plugin whose import never finished: its whole package, found without importing it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from myapp.plugins import sources
from myapp.plugins.sources import package_files


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    (folder / "myapp_tests_pkg" / "sub").mkdir(parents=True)
    for name in ("__init__.py", "commands.py", "notes.txt", "sub/__init__.py", "sub/deep.py"):
        (folder / "myapp_tests_pkg" / name).write_text("raise SystemExit('imported')\n")
    (folder / "myapp_tests_single.py").write_text("raise SystemExit('imported')\n")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_the_files_of_a_module_s_package_are_every_python_file_in_it(site: Path) -> None:
    package = site / "myapp_tests_pkg"

    found = package_files("myapp_tests_pkg.sub.deep")

    assert found == [str(package / name) for name in ("__init__.py", "commands.py", "sub/__init__.py", "sub/deep.py")]
    assert "myapp_tests_pkg" not in sys.modules


def test_a_module_outside_a_package_is_its_own_file(site: Path) -> None:
    assert package_files("myapp_tests_single") == [str(site / "myapp_tests_single.py")]


def test_a_module_that_cannot_be_found_has_no_files(site: Path) -> None:
    assert package_files("myapp_tests_not_there.commands") == []


def test_a_large_package_is_cut_at_the_limit(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_PACKAGE_FILES", 3)

    assert len(package_files("myapp_tests_pkg")) == 3
