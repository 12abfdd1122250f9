"""Reading TOML files users wrote: positions in errors, pathological files refused fast, keys found in one pass."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from myapp._toml import MAX_NESTING, KeyLines, check_nesting, read_toml
from myapp.errors import ConfigError


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a = " + "[" * 100_000 + "]" * 100_000, "1:37"),
        ("x = 1\na = " + "[" * 40 + "]" * 40, "2:37"),
        ("a = " + "{ b = " * 2_000 + "1" + "}" * 2_000, "1:197"),
    ],
    ids=["arrays 100 000 deep", "arrays 40 deep", "inline tables 2 000 deep"],
)
def test_brackets_nested_too_deeply_are_refused_at_the_first_one_too_many(
    tmp_path: Path, text: str, position: str
) -> None:
    path = written(tmp_path, text + "\n")

    with pytest.raises(ConfigError) as caught:
        read_toml(path)

    assert caught.value.message == f"{path}:{position}: tables and arrays nest more than {MAX_NESTING} levels deep"


@pytest.mark.parametrize(
    "text",
    [".".join(["k"] * 5_000) + " = 1\n", "x = 1\n[" + ".".join(["k"] * 5_000) + "]\ny = 2\n"],
    ids=["dotted key", "table header"],
)
def test_tables_nested_too_deeply_by_dotted_keys_are_refused_at_the_first_dot_too_many(
    tmp_path: Path, text: str
) -> None:
    path = written(tmp_path, text)
    line_start = text.rindex("\n", 0, text.index("k")) + 1 if "\n" in text[: text.index("k")] else 0
    line = text.count("\n", 0, line_start) + 1
    column = len("k.") * (MAX_NESTING + 1) + text.index("k") - line_start
    started = time.perf_counter()

    with pytest.raises(ConfigError) as caught:
        read_toml(path)

    assert caught.value.message == f"{path}:{line}:{column}: tables and arrays nest more than {MAX_NESTING} levels deep"
    assert time.perf_counter() - started < 0.1  # the parser would take seconds: it is never asked


def test_keys_nested_too_deeply_inside_an_inline_table_are_refused(tmp_path: Path) -> None:
    path = written(tmp_path, "a = { x = 1, " + ".".join(["k"] * 50) + " = 2 }\n")

    with pytest.raises(ConfigError, match=f":1:{len('a = { x = 1, ') + 2 * (MAX_NESTING + 1)}: tables and arrays"):
        read_toml(path)


def test_dots_in_values_and_strings_are_not_nesting(tmp_path: Path) -> None:
    paths = ", ".join(f'"~/a.b.c/{n}.d.e"' for n in range(40))
    text = f'plugin_paths = [{paths}]\nsecond = 1.5\n"x.y.z" = 2\n[t]\nu = 3.25\n'

    assert read_toml(written(tmp_path, text))[1]["t"] == {"u": 3.25}


def test_brackets_in_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    many = "[" * 100
    text = (
        f"a = \"{many}\"\nb = '{many}'\nc = \"\"\"\n{many}\n\"\"\"\nd = '''{many}'''\n# {many}\n"
        f'e = "\\"{many}\\\\"\nf = [[1], [2]]\n'
    )

    assert read_toml(written(tmp_path, text))[1]["f"] == [[1], [2]]


def test_nesting_up_to_the_limit_is_read() -> None:
    text = "a = " + "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1) + "\n"

    check_nesting(Path("x.toml"), text)


def test_a_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    text, data = read_toml(written(tmp_path, "\ufeffverbose = 2\n"))

    assert (text, data) == ("verbose = 2\n", {"verbose": 2})


def test_key_lines_name_the_first_line_of_each_key_and_table() -> None:
    lines = KeyLines('top = 1\n\n[hooks]\non_failure = "warn"\n[profiles.ci]\nverbose = 2\n[hooks.order]\n')

    assert [lines.line(key) for key in ("top", "hooks", "hooks.on_failure", "profiles", "profiles.ci.verbose")] == [
        1,
        3,
        4,
        5,
        6,
    ]
    assert lines.line("hooks.order") == 7
    assert lines.line("nowhere") == 1


def test_finding_the_lines_of_ten_thousand_keys_is_linear() -> None:
    text = "".join(f"unknown_setting_number_{n} = {n}\n" for n in range(10_000))
    started = time.perf_counter()

    lines = KeyLines(text)
    found = [lines.line(f"unknown_setting_number_{n}") for n in range(10_000)]

    assert found == list(range(1, 10_001))
    assert time.perf_counter() - started < 0.5
