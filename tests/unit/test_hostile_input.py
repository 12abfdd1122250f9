"""Whatever a user types or writes, the answer is a documented status and one-line errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myapp.builtin import BUILTIN_COMMANDS
from myapp.testing import Result, run

#: In-process runs take milliseconds; a modest number of examples keeps the suite fast.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIRST_WORDS = {name.split()[0] for name in BUILTIN_COMMANDS}


def builtins_only(argv: list[str], tmp_path: Path, **env: str) -> Result:
    empty = tmp_path / "no-plugins-here"
    empty.mkdir(exist_ok=True)
    return run(argv, path=[str(empty)], env=env)


def assert_clean_failure(result: Result) -> None:
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("myapp: error: ")


@FAST
@given(text=st.text())
def test_any_config_file_is_read_or_refused_with_its_position(tmp_path: Path, cache_dir: Path, text: str) -> None:
    config = tmp_path / "any.toml"
    config.write_text(text, encoding="utf-8")
    result = builtins_only(["--config", str(config), "config", "path"], tmp_path)
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert_clean_failure(result)
        assert result.stderr.startswith(f"myapp: error: {config}")


@FAST
@given(words=st.lists(st.text(min_size=1).filter(lambda word: not word.startswith("-")), min_size=1, max_size=5))
def test_any_unknown_command_is_a_usage_error_with_a_hint(tmp_path: Path, cache_dir: Path, words: list[str]) -> None:
    if words[0].split()[:1] and words[0].split()[0] in FIRST_WORDS:  # one argument may hold a name's words
        words = ["x" + words[0], *words[1:]]
    result = builtins_only(words, tmp_path)
    assert result.exit_code == 2
    assert_clean_failure(result)
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith("myapp: error: unknown command '")
    assert hint.startswith("hint: ") and hint.endswith("'myapp help' lists all commands")


@FAST
@given(option=st.text(min_size=1).map(lambda text: "--" + text))
def test_any_unknown_global_option_is_a_usage_error(tmp_path: Path, cache_dir: Path, option: str) -> None:
    result = builtins_only([option, "config", "path"], tmp_path)
    if result.exit_code == 0:  # it was a real option (or one taking the next word as its value)
        return
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and result.stdout == ""


@FAST
@given(
    variable=st.sampled_from(
        ["MYAPP_DEBUG", "MYAPP_VERBOSE", "MYAPP_NO_PLUGINS", "MYAPP_DISABLE_PLUGINS", "MYAPP_QUIET"]
    ),
    value=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
)
def test_any_environment_value_is_used_or_refused_in_one_line(
    tmp_path: Path, cache_dir: Path, variable: str, value: str
) -> None:
    result = builtins_only(["config", "path"], tmp_path, **{variable: value})
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert_clean_failure(result)
        assert result.stderr.startswith(f"myapp: error: {variable}=")


def assert_one_argument_error(result: Result, command: str) -> None:
    """Exit 2 and exactly two lines: the error about *command*'s arguments and a hint that points at its help."""
    assert result.exit_code == 2
    assert_clean_failure(result)
    error, hint = result.stderr.splitlines()
    assert error.startswith(f"myapp: error: {command}: unrecognized arguments: ")
    assert hint.startswith("hint: ") and hint.endswith(f"'myapp help {command}' lists its options")


@FAST
@given(option=st.text(min_size=1).map(lambda text: "--x-" + text))  # no option of 'config path' starts so
def test_any_unknown_command_option_is_one_error_line_and_a_hint(tmp_path: Path, cache_dir: Path, option: str) -> None:
    assert_one_argument_error(builtins_only(["config", "path", option], tmp_path), "config path")


@FAST
@given(words=st.lists(st.text().filter(lambda word: not word.startswith("-")), min_size=1, max_size=5))
def test_any_extra_words_after_a_command_are_one_error_line_and_a_hint(
    tmp_path: Path, cache_dir: Path, words: list[str]
) -> None:
    assert_one_argument_error(builtins_only(["config", "path", *words], tmp_path), "config path")
