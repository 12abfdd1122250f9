"""Both packages install the ways users install them, and build as a release: sdists and wheels that install."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.helpers.listing import command_rows
from tests.helpers.readme import readme_commands, steps
from tests.helpers.releases import Release
from tests.helpers.venvs import REPOSITORY, VirtualEnvironment


@pytest.fixture(scope="module")
def editable(tmp_path_factory: pytest.TempPathFactory) -> VirtualEnvironment:
    environment = VirtualEnvironment.create(tmp_path_factory.mktemp("editable") / "venv")
    environment.pip("install", "-e", str(REPOSITORY), "-e", str(REPOSITORY / "myapp_plugins_example"))
    return environment


def test_editable_installs_of_both_packages_work(editable: VirtualEnvironment) -> None:
    result = editable.run("myapp", "hello", "editable")
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello, Editable!\n", "")


def test_editable_install_lists_the_example_commands(editable: VirtualEnvironment) -> None:
    rows = command_rows(editable.run("myapp", "--help").stdout)
    assert rows["greeting show"] == "Show one greeting by its language code (myapp-plugins-example)"


def test_python_dash_m_runs_the_app(installed: VirtualEnvironment, tmp_path: Path) -> None:
    result = installed.command([str(installed.python), "-m", "myapp", "hello"])
    assert (result.returncode, result.stdout) == (0, "Hello, World!\n")


def test_example_plugin_declares_its_myapp_requirement(installed: VirtualEnvironment) -> None:
    result = installed.command(
        [str(installed.python), "-c", "import importlib.metadata as m; print(m.requires('myapp-plugins-example'))"]
    )
    assert "myapp<0.2,>=0.1" in result.stdout


def test_python_m_build_makes_an_sdist_and_a_wheel_of_each_distribution_with_its_license(
    releases: dict[str, Release],
) -> None:
    license_text = (REPOSITORY / "LICENSE").read_bytes()

    assert sorted(releases) == ["myapp", "myapp-plugins-example"]
    for name, release in releases.items():
        root = release.sdist.name.removesuffix(".tar.gz")
        with tarfile.open(release.sdist) as sdist:
            files = {member: sdist.extractfile(f"{root}/{member}") for member in ("LICENSE", "README.md")}
            assert all(files.values())
            assert files["LICENSE"].read() == license_text  # type: ignore[union-attr]
            has_changelog = f"{root}/CHANGELOG.md" in sdist.getnames()
        with zipfile.ZipFile(release.wheel) as wheel:
            (license_file,) = [file for file in wheel.namelist() if file.endswith(".dist-info/licenses/LICENSE")]
            assert wheel.read(license_file) == license_text
        assert has_changelog is (name == "myapp")


def test_the_license_is_the_apache_license_the_metadata_names() -> None:
    text = (REPOSITORY / "LICENSE").read_text()

    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    for setup_cfg in (REPOSITORY / "setup.cfg", REPOSITORY / "myapp_plugins_example" / "setup.cfg"):
        assert "\nlicense = Apache-2.0\n" in setup_cfg.read_text()


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_the_built_distributions_install_in_a_fresh_environment_and_pass_the_smoke_test(
    releases: dict[str, Release], kind: str, tmp_path: Path
) -> None:
    # Where the README's first command makes it, so that its last step runs here word for word.
    environment = VirtualEnvironment.create(tmp_path / ".venv")
    environment.pip("install", *(str(getattr(release, kind)) for release in releases.values()))

    # The README's smoke test, away from any source tree: the installed copy answers.
    hello = environment.command(steps(readme_commands()[0])[-1], cwd=tmp_path)
    check = environment.run("myapp", "plugin", "check", "-q")

    assert (hello.returncode, hello.stdout, hello.stderr) == (0, "Hello, World!\n", "")
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")
