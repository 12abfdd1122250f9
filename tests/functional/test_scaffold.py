"""``myapp plugin new`` writes a plugin that installs, runs and passes its own tests in a real venv."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.releases import Release
from tests.helpers.scaffold import WIDGET_FILES
from tests.helpers.venvs import VirtualEnvironment


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* and its content."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def widget(installed: VirtualEnvironment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project ``myapp plugin new my-widget`` wrote; fails the module if the command fails."""
    folder = tmp_path_factory.mktemp("scaffold")
    result = installed.run("myapp", "plugin", "new", "my-widget", "--dir", str(folder), "-f", "value", "-q")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.splitlines()[0] == f"{folder / 'my-widget' / 'pyproject.toml'} build system (setuptools)"
    return folder / "my-widget"


@pytest.fixture(scope="module")
def widget_venv(
    widget: Path, tmp_path_factory: pytest.TempPathFactory, releases: dict[str, Release]
) -> VirtualEnvironment:
    """A fresh venv with myapp, the generated plugin (editable) and pytest, and nothing else."""
    environment = VirtualEnvironment.create(tmp_path_factory.mktemp("widget") / "venv")
    environment.pip("install", str(releases["myapp"].wheel), "-e", str(widget), "pytest")
    return environment


def test_plugin_new_writes_every_file_it_lists(widget: Path) -> None:
    assert sorted(snapshot(widget)) == sorted(WIDGET_FILES)


def test_generated_command_runs_right_after_an_editable_install(widget_venv: VirtualEnvironment) -> None:
    result = widget_venv.run("myapp", "my-widget", "Ada")
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello from my-widget, Ada!\n", "")


def test_generated_hook_runs_after_the_command(widget_venv: VirtualEnvironment) -> None:
    result = widget_venv.run("myapp", "-v", "my-widget", "Ada")
    assert (result.returncode, result.stdout) == (0, "Hello from my-widget, Ada!\n")
    assert "my-widget greeted Ada" in result.stderr.splitlines()


def test_generated_package_passes_its_own_tests(widget_venv: VirtualEnvironment, widget: Path) -> None:
    result = widget_venv.run("pytest", "-q", "-p", "no:cacheprovider", str(widget))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_plugin_new_refuses_to_overwrite_a_folder_that_is_not_empty(
    installed: VirtualEnvironment, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    project = out / "my-widget"
    project.mkdir(parents=True)
    (project / "setup.cfg").write_text("[metadata]\nname = mine\n", encoding="utf-8")
    before = snapshot(out)
    result = installed.run("myapp", "plugin", "new", "my-widget", "--dir", str(out))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"myapp: error: '{project}' already exists and is not empty",
        f"hint: choose another NAME or --dir, or remove '{project}' first",
    ]
    assert snapshot(out) == before


def test_plugin_new_refuses_an_invalid_name(installed: VirtualEnvironment, tmp_path: Path) -> None:
    result = installed.run("myapp", "plugin", "new", "my widget", "--dir", str(tmp_path / "out"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "myapp: error: 'my widget' is not a valid distribution name",
        "hint: use letters and digits, with '-', '_' or '.' between them, e.g. 'my-widget'",
    ]
    assert not (tmp_path / "out").exists()
