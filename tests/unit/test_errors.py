"""The exception tree: each error knows its exit code, message and hint, and keeps the culprit."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import myapp
from myapp import errors
from myapp.errors import (
    ConfigError,
    ExitCode,
    HookAbort,
    MyappError,
    PluginLoadError,
    Terminated,
    UsageError,
    close_matches,
    counted,
    did_you_mean,
)

PACKAGE = Path(myapp.__file__).parent


def error_classes() -> list[type[BaseException]]:
    """:class:`Terminated` and every :class:`MyappError` class that :mod:`myapp.errors` defines."""
    found: list[type[BaseException]] = [MyappError]
    for klass in found:  # grows as it goes: breadth first
        found += [sub for sub in klass.__subclasses__() if sub.__module__ == "myapp.errors"]
    return [Terminated, *found]


def drawn_tree() -> dict[str, tuple[str | None, int]]:
    """Each class the tree in ``myapp.errors``' docstring draws: its parent there, and the exit code it states."""
    drawn: dict[str, tuple[str | None, int]] = {}
    above: list[tuple[int, str]] = []  # the names the next line may hang from, with their columns
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^([ |]*(?:\+-- )?)(\w+)\b.*\bexit (\d+)\b", line)
        if found:
            column, name = len(found[1]), found[2]
            while above and above[-1][0] >= column:
                above.pop()
            drawn[name] = (above[-1][1] if above else None, int(found[3]))
            above.append((column, name))
    return drawn


def test_errors_imports_nothing_else_of_myapp() -> None:
    """Not even under ``TYPE_CHECKING`` or in a function: every module may import it, without cycles."""
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))

    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]

    assert "enum" in imported  # the imports were read
    assert [name for name in imported if name.startswith(".") or name.partition(".")[0] == "myapp"] == []


def test_every_myapp_error_is_defined_in_myapp_errors() -> None:
    """Read from the source, not imported: a class in a module no test imports is found too."""
    names = {klass.__name__ for klass in error_classes()} | {"MyappError"}
    elsewhere = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(base).rpartition(".")[2] for base in node.bases}  # errors.UsageError too
                if bases & names:
                    elsewhere.append(f"{path.relative_to(PACKAGE.parent)}: {node.name}")

    assert elsewhere == []


def test_the_docstring_tree_draws_every_error_with_its_parent_and_exit_code() -> None:
    def parent(klass: type[BaseException]) -> str | None:
        base = klass.__bases__[0]
        return base.__name__ if issubclass(base, MyappError) else None

    def exit_code(klass: type[BaseException]) -> int:
        code = getattr(klass, "exit_code", None)
        return int(code) if isinstance(code, int) else ExitCode.TERMINATED  # Terminated: 143 unless SIGHUP

    expected = {klass.__name__: (parent(klass), exit_code(klass)) for klass in error_classes()}

    assert drawn_tree() == expected


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("myapp.contracts", "ContractError"),
        ("myapp.extensions", "ExtensionNotFound"),
        ("myapp.hooks.context", "HookFailure"),
        ("myapp.hooks.order", "HookOrderError"),
        ("myapp.hooks.scripts", "HookScriptError"),
    ],
)
def test_a_moved_error_can_still_be_imported_from_its_old_module(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(errors, name)


def test_did_you_mean_names_the_closest_candidate() -> None:
    assert did_you_mean("helo", ["hello", "help", "shout"]) == "did you mean 'hello'?"


def test_did_you_mean_is_empty_when_nothing_is_close() -> None:
    assert did_you_mean("xyzzy", ["hello"]) == ""
    assert did_you_mean("anything", []) == ""


def test_did_you_mean_joins_several_candidates_with_or() -> None:
    assert did_you_mean("helo", ["help", "hello", "shout"], n=3) == "did you mean 'hello' or 'help'?"


def test_did_you_mean_follows_a_message_after_a_semicolon() -> None:
    after = "no installed plugin is called 'myapp-god'"

    assert did_you_mean("myapp-god", ["myapp-good"], after=after) == f"{after}; did you mean 'myapp-good'?"
    assert did_you_mean("zzz", ["myapp-good"], after=after) == after


def test_did_you_mean_suggests_only_candidates_above_the_cutoff() -> None:
    assert did_you_mean("cj", ["ci"]) == ""
    assert did_you_mean("cj", ["ci"], cutoff=0.5) == "did you mean 'ci'?"
    assert did_you_mean("MYAPP_HOME", ["MYAPP_USE"]) == "did you mean 'MYAPP_USE'?"
    assert did_you_mean("MYAPP_HOME", ["MYAPP_USE"], cutoff=0.85) == ""


def test_did_you_mean_without_a_cutoff_offers_the_first_candidates_in_order() -> None:
    candidates = ["plugin show", "plugin list", "plugin check", "plugin sync"]

    assert did_you_mean("plugin x", candidates, n=3, cutoff=None) == (
        "did you mean 'plugin show' or 'plugin list' or 'plugin check'?"
    )


def test_did_you_mean_writes_candidates_as_told() -> None:
    assert did_you_mean("MYAPP_NO_PLUGIN", ["MYAPP_NO_PLUGINS"], show=str) == "did you mean MYAPP_NO_PLUGINS?"


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 plugins"), (1, "1 plugin"), (2, "2 plugins"), (1000, "1000 plugins")]
)
def test_counted_puts_the_noun_in_the_plural_unless_the_count_is_one(count: int, text: str) -> None:
    assert counted(count, "plugin") == text


def test_counted_takes_an_irregular_plural() -> None:
    assert (counted(1, "entry", "entries"), counted(3, "entry", "entries")) == ("1 entry", "3 entries")


def test_close_matches_are_the_candidates_closest_first() -> None:
    assert close_matches("helo", ["shout", "help", "hello"], n=3) == ["hello", "help"]
    assert close_matches("helo", ["shout"]) == []


def test_close_matches_leave_out_what_was_typed_and_candidates_far_behind_the_closest() -> None:
    assert close_matches("deploy", ["deploy", "deploys"], n=3) == ["deploys"]
    # 'dep-all' is alike enough on its own (0.75), but far less alike than 'deploy-all' (0.95).
    assert close_matches("deploy-al", ["dep-all", "deploy-all"], n=3) == ["deploy-all"]


def test_close_matches_keep_the_order_of_equally_close_candidates() -> None:
    assert close_matches("plugin x", ["plugin y", "plugin w"], n=3) == ["plugin y", "plugin w"]
    assert close_matches("plugin x", ["plugin w", "plugin y"], n=3) == ["plugin w", "plugin y"]


def test_close_matches_of_a_command_line_compare_every_word_of_each_name() -> None:
    names = ["plugin new", "plugin list", "plugin show", "plugin", "hello", "hello world"]

    assert close_matches("plugn list", names, n=3, command_line=True) == ["plugin list"]
    assert close_matches("plugin lst --json", names, n=3, command_line=True) == ["plugin list"]
    assert close_matches("plugin qwerty", names, n=3, command_line=True) == []
    assert close_matches("helo there", names, n=3, command_line=True) == ["hello"]
    # A name longer than the line is not compared; the shorter name that begins it is.
    assert close_matches("plugn", names, n=3, command_line=True) == ["plugin"]
    # Without command_line, the line is one string: the first word's likeness carries unrelated names.
    assert "plugin new" in close_matches("plugin qwerty", names, n=3)


def test_did_you_mean_reads_a_command_line_word_by_word() -> None:
    names = ["greeting list", "greeting show", "greeting"]

    assert did_you_mean("greting list", names, n=3, command_line=True) == "did you mean 'greeting list'?"


@pytest.mark.parametrize(
    ("error_class", "exit_code"),
    [
        (MyappError, ExitCode.FAILURE),
        (UsageError, ExitCode.USAGE),
        (ConfigError, ExitCode.USAGE),
        (HookAbort, ExitCode.HOOK_ABORT),
    ],
)
def test_each_error_carries_its_exit_code(error_class: type[MyappError], exit_code: ExitCode) -> None:
    assert error_class("went wrong").exit_code == exit_code


def test_plugin_load_error_exits_with_the_plugin_code() -> None:
    error = PluginLoadError("cannot load", distribution="d", entry_point="e = m:C", namespace="myapp.commands")

    assert error.exit_code == ExitCode.PLUGIN


def test_every_error_is_a_myapp_error() -> None:
    assert issubclass(ConfigError, UsageError)
    for error_class in (UsageError, ConfigError, PluginLoadError, HookAbort):
        assert issubclass(error_class, MyappError)


def test_message_is_the_first_argument() -> None:
    error = UsageError("unknown command 'helo'")

    assert error.message == "unknown command 'helo'"
    assert str(error) == "unknown command 'helo'"


def test_hint_is_none_unless_given() -> None:
    assert MyappError("x").hint is None
    assert MyappError("x", hint="try again").hint == "try again"


def test_subclass_hint_is_the_default_and_can_be_overridden() -> None:
    class QuotaExceeded(MyappError):
        hint = "ask for more quota"

    assert QuotaExceeded("over quota").hint == "ask for more quota"
    assert QuotaExceeded("over quota", hint="wait a day").hint == "wait a day"


def test_plugin_load_error_keeps_the_culprit_as_attributes() -> None:
    error = PluginLoadError(
        "plugin 'myapp-good' could not load 'shout = good:Shout' (ImportError)",
        distribution="myapp-good",
        entry_point="shout = good:Shout",
        namespace="myapp.commands",
        hint="reinstall it",
    )

    assert (error.distribution, error.entry_point, error.namespace) == (
        "myapp-good",
        "shout = good:Shout",
        "myapp.commands",
    )
    assert error.hint == "reinstall it"


def test_plugin_load_error_requires_the_culprit() -> None:
    with pytest.raises(TypeError):
        PluginLoadError("cannot load")  # type: ignore[call-arg]


def test_terminated_is_not_caught_by_except_exception() -> None:
    assert issubclass(Terminated, BaseException)
    assert not issubclass(Terminated, Exception)
