"""Every test runs with its own home, XDG folders and no MYAPP_* settings from outside."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.helpers.plugins import MARKER_DIR_VARIABLE

_TOOL_PREFIXES = ("MYAPP_", "ACME_", "CLIFFLING_")


def pytest_configure(config: pytest.Config) -> None:
    """Give the programs the tests start Ctrl-C's default behaviour, even when pytest runs as a background job.

    A shell starts background jobs with SIGINT ignored, and a child inherits an ignored signal: the signal tests
    would then wait for programs that never stop.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and the XDG folders into the test's own temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    for name in list(os.environ):
        if name.startswith(_TOOL_PREFIXES):
            monkeypatch.delenv(name)
    return home


@pytest.fixture(autouse=True)
def marker_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder where test plugins record that they were imported."""
    folder = tmp_path / "markers"
    folder.mkdir()
    monkeypatch.setenv(MARKER_DIR_VARIABLE, str(folder))
    return folder
