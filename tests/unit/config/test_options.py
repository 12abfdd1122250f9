"""The global options: the parser, what the user typed as a configuration layer, and applying the result."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myapp.config.layers import load_config
from myapp.config.options import (
    ParagraphHelpFormatter,
    apply_config,
    build_parser,
    closest_option,
    fill_paragraphs,
    help_width,
    option_help,
    raise_usage_errors,
    two_columns,
    typed_settings,
    wrap,
)
from myapp.config.settings import SETTINGS
from myapp.errors import ExitCode, UsageError
from myapp.identity import MYAPP, Identity


@pytest.fixture
def parser() -> argparse.ArgumentParser:
    return build_parser(MYAPP, "A tool.", "1.2")


def typed(parser: argparse.ArgumentParser, *argv: str) -> dict[str, tuple[object, str]]:
    """What ``typed_settings`` makes of a command line (everything after the options is left alone)."""
    namespace, _ = parser.parse_known_args(list(argv))
    return typed_settings(parser, namespace)


def applied(parser: argparse.ArgumentParser, *argv: str, environ: dict[str, str] | None = None) -> argparse.Namespace:
    """The namespace a command sees: parsed, merged with the other layers, then applied."""
    namespace, _ = parser.parse_known_args(list(argv))
    config = load_config(MYAPP, command_line=typed_settings(parser, namespace), environ=environ or {})
    apply_config(namespace, config)
    return namespace


# --- the parser ------------------------------------------------------------------------------------------


def test_nothing_typed_leaves_only_the_help_flag(parser: argparse.ArgumentParser) -> None:
    namespace, remainder = parser.parse_known_args([])

    assert vars(namespace) == {"deferred_help": False}
    assert remainder == []


def test_every_setting_option_defaults_to_suppress(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if action.dest != "deferred_help":
            assert action.default is argparse.SUPPRESS, action.dest


@pytest.mark.parametrize("option", ["--no-plugin", "--no-plug", "--disable", "--verb", "--strict", "--log"])
def test_options_are_not_abbreviated(option: str, parser: argparse.ArgumentParser) -> None:
    namespace, remainder = parser.parse_known_args([option, "shout"])

    assert remainder == [option, "shout"]
    assert vars(namespace) == {"deferred_help": False}


def test_options_stop_at_the_command(parser: argparse.ArgumentParser) -> None:
    namespace, remainder = parser.parse_known_args(["--debug", "shout", "hello"])

    assert namespace.debug is True
    assert remainder == ["shout", "hello"]


def test_config_option_names_a_file_and_is_not_a_setting(parser: argparse.ArgumentParser) -> None:
    namespace, _ = parser.parse_known_args(["--config", "team.toml"])

    assert namespace.config_file == "team.toml"
    assert typed_settings(parser, namespace) == {}


def test_verbose_and_quiet_exclude_each_other(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        parser.parse_known_args(["-v", "-q"])

    assert caught.value.code == 2
    assert "argument -q/--quiet: not allowed with argument -v/--verbose" in capsys.readouterr().err


def test_version_option_prints_the_tool_name_and_version(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        parser.parse_known_args(["--version"])

    assert caught.value.code == 0
    assert capsys.readouterr().out == "myapp 1.2\n"


def test_help_is_deferred_to_the_app(parser: argparse.ArgumentParser) -> None:
    namespace, remainder = parser.parse_known_args(["--help", "shout"])

    assert namespace.deferred_help is True
    assert remainder == ["shout"]
    assert typed_settings(parser, namespace) == {}


def test_help_names_the_tool_and_its_variables(parser: argparse.ArgumentParser) -> None:
    text = parser.format_help()

    assert text.startswith("usage: myapp ")
    assert "A tool." in text
    assert "MYAPP_NO_PLUGINS=1" in text
    assert "MYAPP_VERBOSE=2" in text
    assert "MYAPP_DISABLE_PLUGINS=a,b" in text


def test_another_tool_s_help_names_its_own_variables() -> None:
    text = build_parser(Identity("acme"), "", "0.1").format_help()

    assert text.startswith("usage: acme ")
    assert "ACME_NO_PLUGINS=1" in text
    assert "MYAPP_" not in text


# --- fitting the terminal ------------------------------------------------------------------------


@pytest.mark.parametrize(("columns", "width"), [("100", 98), ("80", 78), ("12", 40)])
def test_help_width_is_columns_less_argparse_s_margin(
    columns: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)

    assert help_width() == width


def test_help_width_off_a_terminal_without_columns_is_80_less_the_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("sys.__stdout__", None)  # no terminal to ask

    assert help_width() == 78


@pytest.mark.parametrize("columns", [80, 50])
def test_global_help_fits_columns(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    text = build_parser(
        MYAPP, "A tool whose description is long enough to need two lines at any width. " * 2, "1"
    ).format_help()

    assert max(map(len, text.splitlines())) <= columns
    assert "MYAPP_DISABLE_PLUGINS=a,b) or in the config file." in " ".join(text.split())


def test_paragraphs_are_filled_one_by_one_and_indented_blocks_kept() -> None:
    description = (
        "First paragraph, long enough to be filled over two lines.\n"
        "Its second line.\n\n"
        "    an example = kept exactly as written, however long it is\n"
        "    second = line\n\n"
        "Last paragraph."
    )
    parser = argparse.ArgumentParser(
        prog="x", description=description, formatter_class=lambda prog: ParagraphHelpFormatter(prog, width=40)
    )

    assert parser.format_help().split("\n\n")[1:4] == [
        "First paragraph, long enough to be\nfilled over two lines. Its second line.",
        "    an example = kept exactly as written, however long it is\n    second = line",
        "Last paragraph.",
    ]


def test_a_command_s_formatter_fills_paragraphs_unless_it_keeps_descriptions_as_written() -> None:
    filled = fill_paragraphs(argparse.HelpFormatter)

    assert issubclass(filled, ParagraphHelpFormatter) and issubclass(filled, argparse.HelpFormatter)
    assert fill_paragraphs(argparse.HelpFormatter) is filled  # made once
    assert fill_paragraphs(argparse.RawDescriptionHelpFormatter) is argparse.RawDescriptionHelpFormatter
    assert fill_paragraphs(ParagraphHelpFormatter) is ParagraphHelpFormatter
    factory = lambda prog: argparse.HelpFormatter(prog)  # noqa: E731 - argparse accepts any callable
    assert fill_paragraphs(factory) is factory


@given(
    words=st.lists(st.text(alphabet="ab-/:.", min_size=1, max_size=30), max_size=30),
    width=st.integers(min_value=1, max_value=100),
    indent=st.sampled_from(["", "  ", " " * 20]),
    first=st.sampled_from([None, "", "  plugin show  "]),
)
def test_wrap_fills_as_textwrap_does_without_breaking_words(
    words: list[str], width: int, indent: str, first: str | None
) -> None:
    start = indent if first is None else first
    text = " ".join(words)
    expected = textwrap.wrap(
        text, width, initial_indent=start, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )

    assert wrap(text, width, indent, first) == (expected or [start])


def test_two_columns_wrap_each_text_under_its_own_column() -> None:
    rows = [("a", "short"), ("plugin show", "a text of several words that needs more than one line here")]

    assert two_columns(rows, width=40) == (
        "  a            short\n"
        "  plugin show  a text of several words\n"
        "               that needs more than one\n"
        "               line here\n"
    )


def test_two_columns_never_split_a_word_and_keep_room_for_the_text() -> None:
    rows = [("name", "see https://example.invalid/a-very-long-address-that-cannot-be-split ok")]

    lines = two_columns(rows, width=30).splitlines()

    assert lines[1].strip() == "https://example.invalid/a-very-long-address-that-cannot-be-split"
    assert two_columns([("n" * 30, "text " * 6)], width=20).splitlines()[0] == f"  {'n' * 30}  text text text text"


#: The destinations of the options declared by hand, because they are not settings.
NOT_SETTINGS = {"version", "deferred_help", "config_file"}


def check_options_match_the_table(parser: argparse.ArgumentParser) -> None:
    """Assert that each setting with an option has exactly one in *parser*, with its one help text.

    Every other option must be one of :data:`NOT_SETTINGS`.
    """
    from_settings = [action for action in parser._actions if action.dest not in NOT_SETTINGS]
    helps = [action.help for action in parser._actions]

    assert sorted(action.dest for action in from_settings) == sorted(k for k, s in SETTINGS.items() if s.options)
    for action in from_settings:
        setting = SETTINGS[action.dest]
        assert action.option_strings == list(setting.options), action.dest
        assert action.help == option_help(setting.help), action.dest
        assert helps.count(action.help) == 1, action.dest


def test_every_setting_option_is_made_once_from_the_table(parser: argparse.ArgumentParser) -> None:
    check_options_match_the_table(parser)


@pytest.mark.parametrize(
    ("option", "dest"),
    [("--strict", "strict_plugins"), ("--only-plugin", "only_plugins"), ("--colour", "colour")],
)
def test_a_hand_written_option_fails_the_table_check(option: str, dest: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument(option, dest=dest, action="store_true", help="Written by hand.")

    with pytest.raises(AssertionError):
        check_options_match_the_table(parser)


def test_a_help_text_that_drifted_fails_the_table_check(parser: argparse.ArgumentParser) -> None:
    parser._option_string_actions["--strict-plugins"].help = "Fail when a plugin is broken."

    with pytest.raises(AssertionError):
        check_options_match_the_table(parser)


def test_options_show_the_value_names_and_choices_of_the_table(parser: argparse.ArgumentParser) -> None:
    text = parser.format_help()

    assert "--log-format {text,json}" in text
    assert "--use NAME=N" in text


# --- typed_settings: the command-line layer ------------------------------------------------------------------------


def test_nothing_typed_is_no_settings(parser: argparse.ArgumentParser) -> None:
    assert typed(parser) == {}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--debug"], {"debug": (True, "--debug")}),
        (["--no-plugins"], {"no_plugins": (True, "--no-plugins")}),
        (["--strict-plugins"], {"strict_plugins": (True, "--strict-plugins")}),
        (["-q"], {"quiet": (True, "--quiet")}),
        (["--quiet"], {"quiet": (True, "--quiet")}),
        (["--log-file", "run.log"], {"log_file": (Path("run.log"), "--log-file")}),
        (["--log-file=run.log"], {"log_file": (Path("run.log"), "--log-file")}),
    ],
)
def test_each_typed_option_is_a_setting_with_the_option_as_origin(
    argv: list[str], expected: dict[str, tuple[object, str]], parser: argparse.ArgumentParser
) -> None:
    assert typed(parser, *argv) == expected


def test_typed_path_is_a_path_with_home_and_variables_expanded(
    parser: argparse.ArgumentParser, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGS", "/var/log/team")

    assert typed(parser, "--log-file", "~/run.log") == {"log_file": (isolated_home / "run.log", "--log-file")}
    assert typed(parser, "--log-file", "$LOGS/run.log") == {"log_file": (Path("/var/log/team/run.log"), "--log-file")}


@pytest.mark.parametrize(
    ("argv", "count"), [(["-v"], 1), (["-vv"], 2), (["-v", "-v", "-v"], 3), (["--verbose", "-v"], 2)]
)
def test_verbose_options_are_counted(argv: list[str], count: int, parser: argparse.ArgumentParser) -> None:
    assert typed(parser, *argv) == {"verbose": (count, "--verbose")}


def test_repeated_disable_plugin_is_a_tuple(parser: argparse.ArgumentParser) -> None:
    settings = typed(parser, "--disable-plugin", "myapp-good", "--disable-plugin", "myapp-lazy")

    assert settings == {"disable_plugins": (("myapp-good", "myapp-lazy"), "--disable-plugin")}


def test_repeated_ignore_compat_is_a_tuple(parser: argparse.ArgumentParser) -> None:
    settings = typed(parser, "--ignore-compat", "myapp-old", "--ignore-compat", "myapp-older")

    assert settings == {"ignore_compat": (("myapp-old", "myapp-older"), "--ignore-compat")}


def test_several_options_are_several_settings(parser: argparse.ArgumentParser) -> None:
    settings = typed(parser, "--debug", "-vv", "--config", "x.toml", "--disable-plugin", "a", "shout", "hi")

    assert settings == {
        "debug": (True, "--debug"),
        "verbose": (2, "--verbose"),
        "disable_plugins": (("a",), "--disable-plugin"),
    }


def test_every_typed_key_is_a_setting(parser: argparse.ArgumentParser) -> None:
    settings = typed(parser, "--debug", "-v", "--log-file", "x", "--no-plugins", "--disable-plugin", "a")

    assert set(settings) <= set(SETTINGS)


# --- apply_config: the attributes cliff and the commands read ------------------------------------------------------


def test_defaults_are_applied_when_nothing_is_typed(parser: argparse.ArgumentParser) -> None:
    namespace = applied(parser)

    assert namespace.debug is False
    assert namespace.log_file is None
    assert namespace.no_plugins is False
    assert namespace.disable_plugins == ()
    assert namespace.strict_plugins is False
    assert namespace.verbose_level == 1


def test_typed_options_are_applied(parser: argparse.ArgumentParser) -> None:
    namespace = applied(
        parser, "--debug", "--log-file", "run.log", "--no-plugins", "--strict-plugins", "--disable-plugin", "a"
    )

    assert namespace.debug is True
    assert namespace.log_file == Path("run.log")
    assert namespace.no_plugins is True
    assert namespace.strict_plugins is True
    assert namespace.disable_plugins == ("a",)


def test_environment_values_are_applied(parser: argparse.ArgumentParser) -> None:
    namespace = applied(
        parser,
        environ={"MYAPP_DEBUG": "1", "MYAPP_LOG_FILE": "/tmp/my app.log", "MYAPP_DISABLE_PLUGINS": "a,b"},
    )

    assert namespace.debug is True
    assert namespace.log_file == Path("/tmp/my app.log")
    assert namespace.disable_plugins == ("a", "b")


@pytest.mark.parametrize(("argv", "level"), [([], 1), (["-v"], 2), (["-vv"], 3), (["-vvv"], 4), (["-q"], 0)])
def test_verbose_level_is_cliff_s_scale(argv: list[str], level: int, parser: argparse.ArgumentParser) -> None:
    assert applied(parser, *argv).verbose_level == level


@pytest.mark.parametrize(
    ("environ", "level"),
    [({"MYAPP_VERBOSE": "2"}, 3), ({"MYAPP_QUIET": "1"}, 0), ({"MYAPP_QUIET": "0"}, 1), ({"MYAPP_VERBOSE": "0"}, 1)],
)
def test_verbosity_variables_set_the_verbose_level(
    environ: dict[str, str], level: int, parser: argparse.ArgumentParser
) -> None:
    assert applied(parser, environ=environ).verbose_level == level


def test_quiet_option_wins_over_the_verbose_variable(parser: argparse.ArgumentParser) -> None:
    assert applied(parser, "-q", environ={"MYAPP_VERBOSE": "2"}).verbose_level == 0


def test_verbose_option_replaces_the_verbose_variable(parser: argparse.ArgumentParser) -> None:
    assert applied(parser, "-v", environ={"MYAPP_VERBOSE": "3"}).verbose_level == 2


def test_verbose_option_wins_over_the_quiet_variable(parser: argparse.ArgumentParser) -> None:
    assert applied(parser, "-v", environ={"MYAPP_QUIET": "1"}).verbose_level == 2


def test_verbose_variable_wins_over_quiet_in_a_file(
    parser: argparse.ArgumentParser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text("quiet = true\n")
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path))

    assert applied(parser).verbose_level == 0
    assert applied(parser, environ={"MYAPP_VERBOSE": "1"}).verbose_level == 2


def test_quiet_wins_over_verbose_from_the_same_layer(parser: argparse.ArgumentParser) -> None:
    assert applied(parser, environ={"MYAPP_QUIET": "1", "MYAPP_VERBOSE": "2"}).verbose_level == 0


def test_quiet_variable_wins_over_verbose_in_a_file(
    parser: argparse.ArgumentParser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.toml").write_text("verbose = 2\n")
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path))

    assert applied(parser, environ={"MYAPP_QUIET": "1"}).verbose_level == 0


def test_disable_plugin_option_adds_to_the_variable(parser: argparse.ArgumentParser) -> None:
    namespace = applied(parser, "--disable-plugin", "c", environ={"MYAPP_DISABLE_PLUGINS": "a,b"})

    assert namespace.disable_plugins == ("a", "b", "c")


def test_apply_config_keeps_what_was_typed(parser: argparse.ArgumentParser) -> None:
    namespace = applied(parser, "--config", "x.toml", "--help")

    assert namespace.config_file == "x.toml"
    assert namespace.deferred_help is True


def test_a_parser_that_raises_usage_errors_prints_nothing(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    raise_usage_errors(parser, "", "'myapp --help' lists the options")

    with pytest.raises(UsageError) as caught:
        parser.parse_known_args(["--log-format", "xml"])

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message.startswith("argument --log-format: invalid choice: 'xml'")
    assert caught.value.hint == "'myapp --help' lists the options"
    assert capsys.readouterr() == ("", "")


def test_unrecognized_arguments_suggest_the_first_unknown_options_closest_match() -> None:
    command = argparse.ArgumentParser(prog="myapp hello")
    command.add_argument("--shout", action="store_true")
    raise_usage_errors(command, "hello", "'myapp help hello' lists its options")

    with pytest.raises(UsageError) as caught:
        command.parse_args(["extra", "--shot", "--shut"])

    assert caught.value.message == "hello: unrecognized arguments: extra --shot --shut"
    assert caught.value.hint == "did you mean '--shout'? 'myapp help hello' lists its options"


@pytest.mark.parametrize(
    ("typed", "closest"), [("--verbos", "--verbose"), ("--log-fil=x", "--log-file"), ("--zzzz", None)]
)
def test_closest_option_ignores_a_value_and_may_find_none(
    parser: argparse.ArgumentParser, typed: str, closest: str | None
) -> None:
    assert closest_option(parser, typed) == closest
