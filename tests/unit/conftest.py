"""Unit-test fixtures: a throw-away site folder, a known cache folder, and no state leaking between tests.

The app changes process-wide state as it runs (root logger handlers, stevedore's entry-point
cache, cliff's module -> distribution map, imported plugin modules); every test gets it back
as it found it, so tests can run in any order.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stevedore
from cliff import command as cliff_command

from myapp.index import _stamps
from tests.helpers.distributions import Distribution, install_into

_UNIT_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Turn warnings into errors in the unit tests (the style guide's ``filterwarnings = error``)."""
    for item in items:
        if _UNIT_TESTS in item.path.parents:
            item.add_marker(pytest.mark.filterwarnings("error"))


@pytest.fixture(autouse=True)
def _restore_process_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    entry_point_cache = dict(stevedore.ExtensionManager.ENTRY_POINT_CACHE)
    dists_by_mods = cliff_command._dists_by_mods
    modules = set(sys.modules)
    yield
    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)
    stevedore.ExtensionManager.ENTRY_POINT_CACHE.clear()
    stevedore.ExtensionManager.ENTRY_POINT_CACHE.update(entry_point_cache)
    cliff_command._dists_by_mods = dists_by_mods
    temporary = tmp_path_factory.getbasetemp()
    for name in set(sys.modules) - modules:
        module_file = getattr(sys.modules[name], "__dict__", {}).get("__file__") or ""
        if Path(module_file).is_relative_to(temporary):
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _folders_settle_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests install and read at once: an index is cached even when a folder changed a moment ago.

    The tests of the settling time itself set it back.
    """
    monkeypatch.setattr(_stamps, "SETTLING_TIME_NS", 0)


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder on ``sys.path`` where plugins get "installed"."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.fixture
def install(site_dir: Path) -> Callable[[Distribution], Path]:
    """Write a distribution into :func:`site_dir`; returns its dist-info folder."""
    return lambda distribution: install_into(distribution, site_dir)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder ``MYAPP_CACHE_DIR`` points at (not created)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MYAPP_CACHE_DIR", str(folder))
    return folder
