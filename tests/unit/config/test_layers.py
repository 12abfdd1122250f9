"""``load_config``: settings from defaults, files, the environment and the command line, and where each came from."""

from __future__ import annotations

import logging
import math
import re
import textwrap
import time
from pathlib import Path

import pytest

from myapp.config.layers import Config, ConfigFile, Value, load_config, user_config_file
from myapp.config.settings import SETTINGS, Count, FilePath, Flag, Names, NamesByEvent, Seconds, Text
from myapp.errors import ConfigError, ExitCode, UsageError
from myapp.identity import MYAPP, Identity

DEFAULTS = {key: setting.default for key, setting in SETTINGS.items()}


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder ``MYAPP_CONFIG_DIR`` points at; the user file lives in it."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(folder))
    return folder


def write(path: Path, text: str) -> Path:
    """Write a TOML document (dedented: its first line is line 1) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- kinds: reading values from TOML and from environment text ----------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_flag_takes_toml_booleans(value: bool) -> None:
    assert Flag().from_toml(value) is value


@pytest.mark.parametrize("value", ["true", 1, 0, None])
def test_flag_rejects_anything_but_a_toml_boolean(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected true or false, found "):
        Flag().from_toml(value)


@pytest.mark.parametrize(("text", "expected"), [("1", True), ("TRUE", True), (" yes ", True), ("On", True)])
def test_flag_reads_true_words(text: str, expected: bool) -> None:
    assert Flag().from_text(text) is expected


@pytest.mark.parametrize("text", ["0", "false", "No", "OFF"])
def test_flag_reads_false_words(text: str) -> None:
    assert Flag().from_text(text) is False


@pytest.mark.parametrize("text", ["maybe", "2", "y", "enabled"])
def test_flag_rejects_other_words(text: str) -> None:
    with pytest.raises(ValueError, match=r"^expected 1, true, yes or on, or 0, false, no or off$"):
        Flag().from_text(text)


@pytest.mark.parametrize("value", [0, 1, 3])
def test_count_takes_whole_numbers(value: int) -> None:
    assert Count().from_toml(value) == value


@pytest.mark.parametrize("value", [-1, 1.5, True, "2"])
def test_count_rejects_negatives_fractions_booleans_and_text(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected a whole number, found "):
        Count().from_toml(value)


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("2", 2), ("12", 12)])
def test_count_reads_digits(text: str, expected: int) -> None:
    assert Count().from_text(text) == expected


@pytest.mark.parametrize("text", ["lots", "-1", "1.5", "+1", ""])
def test_count_rejects_anything_but_digits(text: str) -> None:
    with pytest.raises(ValueError, match=r"^expected a whole number$"):
        Count().from_text(text)


@pytest.mark.parametrize("text", ["²", "١٢", "\N{FULLWIDTH DIGIT THREE}"])
def test_count_rejects_non_ascii_digits_with_its_own_message(text: str) -> None:
    # str.isdigit() is true for these, and int() reads some of them: only 0-9 are digits here.
    with pytest.raises(ValueError, match=r"^expected a whole number$"):
        Count().from_text(text)


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), (5, 5.0), (2.5, 2.5)])
def test_seconds_take_numbers_and_give_floats(value: float, expected: float) -> None:
    seconds = Seconds().from_toml(value)

    assert seconds == expected
    assert type(seconds) is float


@pytest.mark.parametrize("value", [-1, -0.5, True, "5"])
def test_seconds_reject_negatives_booleans_and_text(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected a number of seconds, found "):
        Seconds().from_toml(value)


@pytest.mark.parametrize(("text", "expected"), [("0", 0.0), ("2.5", 2.5), ("1e3", 1000.0)])
def test_seconds_read_decimal_text(text: str, expected: float) -> None:
    assert Seconds().from_text(text) == expected


@pytest.mark.parametrize("text", ["-1", "soon", "5s", ""])
def test_seconds_reject_other_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"^expected a number of seconds$"):
        Seconds().from_text(text)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_seconds_reject_not_a_number_and_infinity(value: float) -> None:
    with pytest.raises(ValueError, match=r"^expected a number of seconds, found "):
        Seconds().from_toml(value)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_seconds_reject_not_a_number_and_infinity_as_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"^expected a number of seconds$"):
        Seconds().from_text(text)


def test_text_with_choices_takes_one_of_them() -> None:
    assert Text("fail", "warn").from_toml("warn") == "warn"


@pytest.mark.parametrize("value", ["WARN", "ignore", "", 3])
def test_text_with_choices_rejects_others_naming_the_choices(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        Text("fail", "warn").from_toml(value)

    assert str(caught.value) == f"expected 'fail' or 'warn', found {value!r}"


def test_text_with_choices_reads_environment_text_the_same_way() -> None:
    assert Text("fail", "warn").from_text("fail") == "fail"
    with pytest.raises(ValueError, match=r"^expected 'fail' or 'warn', found 'Fail'$"):
        Text("fail", "warn").from_text("Fail")


def test_text_without_choices_takes_any_string_and_only_strings() -> None:
    assert Text().from_toml("anything at all") == "anything at all"
    with pytest.raises(ValueError, match=r"^expected text, found 3$"):
        Text().from_toml(3)


def test_file_path_expands_the_home_folder(isolated_home: Path) -> None:
    assert FilePath().from_toml("~/logs/myapp.log") == isolated_home / "logs" / "myapp.log"


@pytest.mark.parametrize("text", ["$LOGS/myapp.log", "${LOGS}/myapp.log"])
def test_file_path_expands_environment_variables(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGS", str(tmp_path / "logs"))

    assert FilePath().from_toml(text) == tmp_path / "logs" / "myapp.log"


def test_file_path_leaves_unknown_variables_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)

    assert FilePath().from_toml("/var/$NO_SUCH_VARIABLE/x.log") == Path("/var/$NO_SUCH_VARIABLE/x.log")


@pytest.mark.parametrize("template", ["$(touch {marker})", "`touch {marker}`", "$(touch {marker})/x.log"])
def test_file_path_never_runs_a_command(template: str, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = template.format(marker=marker)

    path = FilePath().from_toml(text)

    assert path == Path(text)
    assert not marker.exists()


def test_file_path_from_the_environment_expands_too(isolated_home: Path) -> None:
    assert FilePath().from_text("~/x.log") == isolated_home / "x.log"


@pytest.mark.parametrize("value", ["", 3, ["a.log"], False])
def test_file_path_rejects_empty_text_and_other_types(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected a path, found "):
        FilePath().from_toml(value)


def test_names_take_a_list_of_strings_as_a_tuple() -> None:
    assert Names().from_toml(["myapp-good", "myapp-lazy"]) == ("myapp-good", "myapp-lazy")
    assert Names().from_toml([]) == ()


@pytest.mark.parametrize("value", ["myapp-good", ["myapp-good", 1], [["nested"]], {"a": "b"}])
def test_names_reject_anything_but_a_list_of_strings(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected a list of names, found "):
        Names().from_toml(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a", ("a",)), ("a,b", ("a", "b")), (" a , b ,, ", ("a", "b")), (",", ())],
)
def test_names_from_the_environment_are_comma_separated(text: str, expected: tuple[str, ...]) -> None:
    assert Names().from_text(text) == expected


def test_names_by_event_take_a_table_of_lists() -> None:
    value = NamesByEvent().from_toml({"pre_command": ["audit", "lint"], "post_hello": []})

    assert value == {"pre_command": ("audit", "lint"), "post_hello": ()}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["audit"], "expected a table of lists of names, found ['audit']"),
        ({"pre_command": "audit"}, "expected a list of names, found 'audit'"),
        ({"pre_command": [1]}, "expected a list of names, found [1]"),
    ],
)
def test_names_by_event_reject_other_shapes(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        NamesByEvent().from_toml(value)

    assert str(caught.value) == message


# --- the settings table ----------------------------------------------------------------------------------


def test_every_default_is_a_value_of_its_kind_or_none() -> None:
    for setting in SETTINGS.values():
        if setting.default is not None:
            assert setting.kind.from_toml(_as_toml(setting.default)) == setting.default, setting.key


def _as_toml(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {key: list(names) for key, names in value.items()}
    return value


@pytest.mark.parametrize(
    ("key", "suffix"),
    [("debug", "DEBUG"), ("disable_plugins", "DISABLE_PLUGINS"), ("hooks.on_failure", "HOOKS_ON_FAILURE")],
)
def test_variable_names_come_from_the_key(key: str, suffix: str) -> None:
    assert SETTINGS[key].variable_suffix == suffix


def test_settings_with_options_name_their_spellings() -> None:
    options = {key: setting.options for key, setting in SETTINGS.items() if setting.options}

    assert options == {
        "debug": ("--debug",),
        "verbose": ("-v", "--verbose"),
        "quiet": ("-q", "--quiet"),
        "log_file": ("--log-file",),
        "log_format": ("--log-format",),
        "no_color": ("--no-color",),
        "debug_plugins": ("--debug-plugins",),
        "no_plugins": ("--no-plugins",),
        "disable_plugins": ("--disable-plugin",),
        "ignore_compat": ("--ignore-compat",),
        "strict_plugins": ("--strict-plugins",),
        "profile": ("--profile",),
        "use": ("--use",),
    }


# --- defaults and the Config mapping -----------------------------------------------------------------------


def test_without_files_or_variables_every_setting_is_its_default() -> None:
    config = load_config(MYAPP, environ={})

    assert dict(config) == DEFAULTS
    assert {config.origin(key) for key in config} == {"default"}


def test_config_is_a_read_only_mapping_of_every_setting() -> None:
    config = load_config(MYAPP, environ={})

    assert len(config) == len(SETTINGS)
    assert set(config) == set(SETTINGS)
    assert config["hooks.on_failure"] == "fail"
    assert config.get("no.such.setting") is None
    with pytest.raises(KeyError):
        config["no.such.setting"]
    with pytest.raises(TypeError):
        config["debug"] = True  # type: ignore[index]


def test_entries_are_sorted_by_key_with_value_and_origin(config_dir: Path) -> None:
    user_file = write(config_dir / "config.toml", "verbose = 1\n")

    entries = load_config(MYAPP, environ={"MYAPP_DEBUG": "1"}).entries()

    assert [entry.key for entry in entries] == sorted(SETTINGS)
    by_key = {entry.key: entry for entry in entries}
    assert by_key["debug"] == Value("debug", True, "MYAPP_DEBUG", layer=3)
    assert by_key["verbose"] == Value("verbose", 1, f"{user_file}:1", layer=1)
    assert by_key["quiet"] == Value("quiet", False, "default", layer=0)


def test_config_can_be_built_from_values() -> None:
    config = Config({"debug": Value("debug", True, "--debug", layer=4), "quiet": Value("quiet", True, "x")}, ())

    assert dict(config) == {"debug": True, "quiet": True}
    assert config.origin("debug") == "--debug"
    assert config.layer("debug") == 4
    assert config.layer("quiet") == 0  # a Value's layer defaults to the defaults' layer
    assert config.files == ()


def test_layer_is_how_strong_the_source_of_each_value_is(tmp_path: Path, config_dir: Path) -> None:
    write(config_dir / "config.toml", "verbose = 1\nquiet = true\nstrict_plugins = true\n")
    explicit = write(tmp_path / "team.toml", "verbose = 2\nno_plugins = true\n")

    config = load_config(
        MYAPP,
        config_file=str(explicit),
        command_line={"debug": (True, "--debug")},
        environ={"MYAPP_QUIET": "0", "MYAPP_LOG_FILE": "/from/env.log"},
    )

    assert {key: config.layer(key) for key in ("hook_dir", "strict_plugins", "verbose", "no_plugins")} == {
        "hook_dir": 0,
        "strict_plugins": 1,
        "verbose": 2,
        "no_plugins": 2,
    }
    assert (config["quiet"], config.layer("quiet")) == (False, 3)  # a false value still has its layer
    assert config.layer("log_file") == 3
    assert config.layer("debug") == 4
    with pytest.raises(KeyError):
        config.layer("no.such.setting")


# --- the user file ---------------------------------------------------------------------------------------


def test_user_file_is_config_toml_in_the_config_dir(config_dir: Path) -> None:
    assert user_config_file(MYAPP) == config_dir / "config.toml"


def test_user_file_defaults_to_the_platform_config_dir(isolated_home: Path) -> None:
    # The isolation fixture points XDG_CONFIG_HOME at <home>/.config.
    assert user_config_file(MYAPP) == isolated_home / ".config" / "myapp" / "config.toml"


def test_missing_user_file_is_listed_as_consulted_and_absent(config_dir: Path) -> None:
    config = load_config(MYAPP, environ={})

    assert config.files == (ConfigFile(config_dir / "config.toml", "user", False),)
    assert dict(config) == DEFAULTS


def test_user_file_values_remember_file_and_line(config_dir: Path) -> None:
    user_file = write(
        config_dir / "config.toml",
        """\
        # my settings
        debug = true
        verbose = 2
        disable_plugins = ["myapp-lazy"]
        """,
    )

    config = load_config(MYAPP, environ={})

    assert config.files == (ConfigFile(user_file, "user", True),)
    assert (config["debug"], config.origin("debug")) == (True, f"{user_file}:2")
    assert (config["verbose"], config.origin("verbose")) == (2, f"{user_file}:3")
    assert (config["disable_plugins"], config.origin("disable_plugins")) == (("myapp-lazy",), f"{user_file}:4")
    assert config.origin("quiet") == "default"


def test_origin_line_is_right_after_blank_lines(config_dir: Path) -> None:
    user_file = write(config_dir / "config.toml", "debug = true\n\n\nverbose = 2\n")

    config = load_config(MYAPP, environ={})

    assert config.origin("verbose") == f"{user_file}:4"


def test_wrong_type_after_a_blank_line_names_the_key_s_line(tmp_path: Path) -> None:
    wrong = write(tmp_path / "wrong.toml", "debug = true\n\nverbose = -1\n")

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(wrong), environ={})

    assert caught.value.message == f"{wrong}:3: 'verbose': expected a whole number, found -1"
    assert (caught.value.path, caught.value.line) == (wrong, 3)


def test_user_file_path_values_are_expanded(config_dir: Path, isolated_home: Path) -> None:
    write(config_dir / "config.toml", 'log_file = "~/logs/myapp.log"\nhook_dir = "$HOME/hooks"\n')

    config = load_config(MYAPP, environ={})

    assert config["log_file"] == isolated_home / "logs" / "myapp.log"
    assert config["hook_dir"] == isolated_home / "hooks"


def test_another_tool_reads_its_own_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    acme_file = write(tmp_path / "acme" / "config.toml", "debug = true\n")
    write(tmp_path / "myapp" / "config.toml", "verbose = 3\n")
    monkeypatch.setenv("ACME_CONFIG_DIR", str(acme_file.parent))
    monkeypatch.setenv("MYAPP_CONFIG_DIR", str(tmp_path / "myapp"))

    config = load_config(Identity("acme"), environ={"MYAPP_QUIET": "1"})

    assert (config["debug"], config["verbose"], config["quiet"]) == (True, 0, False)
    assert config.files == (ConfigFile(acme_file, "user", True),)


# --- the explicit file: --config and MYAPP_CONFIG ------------------------------------------------------------


def test_config_file_argument_is_read(tmp_path: Path, config_dir: Path) -> None:
    explicit = write(tmp_path / "team.toml", "strict_plugins = true\n")

    config = load_config(MYAPP, config_file=str(explicit), environ={})

    assert (config["strict_plugins"], config.origin("strict_plugins")) == (True, f"{explicit}:1")
    assert config.files == (
        ConfigFile(config_dir / "config.toml", "user", False),
        ConfigFile(explicit, "explicit", True),
    )


def test_config_variable_names_the_explicit_file(tmp_path: Path, config_dir: Path) -> None:
    explicit = write(tmp_path / "team.toml", "no_plugins = true\n")

    config = load_config(MYAPP, environ={"MYAPP_CONFIG": str(explicit)})

    assert (config["no_plugins"], config.origin("no_plugins")) == (True, f"{explicit}:1")
    assert config.files[-1] == ConfigFile(explicit, "explicit", True)


def test_config_file_argument_wins_over_the_config_variable(tmp_path: Path, config_dir: Path) -> None:
    argument = write(tmp_path / "argument.toml", "verbose = 1\n")
    variable = write(tmp_path / "variable.toml", "verbose = 2\n")

    config = load_config(MYAPP, config_file=str(argument), environ={"MYAPP_CONFIG": str(variable)})

    assert (config["verbose"], config.origin("verbose")) == (1, f"{argument}:1")
    assert [file.path for file in config.files] == [config_dir / "config.toml", argument]


def test_explicit_file_path_expands_home_and_variables(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_home = write(isolated_home / "team.toml", "debug = true\n")
    monkeypatch.setenv("TEAM_DIR", str(tmp_path / "team"))
    in_variable = write(tmp_path / "team" / "config.toml", "quiet = true\n")

    from_tilde = load_config(MYAPP, config_file="~/team.toml", environ={})
    from_variable = load_config(MYAPP, environ={"MYAPP_CONFIG": "$TEAM_DIR/config.toml"})

    assert from_tilde.origin("debug") == f"{in_home}:1"
    assert from_variable.origin("quiet") == f"{in_variable}:1"


def test_explicit_file_wins_over_the_user_file(tmp_path: Path, config_dir: Path) -> None:
    user_file = write(config_dir / "config.toml", 'verbose = 1\nhooks.on_failure = "warn"\n')
    explicit = write(tmp_path / "team.toml", "verbose = 2\n")

    config = load_config(MYAPP, config_file=str(explicit), environ={})

    assert (config["verbose"], config.origin("verbose")) == (2, f"{explicit}:1")
    assert (config["hooks.on_failure"], config.origin("hooks.on_failure")) == ("warn", f"{user_file}:2")
    assert [(file.role, file.exists) for file in config.files] == [("user", True), ("explicit", True)]


@pytest.mark.parametrize("how", ["argument", "variable"])
def test_missing_explicit_file_is_a_config_error_naming_it(how: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    arguments = {"config_file": str(missing), "environ": {}}
    if how == "variable":
        arguments = {"environ": {"MYAPP_CONFIG": str(missing)}}

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, **arguments)  # type: ignore[arg-type]

    assert caught.value.exit_code == ExitCode.USAGE == 2
    assert caught.value.message == f"config file '{missing}' does not exist"
    assert caught.value.hint == "check --config or MYAPP_CONFIG"
    assert (caught.value.path, caught.value.line) == (missing, None)


@pytest.mark.parametrize("how", ["argument", "variable"])
def test_a_folder_is_not_a_config_file(how: str, tmp_path: Path) -> None:
    folder = tmp_path / "team.toml"
    folder.mkdir()
    arguments = {"config_file": str(folder), "environ": {}}
    if how == "variable":
        arguments = {"environ": {"MYAPP_CONFIG": str(folder)}}

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, **arguments)  # type: ignore[arg-type]

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"config file '{folder}' is not a file"
    assert caught.value.hint == "check --config or MYAPP_CONFIG"
    assert (caught.value.path, caught.value.line) == (folder, None)


def test_blank_config_variable_means_no_explicit_file(config_dir: Path) -> None:
    config = load_config(MYAPP, environ={"MYAPP_CONFIG": ""})

    assert [file.role for file in config.files] == ["user"]


# --- malformed and unreadable files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("debug = tru\n", "1:9", "invalid value"),
        ("debug = true\n[hooks\n", "2:7", "expected ']' at the end of a table declaration"),
        ("debug = true\n\ndebug = false\n", "3:14", "cannot overwrite a value"),
    ],
)
def test_malformed_file_is_a_config_error_at_line_and_column(
    text: str, position: str, reason: str, tmp_path: Path
) -> None:
    broken = write(tmp_path / "broken.toml", text)

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(broken), environ={})

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"{broken}:{position}: {reason}"
    assert caught.value.hint == "fix the file; nothing was changed"
    assert (caught.value.path, caught.value.line) == (broken, int(position.partition(":")[0]))


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("debug = ", "1:9", "invalid value"),
        ('debug = true\nlog_file = "unterminated', "2:25", "unterminated string"),
        ("disable_plugins = [\n", "1:20", "invalid value"),
    ],
)
def test_error_at_the_end_of_a_malformed_file_is_at_the_end_of_its_last_line(
    text: str, position: str, reason: str, tmp_path: Path
) -> None:
    # tomllib says "(at end of document)": the position is one past the last column of the last line.
    broken = write(tmp_path / "broken.toml", text)

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(broken), environ={})

    assert caught.value.message == f"{broken}:{position}: {reason}"
    assert (caught.value.path, caught.value.line) == (broken, int(position.partition(":")[0]))


def test_malformed_user_file_is_a_config_error_too(config_dir: Path) -> None:
    user_file = write(config_dir / "config.toml", "verbose = = 2\n")

    with pytest.raises(ConfigError, match=rf"^{re.escape(str(user_file))}:1:11: "):
        load_config(MYAPP, environ={})


def test_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"debug = '\xff'\n")

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(binary), environ={})

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"{binary}: cannot be read (not UTF-8 text)"
    assert (caught.value.path, caught.value.line) == (binary, None)


# --- values of the wrong type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "key", "expected"),
    [
        ('debug = "yes"\n', 1, "debug", "expected true or false, found 'yes'"),
        ("# comment\nverbose = -1\n", 2, "verbose", "expected a whole number, found -1"),
        ("log_file = 3\n", 1, "log_file", "expected a path, found 3"),
        ('disable_plugins = "myapp-good"\n', 1, "disable_plugins", "expected a list of names, found 'myapp-good'"),
        ('\n[hooks]\non_failure = "ignore"\n', 3, "hooks.on_failure", "expected 'fail' or 'warn', found 'ignore'"),
        ('[hooks]\nscript_timeout = "5s"\n', 2, "hooks.script_timeout", "expected a number of seconds, found '5s'"),
        ('hooks.order = ["audit"]\n', 1, "hooks.order", "expected a table of lists of names, found ['audit']"),
    ],
)
def test_value_of_the_wrong_type_is_a_config_error_naming_file_line_and_key(
    text: str, line: int, key: str, expected: str, tmp_path: Path
) -> None:
    wrong = write(tmp_path / "wrong.toml", text)

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(wrong), environ={})

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"{wrong}:{line}: '{key}': {expected}"
    assert (caught.value.path, caught.value.line) == (wrong, line)


def test_wrong_type_in_the_user_file_is_a_config_error_too(config_dir: Path) -> None:
    user_file = write(config_dir / "config.toml", "quiet = 1\n")

    expected = rf"^{re.escape(str(user_file))}:1: 'quiet': expected true or false, found 1$"
    with pytest.raises(ConfigError, match=expected):
        load_config(MYAPP, environ={})


# --- unknown keys ------------------------------------------------------------------------------------------


def test_unknown_key_is_a_warning_with_a_suggestion(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    typo = write(tmp_path / "typo.toml", "debug = true\ndebugg = true\n")

    config = load_config(MYAPP, config_file=str(typo), environ={})

    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("myapp.config.layers", logging.WARNING, f"{typo}:2: unknown setting 'debugg' ignored; did you mean 'debug'?")
    ]
    assert "debugg" not in config
    assert config["debug"] is True


def test_unknown_key_without_a_close_match_is_a_warning_without_a_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other = write(tmp_path / "other.toml", 'tempo = "allegro"\n')

    config = load_config(MYAPP, config_file=str(other), environ={})

    assert [r.getMessage() for r in caplog.records] == [f"{other}:1: unknown setting 'tempo' ignored"]
    assert dict(config) == DEFAULTS


def test_unknown_key_in_a_table_is_named_by_its_dotted_path(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    typo = write(tmp_path / "typo.toml", '[hook]\non_failure = "warn"\n')

    config = load_config(MYAPP, config_file=str(typo), environ={})

    assert [r.getMessage() for r in caplog.records] == [
        f"{typo}:2: unknown setting 'hook.on_failure' ignored; did you mean 'hooks.on_failure'?"
    ]
    assert config.origin("hooks.on_failure") == "default"


def test_unknown_key_in_the_user_file_is_a_warning_too(config_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    user_file = write(config_dir / "config.toml", "verbos = 1\n")

    load_config(MYAPP, environ={})

    assert [r.getMessage() for r in caplog.records] == [
        f"{user_file}:1: unknown setting 'verbos' ignored; did you mean 'verbose'?"
    ]


def test_known_file_logs_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    known = write(tmp_path / "known.toml", 'debug = true\n[hooks]\non_failure = "warn"\n')

    load_config(MYAPP, config_file=str(known), environ={})

    assert caplog.records == []


# --- tables ----------------------------------------------------------------------------------------------


def test_hooks_table_sets_dotted_settings(tmp_path: Path) -> None:
    hooks = write(
        tmp_path / "hooks.toml",
        """\
        debug = true

        [hooks]
        on_failure = "warn"
        script_timeout = 2.5
        """,
    )

    config = load_config(MYAPP, config_file=str(hooks), environ={})

    assert (config["hooks.on_failure"], config.origin("hooks.on_failure")) == ("warn", f"{hooks}:4")
    assert (config["hooks.script_timeout"], config.origin("hooks.script_timeout")) == (2.5, f"{hooks}:5")


def test_dotted_key_is_the_same_as_a_table(tmp_path: Path) -> None:
    dotted = write(tmp_path / "dotted.toml", 'hooks.on_failure = "warn"\n')

    config = load_config(MYAPP, config_file=str(dotted), environ={})

    assert (config["hooks.on_failure"], config.origin("hooks.on_failure")) == ("warn", f"{dotted}:1")


def test_order_table_maps_events_to_hook_names_and_its_origin_is_its_header(tmp_path: Path) -> None:
    order = write(
        tmp_path / "order.toml",
        """\
        [hooks]
        on_failure = "warn"

        [hooks.order]
        pre_command = ["audit", "lint"]
        post_hello = ["notify"]
        """,
    )

    config = load_config(MYAPP, config_file=str(order), environ={})

    assert config["hooks.order"] == {"pre_command": ("audit", "lint"), "post_hello": ("notify",)}
    assert config.origin("hooks.order") == f"{order}:4"


def test_order_table_with_a_bad_list_is_a_config_error_at_its_header(tmp_path: Path) -> None:
    order = write(tmp_path / "order.toml", 'debug = true\n\n[hooks.order]\npre_command = "audit"\n')

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(order), environ={})

    assert caught.value.message == f"{order}:3: 'hooks.order': expected a list of names, found 'audit'"
    assert (caught.value.path, caught.value.line) == (order, 3)


def test_profile_tables_are_not_unknown_keys(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    profiles = write(
        tmp_path / "profiles.toml",
        """\
        verbose = 1

        [profiles.ci]
        only_plugins = ["myapp-good"]
        disable_plugins = ["myapp-lazy"]
        """,
    )

    config = load_config(MYAPP, config_file=str(profiles), environ={})

    assert caplog.records == []
    assert config["verbose"] == 1
    assert config.origin("only_plugins") == config.origin("disable_plugins") == "default"
    assert config.profiles == ("ci",)
    assert "profiles" not in config


def test_selected_profile_is_a_layer_between_files_and_environment(tmp_path: Path) -> None:
    profiles = write(
        tmp_path / "profiles.toml",
        """\
        disable_plugins = ["from-file"]

        [profiles.ci]
        only_plugins = ["myapp-good"]
        disable_plugins = ["from-profile"]
        """,
    )

    config = load_config(MYAPP, config_file=str(profiles), environ={"MYAPP_PROFILE": "ci"})

    assert config["only_plugins"] == ("myapp-good",)
    assert config.origin("only_plugins") == f"profile 'ci' ({profiles}:4)"
    assert config["disable_plugins"] == ("from-file", "from-profile")
    assert config.value("disable_plugins").origin_of("from-profile") == f"profile 'ci' ({profiles}:5)"


def test_unknown_profile_is_a_config_error_with_a_suggestion(tmp_path: Path) -> None:
    profiles = write(tmp_path / "profiles.toml", "[profiles.ci]\nonly_plugins = []\n")

    with pytest.raises(ConfigError) as caught:
        load_config(MYAPP, config_file=str(profiles), command_line={"profile": ("cj", "--profile")}, environ={})

    assert caught.value.message == "unknown profile 'cj' (from --profile)"
    assert caught.value.hint == "did you mean 'ci'? profiles defined: ci"
    assert caught.value.exit_code == 2


def test_settings_a_profile_cannot_change_are_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    profiles = write(tmp_path / "profiles.toml", "[profiles.ci]\ndebug = true\n")

    config = load_config(MYAPP, config_file=str(profiles), environ={"MYAPP_PROFILE": "ci"})

    assert config["debug"] is False
    assert [r.getMessage() for r in caplog.records] == [
        f"{profiles}:2: unknown setting 'profiles.ci.debug' ignored; "
        "a profile may set only disable_plugins, only_plugins, use"
    ]


def test_origin_is_the_line_in_the_setting_s_own_table(tmp_path: Path) -> None:
    profiles = write(
        tmp_path / "profiles.toml",
        """\
        [profiles.ci.hooks]
        on_failure = "warn"

        [hooks]
        on_failure = "fail"
        """,
    )

    config = load_config(MYAPP, config_file=str(profiles), environ={})

    assert config.origin("hooks.on_failure") == f"{profiles}:5"


@pytest.mark.parametrize("text", ['[hooks]\norder.pre_command = ["audit"]\n', 'hooks.order.pre_command = ["audit"]\n'])
def test_origin_of_a_table_setting_built_from_dotted_keys_is_their_line(text: str, tmp_path: Path) -> None:
    dotted = write(tmp_path / "dotted.toml", "debug = true\n\n" + text)

    config = load_config(MYAPP, config_file=str(dotted), environ={})

    assert config["hooks.order"] == {"pre_command": ("audit",)}
    assert config.origin("hooks.order") == f"{dotted}:{text.count(chr(10)) + 2}"


def test_quoted_keys_are_found_for_the_origin_line(tmp_path: Path) -> None:
    quoted = write(tmp_path / "quoted.toml", '# settings\n"debug" = true\n')

    config = load_config(MYAPP, config_file=str(quoted), environ={})

    assert config.origin("debug") == f"{quoted}:2"


# --- the environment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "YES", "on", " 1 "])
def test_true_environment_value_turns_a_flag_on(value: str) -> None:
    config = load_config(MYAPP, environ={"MYAPP_DEBUG": value, "MYAPP_NO_PLUGINS": value})

    assert (config["debug"], config.origin("debug")) == (True, "MYAPP_DEBUG")
    assert (config["no_plugins"], config.origin("no_plugins")) == (True, "MYAPP_NO_PLUGINS")


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_false_environment_value_turns_a_flag_off(value: str) -> None:
    config = load_config(MYAPP, environ={"MYAPP_DEBUG": value})

    assert (config["debug"], config.origin("debug")) == (False, "MYAPP_DEBUG")


def test_false_environment_value_overrides_a_true_file_value(config_dir: Path) -> None:
    write(config_dir / "config.toml", "strict_plugins = true\n")

    config = load_config(MYAPP, environ={"MYAPP_STRICT_PLUGINS": "0"})

    assert (config["strict_plugins"], config.origin("strict_plugins")) == (False, "MYAPP_STRICT_PLUGINS")


def test_verbose_variable_is_the_count_of_v_options() -> None:
    config = load_config(MYAPP, environ={"MYAPP_VERBOSE": "2"})

    assert (config["verbose"], config.origin("verbose")) == (2, "MYAPP_VERBOSE")


def test_quiet_variable_sets_quiet() -> None:
    config = load_config(MYAPP, environ={"MYAPP_QUIET": "1"})

    assert (config["quiet"], config.origin("quiet")) == (True, "MYAPP_QUIET")


def test_false_quiet_variable_leaves_quiet_off() -> None:
    config = load_config(MYAPP, environ={"MYAPP_QUIET": "0"})

    assert config["quiet"] is False


def test_path_variable_is_taken_as_a_path() -> None:
    config = load_config(MYAPP, environ={"MYAPP_LOG_FILE": "/tmp/my app.log"})

    assert (config["log_file"], config.origin("log_file")) == (Path("/tmp/my app.log"), "MYAPP_LOG_FILE")


def test_path_variable_expands_the_home_folder(isolated_home: Path) -> None:
    config = load_config(MYAPP, environ={"MYAPP_HOOK_DIR": "~/hooks"})

    assert config["hook_dir"] == isolated_home / "hooks"


def test_list_variable_is_plural_and_comma_separated() -> None:
    config = load_config(MYAPP, environ={"MYAPP_DISABLE_PLUGINS": "myapp-good, myapp-lazy,,"})

    assert (config["disable_plugins"], config.origin("disable_plugins")) == (
        ("myapp-good", "myapp-lazy"),
        "MYAPP_DISABLE_PLUGINS",
    )


def test_singular_option_name_is_not_a_variable() -> None:
    config = load_config(MYAPP, environ={"MYAPP_DISABLE_PLUGIN": "myapp-good"})

    assert config.origin("disable_plugins") == "default"


def test_table_settings_have_variables_with_underscores() -> None:
    config = load_config(MYAPP, environ={"MYAPP_HOOKS_ON_FAILURE": "warn", "MYAPP_HOOKS_SCRIPT_TIMEOUT": "1.5"})

    assert (config["hooks.on_failure"], config.origin("hooks.on_failure")) == ("warn", "MYAPP_HOOKS_ON_FAILURE")
    assert (config["hooks.script_timeout"], config.origin("hooks.script_timeout")) == (
        1.5,
        "MYAPP_HOOKS_SCRIPT_TIMEOUT",
    )


def test_the_import_time_limit_is_ten_seconds_unless_a_file_or_the_environment_says(tmp_path: Path) -> None:
    limits = write(tmp_path / "limits.toml", "import_timeout = 30\n")

    default = load_config(MYAPP, environ={})
    from_file = load_config(MYAPP, config_file=str(limits), environ={})
    from_environment = load_config(MYAPP, config_file=str(limits), environ={"MYAPP_IMPORT_TIMEOUT": "0.5"})

    assert (default["import_timeout"], default.origin("import_timeout")) == (10.0, "default")
    assert (from_file["import_timeout"], from_file.origin("import_timeout")) == (30.0, f"{limits}:1")
    assert (from_environment["import_timeout"], from_environment.origin("import_timeout")) == (
        0.5,
        "MYAPP_IMPORT_TIMEOUT",
    )


def test_hook_order_has_no_variable() -> None:
    config = load_config(MYAPP, environ={"MYAPP_HOOKS_ORDER": "pre_command=audit"})

    assert config.origin("hooks.order") == "default"


def test_empty_and_blank_variables_are_ignored() -> None:
    config = load_config(MYAPP, environ={"MYAPP_DEBUG": "", "MYAPP_LOG_FILE": "   ", "MYAPP_DISABLE_PLUGINS": " "})

    assert {config.origin(key) for key in config} == {"default"}


def test_help_version_and_other_variables_are_not_settings() -> None:
    config = load_config(MYAPP, environ={"MYAPP_HELP": "1", "MYAPP_VERSION": "1", "MYAPP_DEFERRED_HELP": "1"})

    assert dict(config) == DEFAULTS
    assert {config.origin(key) for key in config} == {"default"}


def test_another_tool_reads_only_its_own_variables() -> None:
    config = load_config(Identity("acme"), environ={"MYAPP_DEBUG": "1", "ACME_VERBOSE": "2"})

    assert (config["debug"], config["verbose"], config.origin("verbose")) == (False, 2, "ACME_VERBOSE")


def test_invalid_flag_value_is_a_usage_error_naming_the_variable() -> None:
    with pytest.raises(UsageError) as caught:
        load_config(MYAPP, environ={"MYAPP_DEBUG": "maybe"})

    assert caught.value.exit_code == ExitCode.USAGE == 2
    assert caught.value.message == (
        "MYAPP_DEBUG='maybe' is not valid: expected 1, true, yes or on, or 0, false, no or off"
    )
    assert caught.value.hint == "unset MYAPP_DEBUG or correct it"


@pytest.mark.parametrize("value", ["lots", "-1", "1.5"])
def test_invalid_count_is_a_usage_error_naming_the_variable(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_config(MYAPP, environ={"MYAPP_VERBOSE": value})

    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"MYAPP_VERBOSE={value!r} is not valid: expected a whole number"
    assert caught.value.hint == "unset MYAPP_VERBOSE or correct it"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("MYAPP_HOOKS_ON_FAILURE", "never", "expected 'fail' or 'warn', found 'never'"),
        ("MYAPP_HOOKS_SCRIPT_TIMEOUT", "soon", "expected a number of seconds"),
    ],
)
def test_invalid_table_setting_variable_is_a_usage_error(variable: str, value: str, expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_config(MYAPP, environ={variable: value})

    assert caught.value.message == f"{variable}={value!r} is not valid: {expected}"


def test_environ_defaults_to_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYAPP_VERBOSE", "3")

    config = load_config(MYAPP)

    assert (config["verbose"], config.origin("verbose")) == (3, "MYAPP_VERBOSE")


# --- layering: command line > environment > explicit file > user file > defaults ---------------------------------


@pytest.fixture
def every_layer(tmp_path: Path, config_dir: Path) -> tuple[Path, Path]:
    """A user file and an explicit file that both set verbose, log_file and disable_plugins."""
    user_file = write(
        config_dir / "config.toml",
        """\
        verbose = 1
        log_file = "/from/user.log"
        disable_plugins = ["from-user"]
        strict_plugins = true
        """,
    )
    explicit = write(
        tmp_path / "explicit.toml",
        """\
        verbose = 2
        log_file = "/from/explicit.log"
        disable_plugins = ["from-explicit"]
        """,
    )
    return user_file, explicit


def test_each_layer_overrides_the_ones_below(every_layer: tuple[Path, Path]) -> None:
    user_file, explicit = every_layer

    config = load_config(
        MYAPP,
        config_file=str(explicit),
        command_line={"verbose": (4, "--verbose")},
        environ={"MYAPP_VERBOSE": "3", "MYAPP_LOG_FILE": "/from/env.log"},
    )

    assert (config["verbose"], config.origin("verbose")) == (4, "--verbose")
    assert (config["log_file"], config.origin("log_file")) == (Path("/from/env.log"), "MYAPP_LOG_FILE")
    # disable_plugins adds up across layers; each name remembers where it came from
    assert config["disable_plugins"] == ("from-user", "from-explicit")
    assert config.value("disable_plugins").origin_of("from-user") == f"{user_file}:3"
    assert config.value("disable_plugins").origin_of("from-explicit") == f"{explicit}:3"
    assert (config["strict_plugins"], config.origin("strict_plugins")) == (True, f"{user_file}:4")
    assert (config["debug"], config.origin("debug")) == (False, "default")


def test_disabled_plugins_add_up_from_every_layer() -> None:
    config = load_config(
        MYAPP,
        command_line={"disable_plugins": (("from-option",), "--disable-plugin")},
        environ={"MYAPP_DISABLE_PLUGINS": "from-env"},
    )

    assert config["disable_plugins"] == ("from-env", "from-option")
    assert config.origin("disable_plugins") == "MYAPP_DISABLE_PLUGINS, --disable-plugin"
    assert config.value("disable_plugins").origin_of("from-option") == "--disable-plugin"


def test_ignored_compatibility_adds_up_from_every_layer() -> None:
    config = load_config(
        MYAPP,
        command_line={"ignore_compat": (("from-option",), "--ignore-compat")},
        environ={"MYAPP_IGNORE_COMPAT": "from-env"},
    )

    assert config["ignore_compat"] == ("from-env", "from-option")
    assert config.origin("ignore_compat") == "MYAPP_IGNORE_COMPAT, --ignore-compat"
    assert config.value("ignore_compat").origin_of("from-env") == "MYAPP_IGNORE_COMPAT"


def test_ignored_compatibility_defaults_to_no_plugin() -> None:
    config = load_config(MYAPP, environ={})

    assert (config["ignore_compat"], config.origin("ignore_compat")) == ((), "default")


def test_command_line_values_are_taken_as_given() -> None:
    config = load_config(MYAPP, command_line={"debug": (True, "--debug")}, environ={})

    assert (config["debug"], config.origin("debug")) == (True, "--debug")
    assert config.origin("verbose") == "default"


def test_environment_is_read_even_when_the_command_line_sets_the_same_setting() -> None:
    # A bad variable is an error even if an option would have overridden it: the user should fix it.
    with pytest.raises(UsageError, match=r"^MYAPP_DEBUG='maybe'"):
        load_config(MYAPP, command_line={"debug": (True, "--debug")}, environ={"MYAPP_DEBUG": "maybe"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("MYAPP_NO_PLUGIN", "MYAPP_NO_PLUGINS"),
        ("MYAPP_DEBUG_PLUGIN", "MYAPP_DEBUG_PLUGINS"),
        ("MYAPP_PLUGINS_PATH", "MYAPP_PLUGIN_PATHS"),
        ("MYAPP_CACHEDIR", "MYAPP_CACHE_DIR"),
    ],
)
def test_a_misspelled_variable_gets_a_warning_that_names_the_right_one(
    typed: str, meant: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(MYAPP, environ={typed: "1"})

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"ignoring {typed}: myapp reads no such variable; did you mean {meant}?"
    ]
    assert config["no_plugins"] is False and config["debug_plugins"] is False


def test_the_tools_own_and_the_plugins_variables_get_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    own = {MYAPP.env_name(name): "1" for name in ("event", "command", "argv", "exit_code", "cache_dir", "source_file")}
    plugins = {"MYAPP_EXAMPLE_GREETING": "hi", "MYAPP_API_TOKEN": "x", "MYAPP_HOME": "/srv"}

    load_config(MYAPP, environ={**own, **plugins, "MYAPP_DEBUG": "1"})

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_second_tool_checks_its_own_prefix(caplog: pytest.LogCaptureFixture) -> None:
    acme = Identity(name="acme", distribution="acme")

    load_config(acme, environ={"ACME_NO_PLUGIN": "1", "MYAPP_NO_PLUGIN": "1"})

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "ignoring ACME_NO_PLUGIN: acme reads no such variable; did you mean ACME_NO_PLUGINS?"
    ]


# --- user files that are not there to be read, and files of a pathological size --------------------------------


def test_a_folder_where_the_user_file_should_be_is_warned_about_and_skipped(
    config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (config_dir / "config.toml").mkdir()

    config = load_config(MYAPP, environ={})

    assert config.files == (ConfigFile(config_dir / "config.toml", "user", False),)
    assert caplog.messages == [f"ignoring config file '{config_dir / 'config.toml'}': it is a folder"]


def test_a_user_file_that_links_to_nothing_is_warned_about_and_skipped(
    config_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (config_dir / "config.toml").symlink_to(tmp_path / "dotfiles" / "myapp.toml")

    config = load_config(MYAPP, environ={})

    assert dict(config) == DEFAULTS
    assert caplog.messages == [
        f"ignoring config file '{config_dir / 'config.toml'}': it is a symbolic link to "
        f"'{tmp_path / 'dotfiles' / 'myapp.toml'}', which does not exist"
    ]


def test_without_a_home_the_user_file_is_skipped_quietly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for variable in ("HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(variable)
    monkeypatch.setattr("pwd.getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))

    with caplog.at_level(logging.INFO, logger="myapp.config.layers"):
        config = load_config(MYAPP, environ={})

    assert (config.files, dict(config)) == ((), DEFAULTS)
    assert [
        (record.levelno, record.getMessage().endswith("; reading no user config file")) for record in caplog.records
    ] == [(logging.INFO, True)]


def test_a_user_file_with_a_byte_order_mark_is_read(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text("\ufeffverbose = 2\n", encoding="utf-8")

    assert load_config(MYAPP, environ={})["verbose"] == 2


def test_ten_thousand_unknown_settings_load_in_linear_time_with_five_warnings_and_a_count(
    config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = config_dir / "config.toml"
    path.write_text("verbose = 2\n" + "".join(f"unknown_setting_{n:05d} = {n}\n" for n in range(10_000)))
    assert path.stat().st_size >= 128_000
    started = time.perf_counter()

    config = load_config(MYAPP, environ={})

    assert time.perf_counter() - started < 0.5  # was 51 s: each key searched the whole text, each warning difflib
    assert config["verbose"] == 2
    assert caplog.messages == [
        *(f"{path}:{n + 2}: unknown setting 'unknown_setting_{n:05d}' ignored" for n in range(5)),
        f"{path}: 9995 more unknown settings ignored",
    ]


def test_one_unknown_setting_past_the_fifth_is_counted_in_the_singular(
    config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = config_dir / "config.toml"
    path.write_text("".join(f"unknown_{n} = {n}\n" for n in range(6)))

    load_config(MYAPP, environ={})

    assert caplog.messages[5:] == [f"{path}: 1 more unknown setting ignored"]
