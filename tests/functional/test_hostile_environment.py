"""myapp in hostile surroundings: no home, unusable folders, odd bytes, huge command lines, no terminal."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.helpers.venvs import VirtualEnvironment

#: The start of every ANSI colour or cursor sequence.
ESCAPE = "\x1b"


def run_exactly(
    installed: VirtualEnvironment,
    argv: list[str | bytes],
    env: Mapping[str, str | bytes],
    *,
    timeout: float = 60,
    stdin: int | None = subprocess.DEVNULL,
) -> subprocess.CompletedProcess[bytes]:
    """Run myapp with exactly *env* (plus PATH and the marker folder), bytes in and out."""
    environment: dict[str | bytes, str | bytes] = {
        "PATH": os.environ["PATH"],
        "MYAPP_TEST_MARKER_DIR": os.environ["MYAPP_TEST_MARKER_DIR"],
        **env,
    }
    return subprocess.run(
        [str(installed.bin / "myapp"), *argv],
        env=environment,  # type: ignore[arg-type]
        stdin=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def test_no_home_and_no_xdg_folders(installed: VirtualEnvironment) -> None:
    result = run_exactly(installed, ["shout", "hi"], {})
    assert (result.returncode, result.stdout, result.stderr) == (0, b"HI\n", b"")


@pytest.mark.parametrize("home", ["/proc", "/dev/null"], ids=["read-only", "a file"])
def test_unusable_home_runs_without_caches_and_says_so_once_at_verbose(
    installed: VirtualEnvironment, home: str
) -> None:
    quiet = run_exactly(installed, ["--help"], {"HOME": home})
    assert quiet.returncode == 0
    assert b"Traceback" not in quiet.stderr and b"cache" not in quiet.stderr
    verbose = run_exactly(installed, ["-v", "--help"], {"HOME": home})
    assert verbose.returncode == 0
    mentions = [line for line in verbose.stderr.splitlines() if b"cache" in line]
    assert len(mentions) == 1
    assert mentions[0].startswith(f"cannot use the cache folder '{home}/.cache/myapp' (".encode())
    assert mentions[0].endswith(b"); running without caches")


def test_cache_and_config_folders_that_are_files(installed: VirtualEnvironment, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    env = {"MYAPP_CACHE_DIR": str(blocker / "cache"), "MYAPP_CONFIG_DIR": str(blocker / "config")}
    result = installed.run("myapp", "--help", env=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    disable = installed.run("myapp", "plugin", "disable", "myapp-lazy", env=env)
    assert disable.returncode == 2
    assert disable.stderr.startswith("myapp: error: ") and "Traceback" not in disable.stderr


@pytest.mark.parametrize(
    ("argument", "expected"),
    [(b"\xff\xfe", b"\xff\xfe\n"), (b"caf\xc3\xa9", b"CAF\xc3\x89\n")],
    ids=["not UTF-8", "UTF-8"],
)
def test_bytes_in_arguments_pass_through(installed: VirtualEnvironment, argument: bytes, expected: bytes) -> None:
    result = run_exactly(installed, ["shout", argument], {"HOME": os.environ["HOME"]})
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, b"")


@pytest.mark.parametrize(
    "variable", ["MYAPP_DISABLE_PLUGINS", "MYAPP_PROFILE", "MYAPP_CONFIG", "MYAPP_LOG_FILE", "HOME"]
)
def test_bytes_that_are_not_utf8_in_the_environment(installed: VirtualEnvironment, variable: str) -> None:
    env = {"HOME": os.environ["HOME"], variable: b"/tmp/\xff\xfe"}
    result = run_exactly(installed, ["shout", "hi"], env)
    assert result.returncode in (0, 2)
    assert b"Traceback" not in result.stderr
    if result.returncode:
        assert result.stderr.startswith(b"myapp: error: ")
    else:
        assert result.stdout == b"HI\n"


def test_a_100_000_character_argument(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "shout", "x" * 100_000)
    assert (result.returncode, result.stdout, result.stderr) == (0, "X" * 100_000 + "\n", "")


def test_30_000_arguments_are_parsed_in_linear_time(installed: VirtualEnvironment) -> None:
    words = [str(number) for number in range(30_000)]
    # cliff's own lookup tries every prefix of the command line: about 450 million word comparisons here.
    result = installed.run("myapp", "shout", *words, timeout=30)
    assert (result.returncode, result.stdout) == (0, " ".join(words) + "\n")
    unknown = installed.run("myapp", "nosuch", *words, timeout=30)
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines()[0] == "myapp: error: unknown command 'nosuch'"


@pytest.mark.parametrize(
    "command", [("--help",), ("plugin", "list"), ("nosuch",), ("broken", "raise")], ids=lambda c: " ".join(c)
)
def test_no_colour_on_a_dumb_terminal_or_with_no_color(installed: VirtualEnvironment, command: tuple[str, ...]) -> None:
    result = installed.run("myapp", *command, env={"TERM": "dumb", "NO_COLOR": "1"})
    assert "Traceback" not in result.stderr
    assert ESCAPE not in result.stdout + result.stderr


@pytest.mark.parametrize("stdin", ["closed", "null device"])
def test_no_command_without_a_terminal_prints_help_and_does_not_wait(installed: VirtualEnvironment, stdin: str) -> None:
    redirect = "<&-" if stdin == "closed" else "</dev/null"
    result = subprocess.run(
        ["bash", "-c", f"'{installed.bin / 'myapp'}' {redirect}"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "Commands:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("locale", [{"LANG": "C", "LC_ALL": "C"}, {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0"}])
def test_c_locale(installed: VirtualEnvironment, locale: dict[str, str]) -> None:
    result = run_exactly(installed, ["shout", "café"], {"HOME": os.environ["HOME"], **locale})
    assert (result.returncode, result.stdout.decode("utf-8"), result.stderr) == (0, "CAFÉ\n", b"")
    error = run_exactly(installed, ["nosuch"], {"HOME": os.environ["HOME"], **locale})
    assert error.returncode == 2 and error.stderr.startswith(b"myapp: error: unknown command 'nosuch'")


BAD_INPUT = {
    "unknown command": (("helo",), "myapp: error: unknown command 'helo'", "did you mean 'hello'"),
    "unknown option": (("--no-plugin", "hello"), "myapp: error: unknown option '--no-plugin'", "'--no-plugins'"),
    "command as an option": (
        ("--bug-report",),
        "myapp: error: unknown option '--bug-report'",
        "run 'myapp bug-report'",
    ),
    "plugin to enable": (("plugin", "enable", "myapp-goood"), "called 'myapp-goood'; did you mean 'myapp-good'?", ""),
    "plugin to disable": (("plugin", "disable", "myapp-goood"), "called 'myapp-goood'; did you mean 'myapp-good'?", ""),
    "plugin to show": (("plugin", "show", "myapp-goood"), "called 'myapp-goood'; did you mean 'myapp-good'?", ""),
    "missing --config": (("--config", "/nonexistent/x.toml", "hello"), "'/nonexistent/x.toml' does not exist", ""),
    "folder as --config": (("--config", "/", "hello"), "config file '/' is not a file", ""),
    "unknown command option": (
        ("hello", "--shot"),
        "myapp: error: hello: unrecognized arguments: --shot",
        "did you mean '--shout'? 'myapp help hello' lists its options",
    ),
    "bad option value": (
        ("hello", "--times", "x"),
        "myapp: error: hello: argument --times: expected a whole number from 1, found 'x'",
        "'myapp help hello' lists its options",
    ),
    "missing argument": (
        ("plugin", "show"),
        "myapp: error: plugin show: the following arguments are required: name",
        "'myapp help plugin show' lists its options",
    ),
    "invalid choice": (
        ("completion", "tcsh"),
        "myapp: error: completion: argument shell: invalid choice: 'tcsh'",
        "'myapp help completion' lists its options",
    ),
    "bad global option value": (
        ("--log-format", "xml", "hello"),
        "myapp: error: argument --log-format: invalid choice: 'xml'",
        "'myapp --help' lists the options",
    ),
    "global options that exclude each other": (
        ("-v", "-q", "hello"),
        "myapp: error: argument -q/--quiet: not allowed with argument -v/--verbose",
        "'myapp --help' lists the options",
    ),
}


@pytest.mark.parametrize(("argv", "error", "hint"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_exit_2_with_one_line_and_a_suggestion(
    installed: VirtualEnvironment, argv: tuple[str, ...], error: str, hint: str
) -> None:
    result = installed.run("myapp", *argv)
    assert (result.returncode, result.stdout) == (2, "")
    first, second = result.stderr.splitlines()
    assert first.startswith("myapp: error: ") and error in first
    assert second.startswith("hint: ") and hint in second


@pytest.mark.parametrize(
    ("content", "position"),
    [(b"a = [1,\n", ":1:8: "), (b"debug = true\nx = \n", ":2:5: "), (b"\xff\n", ": cannot be read")],
)
def test_malformed_or_unreadable_config_file_names_file_line_and_column(
    installed: VirtualEnvironment, tmp_path: Path, content: bytes, position: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_bytes(content)
    result = installed.run("myapp", "--config", str(config), "hello")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"myapp: error: {config}{position}")
