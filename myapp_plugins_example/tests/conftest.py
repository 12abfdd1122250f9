"""Keep myapp's caches and settings for these tests out of the user's home."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_myapp_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("CACHE", "CONFIG", "DATA"):
        monkeypatch.setenv(f"MYAPP_{kind}_DIR", str(tmp_path / kind.lower()))
