"""``bug-report``: versions and state for pasting into an issue, from metadata only."""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from pathlib import Path

from myapp import __version__
from myapp.testing import run
from tests.helpers.distributions import Distribution
from tests.helpers.plugins import BROKEN, LAZY

Install = Callable[[Distribution], Path]


def test_json_report_names_every_version_and_plugin(install: Install, site_dir: Path, cache_dir: Path) -> None:
    install(LAZY)
    install(BROKEN)
    result = run(["--disable-plugin", "myapp-broken", "bug-report", "-f", "json"], path=[str(site_dir)])
    assert (result.exit_code, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    assert report["myapp"] == __version__
    assert report["Python"].startswith(f"{platform.python_implementation()} {platform.python_version()} (")
    assert report["OS"] == platform.platform()
    assert sorted(report["Plugins"], key=lambda plugin: plugin["Name"]) == [
        {"Name": "myapp-broken", "Version": "1.0", "State": "disabled by config"},
        {"Name": "myapp-lazy", "Version": "1.0", "State": "enabled"},
    ]


def test_text_report_imports_no_plugin_and_names_only_the_variables_set(
    install: Install, site_dir: Path, cache_dir: Path, marker_dir: Path
) -> None:
    install(LAZY)
    result = run(["bug-report", "-f", "value"], path=[str(site_dir)], env={"MYAPP_PROFILE": ""})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == __version__
    assert "myapp-lazy 1.0 (enabled)" in lines
    assert "MYAPP_CACHE_DIR" in lines and str(cache_dir) not in result.stdout
    assert list(marker_dir.iterdir()) == []
