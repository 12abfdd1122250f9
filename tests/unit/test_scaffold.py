"""``plugin new``, run in-process: names, the files it writes, and what it refuses to do."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from string import Template

import pytest

from myapp.builtin.scaffold import REQUIREMENT_ADVICE, command_name, package_name, requirement, write_project
from myapp.errors import MyappError
from myapp.identity import MYAPP, Identity
from myapp.testing import Result, run
from tests.helpers.distributions import Distribution
from tests.helpers.scaffold import WIDGET_FILES
from tests.helpers.venvs import REPOSITORY


def new(*arguments: str, **options: object) -> Result:
    """``plugin new`` with no plugins installed: only the built-in commands exist."""
    return run(["plugin", "new", *arguments], path=[], **options)


def files_under(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def setup_cfg(project: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(project / "setup.cfg", encoding="utf-8")
    return parser


def test_plugin_new_lists_the_files_it_created(tmp_path: Path) -> None:
    result = new("my-widget", "--dir", str(tmp_path), "-f", "csv", "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    rows = [line.split(",", 1) for line in result.stdout.splitlines()]
    assert rows[0] == ['"File"', '"Purpose"']
    assert [path.strip('"') for path, _ in rows[1:]] == [str(tmp_path / "my-widget" / f) for f in WIDGET_FILES]
    assert files_under(tmp_path / "my-widget") == sorted(WIDGET_FILES)


def test_plugin_new_tells_what_to_do_next_on_stderr(tmp_path: Path) -> None:
    result = new("my-widget", "--dir", str(tmp_path), "-f", "value")
    assert result.exit_code == 0
    assert result.stderr == (
        f"created plugin 'my-widget'; next: cd {tmp_path / 'my-widget'} && pip install -e . && myapp my-widget Ada\n"
    )


def test_setup_cfg_requires_this_major_version_and_registers_the_command_and_hook(tmp_path: Path) -> None:
    assert new("my-widget", "--dir", str(tmp_path), version="2.3.1").exit_code == 0
    config = setup_cfg(tmp_path / "my-widget")
    assert config["metadata"]["name"] == "my-widget"
    assert config["options"]["packages"] == "my_widget"
    assert config["options"]["install_requires"].split() == ["myapp>=2.3,<3", "cliff>=4.7"]
    entry_points = config["options.entry_points"]
    assert entry_points["myapp.commands"].strip() == "my-widget = my_widget.commands:MyWidget"
    assert entry_points["myapp.hooks.post_my_widget"].strip() == "log_greeting = my_widget.hooks:log_greeting"


def test_generated_python_files_compile(tmp_path: Path) -> None:
    assert new("my-widget", "--dir", str(tmp_path)).exit_code == 0
    for path in (tmp_path / "my-widget").rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_readme_explains_install_run_and_test(tmp_path: Path) -> None:
    assert new("my-widget", "--dir", str(tmp_path)).exit_code == 0
    readme = (tmp_path / "my-widget" / "README.md").read_text(encoding="utf-8")
    for line in ("    pip install -e .", "    myapp my-widget Ada", "    python -m pytest"):
        assert line in readme.splitlines()
    assert "after changing them, reinstall, by\nrunning `pip install -e .` again" in readme


def test_generated_command_and_hook_run_once_installed(
    tmp_path: Path, site_dir: Path, install, cache_dir: Path
) -> None:
    assert new("my-widget", "--dir", str(tmp_path)).exit_code == 0
    project = tmp_path / "my-widget"
    sources = {f: (project / f).read_text(encoding="utf-8") for f in WIDGET_FILES if f.startswith("my_widget/")}
    entry_points = setup_cfg(project)["options.entry_points"]
    install(
        Distribution(
            name="my-widget",
            files=sources,
            entry_points={group: dict([line.split(" = ")]) for group, line in entry_points.items()},
        )
    )
    result = run(["-v", "my-widget", "Ada"], path=[str(site_dir)])
    assert (result.exit_code, result.stdout) == (0, "Hello from my-widget, Ada!\n")
    assert "my-widget greeted Ada" in result.stderr.splitlines()


def test_an_empty_existing_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "my-widget").mkdir()
    assert new("my-widget", "--dir", str(tmp_path)).exit_code == 0
    assert files_under(tmp_path / "my-widget") == sorted(WIDGET_FILES)


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    assert new("my-widget", "--dir", str(tmp_path / "a" / "b")).exit_code == 0
    assert (tmp_path / "a" / "b" / "my-widget" / "setup.cfg").is_file()


def test_a_folder_that_is_not_empty_is_left_alone(tmp_path: Path) -> None:
    project = tmp_path / "my-widget"
    project.mkdir()
    (project / "setup.cfg").write_text("mine\n", encoding="utf-8")
    result = new("my-widget", "--dir", str(tmp_path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"myapp: error: '{project}' already exists and is not empty",
        f"hint: choose another NAME or --dir, or remove '{project}' first",
    ]
    assert files_under(project) == ["setup.cfg"]
    assert (project / "setup.cfg").read_text(encoding="utf-8") == "mine\n"


def test_a_file_in_the_way_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "my-widget").write_text("mine\n", encoding="utf-8")
    result = new("my-widget", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"myapp: error: '{tmp_path / 'my-widget'}' already exists and is not a directory\n")
    assert (tmp_path / "my-widget").read_text(encoding="utf-8") == "mine\n"


def test_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "my-widget").symlink_to(elsewhere, target_is_directory=True)
    result = new("my-widget", "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"myapp: error: '{tmp_path / 'out' / 'my-widget'}' is a symbolic link\n")
    assert list(elsewhere.iterdir()) == []


def test_an_unwritable_folder_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "my-widget").write_text("", encoding="utf-8")
    result = new("my-widget", "--dir", str(tmp_path / "my-widget" / "below"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"myapp: error: cannot create '{tmp_path / 'my-widget'}")
    assert "Traceback" not in result.stderr


def test_a_failure_half_way_removes_what_was_written(tmp_path: Path) -> None:
    root = tmp_path / "out" / "my-widget"
    with pytest.raises(MyappError, match="cannot create"):
        write_project(root, {"a.txt": "1", "sub/b.txt": "2", "sub/b.txt/c.txt": "3"})
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    "name", ["my widget", "-widget", "widget-", "my/widget", "../widget", "wid+get", "ü", "\u212aelvin", "widget\n"]
)
def test_invalid_distribution_names_are_refused(name: str, tmp_path: Path) -> None:
    result = new("--dir", str(tmp_path / "out"), "--", name)
    assert (result.exit_code, result.stdout) == (2, "")
    shown = name.replace("\n", "\\n")  # control characters are escaped: the error stays one line
    assert result.stderr == (
        f"myapp: error: '{shown}' is not a valid distribution name\n"
        "hint: use letters and digits, with '-', '_' or '.' between them, e.g. 'my-widget'\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("2fa", "would make the package '2fa', which is not a Python name"),
        ("class", "would make the package 'class', which is not a Python name"),
        ("json", "would make the package 'json', which would shadow the module of that name"),
        ("tests", "would make the package 'tests', which would shadow the module of that name"),
        ("cliff", "would make the package 'cliff', which would shadow the module of that name"),
        ("myapp", "would make the package 'myapp', which would shadow the module of that name"),
    ],
)
def test_names_whose_package_cannot_work_are_refused(name: str, problem: str, tmp_path: Path) -> None:
    result = new(name, "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"myapp: error: '{name}' {problem}",
        f"hint: choose another name, e.g. 'myapp-{name}'",
    ]
    assert not (tmp_path / "out").exists()


def test_a_name_that_is_a_built_in_command_is_refused(tmp_path: Path) -> None:
    result = new("help", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("myapp: error: 'help' would add the command 'help', which 'myapp' already has\n")


@pytest.mark.parametrize(
    ("distribution", "package"), [("my-widget", "my_widget"), ("My.Widget", "my_widget"), ("a__b--c", "a_b_c")]
)
def test_package_name_is_the_normalized_distribution_name(distribution: str, package: str) -> None:
    assert package_name(distribution) == package


@pytest.mark.parametrize(
    ("distribution", "command"),
    [
        ("my-widget", "my-widget"),
        ("My.Widget", "my-widget"),
        ("myapp-deploy", "deploy"),
        ("myapp-plugin-deploy", "deploy"),
        ("myapp-plugins-deploy", "deploy"),
        ("myapp-help", "myapp-help"),  # 'help' is taken
        ("myapp-plugin", "myapp-plugin"),  # 'plugin' is a command group
        ("myapp-2fa", "myapp-2fa"),  # a command starts with a letter
    ],
)
def test_command_name_drops_the_tool_prefix_when_it_can(distribution: str, command: str) -> None:
    assert command_name(distribution, MYAPP, ["help", "plugin list"]) == command


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", "myapp>=0.1,<0.2"),
        ("0.9.3", "myapp>=0.9,<0.10"),
        ("2.3.1", "myapp>=2.3,<3"),
        ("3", "myapp>=3.0,<4"),
        ("1.0.dev1", "myapp>=1.0,<2"),
    ],
)
def test_requirement_allows_the_releases_that_keep_what_plugins_use(version: str, expected: str) -> None:
    assert requirement("myapp", version) == expected


def words(text: str) -> str:
    """*text* as a reader sees it: no comment marks, code markup or line breaks."""
    return " ".join(re.sub(r"^# ", "", text, flags=re.MULTILINE).replace("`", "").split())


def test_the_advice_on_the_requirement_gives_the_requirements_the_scaffold_writes() -> None:
    advice = Template(REQUIREMENT_ADVICE).substitute(tool="myapp")

    assert f"({requirement('myapp', '0.1.0')})" in advice
    assert f"({requirement('myapp', '1.2.5')})" in advice


@pytest.mark.parametrize("document", ["README.md", "docs/plugin-guide.rst"])
def test_the_readme_and_the_plugin_guide_give_the_scaffold_s_advice_on_the_requirement_word_for_word(
    document: str,
) -> None:
    advice = Template(REQUIREMENT_ADVICE).substitute(tool="myapp")

    assert advice in words((REPOSITORY / document).read_text(encoding="utf-8"))


def test_the_generated_setup_cfg_gives_the_advice_above_the_requirement(tmp_path: Path) -> None:
    assert new("my-widget", "--dir", str(tmp_path)).exit_code == 0
    text = (tmp_path / "my-widget" / "setup.cfg").read_text(encoding="utf-8")
    comment = text.partition("\ninstall_requires =")[0].rpartition("python_requires = >=3.10\n")[2]

    assert words(comment) == Template(REQUIREMENT_ADVICE).substitute(tool="myapp")
    assert all(len(line) <= 88 for line in comment.splitlines())


def test_an_unparsable_version_gives_a_bare_requirement() -> None:
    assert requirement("myapp", "unknown") == "myapp"


def test_a_second_tool_gets_its_own_scaffold(tmp_path: Path) -> None:
    acme = Identity("acme", distribution="acme-cli")
    result = new("acme-ping", "--dir", str(tmp_path), identity=acme, version="2.3.1")
    assert result.exit_code == 0
    project = tmp_path / "acme-ping"
    config = setup_cfg(project)
    assert config["options"]["install_requires"].split() == ["acme-cli>=2.3,<3", "cliff>=4.7"]
    assert set(config["options.entry_points"]) == {"acme.commands", "acme.hooks.post_ping"}
    assert "myapp" not in (project / "setup.cfg").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "    acme ping Ada" in readme.splitlines()
    assert "myapp" not in readme.replace("`myapp.testing.run`", "")  # the framework's module, which acme runs on
    tests = (project / "tests" / "test_acme_ping.py").read_text(encoding="utf-8")
    assert "def myapp_identity() -> Identity:\n" in tests  # the framework's fixtures, pointed at acme
    assert '    return Identity("acme", distribution="acme-cli")\n' in tests
    assert 'myapp_run(["ping", "Ada"])' in tests
