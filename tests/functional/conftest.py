"""One virtual environment per test session, with myapp and the test plugins pip-installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import plugins
from tests.helpers.distributions import build_wheel
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every test plugin, built once as a wheel."""
    folder = tmp_path_factory.mktemp("wheels")
    return {distribution.name: build_wheel(distribution, folder) for distribution in plugins.ALL}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, wheels: dict[str, Path]) -> VirtualEnvironment:
    """A venv with myapp, the example plugin and every test plugin installed by pip."""
    environment = VirtualEnvironment.create(tmp_path_factory.mktemp("session") / "venv")
    environment.pip("install", str(REPOSITORY), str(REPOSITORY / "myapp_plugins_example"))
    environment.pip("install", "--no-deps", *map(str, wheels.values()))
    return environment
