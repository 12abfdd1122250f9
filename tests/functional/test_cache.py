"""The entry-point cache follows what is installed, from one run to the next."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, install_into
from tests.helpers.venvs import VirtualEnvironment


def plugin(version: str = "1.0", doc: str = "First edition.") -> Distribution:
    return Distribution(
        name="myapp-changing",
        version=version,
        files={
            "changing_plugin/__init__.py": f"""
                from cliff.command import Command


                class Edition(Command):
                    \"\"\"{doc}\"\"\"

                    def take_action(self, parsed_args):
                        self.app.stdout.write("{version}\\n")
            """
        },
        entry_points={"myapp.commands": {"edition": "changing_plugin:Edition"}},
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


def run(installed: VirtualEnvironment, site: Path, *arguments: str):
    return installed.run("myapp", *arguments, env={"PYTHONPATH": str(site)})


def cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "myapp").glob("entry-points-*.json"))


def test_entry_points_edited_in_place_are_seen_by_the_next_run(installed, site: Path) -> None:
    dist_info = install_into(plugin(), site)
    assert run(installed, site, "edition").stdout == "1.0\n"
    entry_points = dist_info / "entry_points.txt"
    entry_points.write_text(entry_points.read_text().replace("edition =", "printing ="))
    assert run(installed, site, "printing").stdout == "1.0\n"
    assert run(installed, site, "edition").returncode == 2


def test_installed_and_removed_plugins_are_seen_by_the_next_run(installed, site: Path) -> None:
    assert run(installed, site, "edition").returncode == 2
    dist_info = install_into(plugin(), site)
    assert run(installed, site, "edition").returncode == 0
    shutil.rmtree(dist_info)
    assert run(installed, site, "edition").returncode == 2


def test_upgrade_in_place_refreshes_the_help_description(installed, site: Path) -> None:
    old = install_into(plugin(), site)
    assert "First edition (myapp-changing)" in run(installed, site, "--help").stdout
    shutil.rmtree(old)
    install_into(plugin("2.0", "Second edition."), site)
    help_text = run(installed, site, "--help").stdout
    assert "Second edition (myapp-changing)" in help_text
    assert run(installed, site, "edition").stdout == "2.0\n"


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"format": 1}', '{"format": 1, "fingerprint": 5}', ""])
def test_corrupt_cache_is_rebuilt(installed, site: Path, isolated_home: Path, garbage: str) -> None:
    install_into(plugin(), site)
    assert run(installed, site, "edition").returncode == 0
    for cache_file in cache_files(isolated_home):
        cache_file.write_text(garbage)
    result = run(installed, site, "edition")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1.0\n", "")
    assert all(json.loads(f.read_text())["format"] == 1 for f in cache_files(isolated_home))


def test_cache_matching_the_fingerprint_but_of_the_wrong_shape_is_rebuilt(
    installed, site: Path, isolated_home: Path
) -> None:
    install_into(plugin(), site)
    run(installed, site, "edition")
    for cache_file in cache_files(isolated_home):
        data = json.loads(cache_file.read_text())
        data["distributions"] = [{"name": 3}]
        cache_file.write_text(json.dumps(data))
    assert run(installed, site, "edition").stdout == "1.0\n"


def test_unwritable_cache_directory_still_runs(installed, site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    install_into(plugin(), site)
    result = installed.run(
        "myapp", "edition", env={"PYTHONPATH": str(site), "MYAPP_CACHE_DIR": str(blocker / "cache")}
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1.0\n", "")
