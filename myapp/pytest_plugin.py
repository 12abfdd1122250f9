"""pytest fixtures for testing plugins (and tools) built on the framework, from :mod:`myapp.testing`.

Installing the framework registers this module with pytest (entry point
``pytest11``), so a plugin's tests use the fixtures without importing anything:

``myapp_run``
    :func:`myapp.testing.run` with a private home folder: runs the tool
    in-process and returns a :class:`~myapp.testing.Result`.
``myapp_plugin_env``
    a :class:`~myapp.testing.PluginEnvironment`: ``install()`` pip-installs
    throw-away :class:`~myapp.testing.Distribution` objects that only this
    test sees, ``run()`` runs the tool as a program.
``myapp_home``
    the private home folder: ``HOME`` and the XDG folders point into the
    test's temporary folder, so do the tool's ``<PREFIX>_CACHE_DIR``,
    ``_CONFIG_DIR`` and ``_DATA_DIR``; every other ``<PREFIX>_*`` variable is unset.
``myapp_identity``
    the tool under test, :data:`myapp.identity.MYAPP`. Override it (in a
    ``conftest.py``) to test a plugin of another tool built on the framework.
``myapp_venv`` (session)
    the virtual environment behind ``myapp_plugin_env``: made once, it sees
    what is installed where pytest runs (the tool, the plugin being developed).

The fixtures' names start with the framework's package name.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from .identity import MYAPP, Identity

if TYPE_CHECKING:
    from .testing import PluginEnvironment, Result, VirtualEnvironment

#: The fixtures are named ``<framework>_<what>``, after the package they come from.
_FRAMEWORK: Final = __name__.partition(".")[0]
#: The per-user folders the tool reads from ``<PREFIX>_<OPTION>`` variables.
_DIR_OPTIONS: Final = ("cache_dir", "config_dir", "data_dir")
_XDG_FOLDERS: Final = (
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_DATA_HOME", ".local/share"),
)


def _fixture_name(what: str) -> str:
    return f"{_FRAMEWORK}_{what}"


def _other(request: pytest.FixtureRequest, what: str) -> Any:
    """The value of another of these fixtures (their names are computed, so they cannot be parameters)."""
    return request.getfixturevalue(_fixture_name(what))


@pytest.fixture(name=_fixture_name("identity"))
def identity_fixture() -> Identity:
    """The tool under test; override this fixture to test a plugin of another tool."""
    return MYAPP


@pytest.fixture(name=_fixture_name("home"))
def home_fixture(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home folder for the tool; none of its settings come from outside the test."""
    identity: Identity = _other(request, "identity")
    home = tmp_path / f"{identity.name}-home"
    home.mkdir()
    for name in [name for name in os.environ if name.startswith(identity.env_prefix)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    for variable, folder in _XDG_FOLDERS:
        monkeypatch.setenv(variable, str(home / folder))
    for option in _DIR_OPTIONS:
        monkeypatch.setenv(identity.env_name(option), str(home / option))
    return home


@pytest.fixture(name=_fixture_name("run"))
def run_fixture(request: pytest.FixtureRequest) -> Callable[..., Result]:
    """:func:`myapp.testing.run` for the tool under test, in its private home folder."""
    from .testing import run

    _other(request, "home")
    return functools.partial(run, identity=_other(request, "identity"))


@pytest.fixture(scope="session", name=_fixture_name("venv"))
def venv_fixture(tmp_path_factory: pytest.TempPathFactory) -> VirtualEnvironment:
    """A virtual environment that sees what is installed where pytest runs; made once per session."""
    from .testing import VirtualEnvironment

    return VirtualEnvironment.create(tmp_path_factory.mktemp("venv") / "venv", inherit=True)


@pytest.fixture(name=_fixture_name("plugin_env"))
def plugin_env_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> PluginEnvironment:
    """Throw-away plugins installed for this test only, and the tool run as a program in the private home."""
    from .testing import PluginEnvironment

    _other(request, "home")
    return PluginEnvironment(_other(request, "venv"), tmp_path / "plugins", _other(request, "identity"))
