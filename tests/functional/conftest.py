"""One virtual environment per test session, with myapp and the test plugins pip-installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import plugins
from tests.helpers.distributions import build_wheel
from tests.helpers.releases import PROJECTS, Release, build_release
from tests.helpers.venvs import VirtualEnvironment


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every test plugin, built once as a wheel."""
    folder = tmp_path_factory.mktemp("wheels")
    return {distribution.name: build_wheel(distribution, folder) for distribution in plugins.ALL}


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Release]:
    """myapp and the example plugin built by ``python -m build``, once: every environment installs these wheels."""
    folder = tmp_path_factory.mktemp("releases")
    return {name: build_release(project, folder / name) for name, project in PROJECTS.items()}


@pytest.fixture(scope="session")
def installed(
    tmp_path_factory: pytest.TempPathFactory, releases: dict[str, Release], wheels: dict[str, Path]
) -> VirtualEnvironment:
    """A venv with myapp, the example plugin and every test plugin installed by pip."""
    environment = VirtualEnvironment.create(tmp_path_factory.mktemp("session") / "venv")
    environment.pip("install", *(str(release.wheel) for release in releases.values()))
    environment.pip("install", "--no-deps", *map(str, wheels.values()))
    return environment
