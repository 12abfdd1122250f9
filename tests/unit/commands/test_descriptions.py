"""Command descriptions for help: read from the class once, then from the cache without importing."""

from __future__ import annotations

import json
import os
import sys
import time
import types
from pathlib import Path

import pytest
from cliff.command import Command

from myapp.commands.descriptions import Description, DescriptionCache, describe_class
from myapp.commands.entry import CommandEntry
from myapp.index.records import EntryPointInfo
from myapp.plugins.trace import PluginTrace

HERE = __name__


class Runnable(Command):
    # No docstring, so that Undocumented has none; take_action makes it fit the command contract.
    def take_action(self, parsed_args: object) -> None:
        pass


class Hello(Runnable):
    """Greet someone by name.

    The rest of the docstring is for ``help hello``.
    """


class Translated(Runnable):
    """The docstring loses to _description."""

    _description = "Translated summary."


class Undocumented(Runnable):
    pass


class Retired(Runnable):
    """Do what 'hello' does now."""

    deprecated = True


def entry_for(value: str, version: str = "1.0", distribution: str = "myapp-good") -> CommandEntry:
    return CommandEntry("cmd", EntryPointInfo("cmd", value, "myapp.commands", distribution, version))


def forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: CommandEntry) -> None:
        raise AssertionError(f"{self.value} was imported")

    monkeypatch.setattr(CommandEntry, "load", fail)


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "descriptions.json"


# --- describe_class --------------------------------------------------------------------------------


def test_description_is_the_docstring_first_line_without_trailing_period() -> None:
    assert describe_class(Hello) == Description("Greet someone by name")


def test_description_attribute_is_preferred_to_the_docstring() -> None:
    assert describe_class(Translated) == Description("Translated summary")


def test_command_without_docstring_has_an_empty_description() -> None:
    assert describe_class(Undocumented) == Description("")


def test_deprecated_command_is_marked() -> None:
    assert describe_class(Retired) == Description("Do what 'hello' does now", deprecated=True)


# --- DescriptionCache ----------------------------------------------------------------------------


def test_describe_reads_the_command_class(cache_file: Path) -> None:
    cache = DescriptionCache(cache_file, "fp")

    assert cache.describe(entry_for(f"{HERE}:Hello")) == Description("Greet someone by name")


def test_second_describe_in_the_same_run_does_not_import(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = DescriptionCache(cache_file, "fp")
    cache.describe(entry_for(f"{HERE}:Hello"))
    forbid_loading(monkeypatch)

    assert cache.describe(entry_for(f"{HERE}:Hello")) == Description("Greet someone by name")


def test_saved_description_is_read_back_without_importing(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = DescriptionCache(cache_file, "fp")
    first.describe(entry_for(f"{HERE}:Retired"))
    first.save()
    forbid_loading(monkeypatch)

    second = DescriptionCache(cache_file, "another fingerprint")

    assert second.describe(entry_for(f"{HERE}:Retired")) == Description("Do what 'hello' does now", deprecated=True)


def test_new_version_of_a_plugin_is_read_again(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = DescriptionCache(cache_file, "fp")
    first.describe(entry_for(f"{HERE}:Hello", version="1.0"))
    first.save()
    loaded: list[str] = []
    original_load = CommandEntry.load

    def record(self: CommandEntry, trace: PluginTrace | None = None) -> type[Command]:
        loaded.append(self.version)
        return original_load(self, trace)

    monkeypatch.setattr(CommandEntry, "load", record)

    description = DescriptionCache(cache_file, "fp").describe(entry_for(f"{HERE}:Hello", version="2.0"))

    assert description == Description("Greet someone by name")
    assert loaded == ["2.0"]


def test_broken_entry_is_recorded_with_its_error(cache_file: Path) -> None:
    cache = DescriptionCache(cache_file, "fp")

    description = cache.describe(entry_for("myapp_tests_not_installed_yet:Cmd", distribution="myapp-broken"))
    cache.save()

    assert description.text == ""
    assert description.error.startswith(
        "plugin 'myapp-broken' could not load 'cmd = myapp_tests_not_installed_yet:Cmd'"
    )
    assert "ModuleNotFoundError" in description.error
    (saved,) = json.loads(cache_file.read_text()).values()
    assert saved == {"text": "", "deprecated": False, "error": description.error, "fingerprint": "fp"}


def test_broken_entry_is_not_retried_while_the_fingerprint_is_the_same(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = entry_for("myapp_tests_not_installed_yet:Cmd")
    first = DescriptionCache(cache_file, "fp")
    error = first.describe(broken).error
    first.save()
    forbid_loading(monkeypatch)

    assert DescriptionCache(cache_file, "fp").describe(broken) == Description("", error=error)


def test_broken_entry_is_retried_when_the_fingerprint_changes(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = entry_for("myapp_tests_not_installed_yet:Cmd")
    first = DescriptionCache(cache_file, "before")
    first.describe(broken)
    first.save()
    # The missing dependency arrives: the module can now be imported.
    module = types.ModuleType("myapp_tests_not_installed_yet")
    module.Cmd = Hello  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)

    second = DescriptionCache(cache_file, "after")
    description = second.describe(broken)
    second.save()

    assert description == Description("Greet someone by name")
    (saved,) = json.loads(cache_file.read_text()).values()
    assert saved["error"] == ""


@pytest.mark.parametrize("content", [b"not json", b"\xff\xfe", b"[1, 2]", b'"text"', b"null"], ids=repr)
def test_unreadable_cache_file_is_ignored_and_replaced(content: bytes, cache_file: Path) -> None:
    cache_file.parent.mkdir()
    cache_file.write_bytes(content)
    cache = DescriptionCache(cache_file, "fp")

    description = cache.describe(entry_for(f"{HERE}:Hello"))
    cache.save()

    assert description == Description("Greet someone by name")
    assert [entry["text"] for entry in json.loads(cache_file.read_text()).values()] == ["Greet someone by name"]


def test_cache_file_that_is_a_folder_is_ignored(cache_file: Path) -> None:
    cache_file.mkdir(parents=True)
    cache = DescriptionCache(cache_file, "fp")

    description = cache.describe(entry_for(f"{HERE}:Hello"))
    cache.save()

    assert description == Description("Greet someone by name")
    assert cache_file.is_dir()


def test_cached_entry_with_missing_fields_is_read_again(cache_file: Path) -> None:
    first = DescriptionCache(cache_file, "fp")
    first.describe(entry_for(f"{HERE}:Hello"))
    first.save()
    data = json.loads(cache_file.read_text())
    cache_file.write_text(json.dumps({key: {"text": "stale"} for key in data}))

    assert DescriptionCache(cache_file, "fp").describe(entry_for(f"{HERE}:Hello")) == Description(
        "Greet someone by name"
    )


def test_save_without_new_descriptions_writes_nothing(cache_file: Path) -> None:
    DescriptionCache(cache_file, "fp").save()

    assert not cache_file.exists()


def test_no_cache_file_keeps_nothing(tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    cache = DescriptionCache(None, "fp")

    cache.describe(entry_for(f"{HERE}:Hello"))
    cache.save()

    assert sorted(tmp_path.rglob("*")) == before


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("")
    cache = DescriptionCache(blocker / "descriptions.json", "fp")

    description = cache.describe(entry_for(f"{HERE}:Hello"))
    cache.save()

    assert description == Description("Greet someone by name")


# --- plugins edited in place (editable installs, drop-ins) ---------------------------------------

GOOD_SOURCE = '''
from cliff.command import Command

from .helper import WORD


class Cmd(Command):
    """Say the word."""

    def take_action(self, parsed_args):
        pass
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package ``myapp_tests_edited`` on ``sys.path``, as an editable install leaves it: the author's own files."""
    package = tmp_path / "project" / "myapp_tests_edited"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "commands.py").write_text(GOOD_SOURCE)
    (package / "helper.py").write_text("WORD = 'word'\n")
    monkeypatch.syspath_prepend(str(package.parent))
    return package


def describe_in_a_new_run(cache_file: Path, edited: bool = True, fingerprint: str = "fp") -> Description:
    """What ``--help`` of a new process says: nothing of the package is imported yet."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "myapp_tests_edited"]:
        del sys.modules[name]
    cache = DescriptionCache(cache_file, fingerprint, lambda distribution: edited)
    description = cache.describe(entry_for("myapp_tests_edited.commands:Cmd", distribution="myapp-edited"))
    cache.save()
    return description


def edit(path: Path, text: str) -> None:
    """Change *path* the way an editor does: new content, a later modification time."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_an_edited_in_place_command_that_breaks_is_described_as_broken_at_the_next_run(
    cache_file: Path, project: Path
) -> None:
    assert describe_in_a_new_run(cache_file) == Description("Say the word")

    edit(project / "commands.py", GOOD_SOURCE.replace("class Cmd", "class Cmd(:"))

    assert "SyntaxError" in describe_in_a_new_run(cache_file).error


def test_an_edited_in_place_command_that_is_fixed_loses_its_error_at_the_next_run(
    cache_file: Path, project: Path
) -> None:
    (project / "commands.py").write_text(GOOD_SOURCE.replace("class Cmd", "class Cmd(:"))
    assert describe_in_a_new_run(cache_file).error

    edit(project / "commands.py", GOOD_SOURCE.replace("Say the word", "Say the fixed word"))

    assert describe_in_a_new_run(cache_file) == Description("Say the fixed word")


def test_a_failure_in_another_module_of_the_package_is_retried_once_that_module_is_fixed(
    cache_file: Path, project: Path
) -> None:
    (project / "helper.py").write_text("WORD = undefined_name\n")
    assert "NameError" in describe_in_a_new_run(cache_file).error

    edit(project / "helper.py", "WORD = 'fixed'\n")

    assert describe_in_a_new_run(cache_file) == Description("Say the word")


def test_a_docstring_edit_is_seen_and_an_unchanged_command_is_not_imported_again(
    cache_file: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    describe_in_a_new_run(cache_file)
    edit(project / "commands.py", GOOD_SOURCE.replace("Say the word", "Say another word"))
    assert describe_in_a_new_run(cache_file) == Description("Say another word")

    forbid_loading(monkeypatch)

    assert describe_in_a_new_run(cache_file) == Description("Say another word")


def test_an_installed_copy_is_not_stamped_and_keeps_its_cached_description(cache_file: Path, project: Path) -> None:
    describe_in_a_new_run(cache_file, edited=False)
    edit(project / "commands.py", GOOD_SOURCE.replace("Say the word", "Say another word"))

    assert describe_in_a_new_run(cache_file, edited=False) == Description("Say the word")
    (saved,) = json.loads(cache_file.read_text()).values()
    assert "sources" not in saved


def test_a_stale_stamped_record_is_not_offered_to_completion(cache_file: Path, project: Path) -> None:
    describe_in_a_new_run(cache_file)
    entry_point = entry_for("myapp_tests_edited.commands:Cmd", distribution="myapp-edited").entry_point
    assert DescriptionCache(cache_file, "fp").cached_description(entry_point) == Description("Say the word")

    edit(project / "commands.py", GOOD_SOURCE.replace("Say the word", "Say another word"))

    assert DescriptionCache(cache_file, "fp").cached_description(entry_point) is None


@pytest.mark.parametrize("sources", ["not a list", [["too", "short"]], [[1, 2, 3]]], ids=repr)
def test_a_record_with_malformed_stamps_is_read_again(cache_file: Path, project: Path, sources: object) -> None:
    describe_in_a_new_run(cache_file)
    (key,) = json.loads(cache_file.read_text())
    record = {"text": "stale", "deprecated": False, "error": "", "fingerprint": "fp", "sources": sources}
    cache_file.write_text(json.dumps({key: record}))

    assert describe_in_a_new_run(cache_file) == Description("Say the word")


def test_a_built_in_command_is_never_stamped(cache_file: Path) -> None:
    cache = DescriptionCache(cache_file, "fp", lambda distribution: True)
    entry = CommandEntry("cmd", EntryPointInfo("cmd", f"{HERE}:Hello", "myapp.commands", "myapp", "1.0"), builtin=True)

    cache.describe(entry)
    cache.save()

    (saved,) = json.loads(cache_file.read_text()).values()
    assert "sources" not in saved


def test_a_copy_reinstalled_editable_at_the_same_version_is_stamped_from_the_next_run(
    cache_file: Path, project: Path
) -> None:
    describe_in_a_new_run(cache_file, edited=False, fingerprint="installed copy")
    # pip install -e . of the same version: something was installed (a new fingerprint), the key is the same.
    describe_in_a_new_run(cache_file, edited=True, fingerprint="editable")
    edit(project / "commands.py", GOOD_SOURCE.replace("Say the word", "Say another word"))

    assert describe_in_a_new_run(cache_file, fingerprint="editable") == Description("Say another word")


def test_after_an_install_a_record_still_unwatched_is_kept_and_not_imported_again(
    cache_file: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    describe_in_a_new_run(cache_file, edited=False, fingerprint="before")
    forbid_loading(monkeypatch)

    assert describe_in_a_new_run(cache_file, edited=False, fingerprint="after") == Description("Say the word")
    (saved,) = json.loads(cache_file.read_text()).values()
    assert saved["fingerprint"] == "after"  # asked once per install, not on every run


# --- describe_all: commands not cached are described in a child process ----------------------------


def describe_all_in_a_new_run(
    cache_file: Path, *entries: CommandEntry, time_limit: float = 10, edited: bool = True
) -> list[Description]:
    """What ``--help`` of a new process says of *entries*: nothing of the test package is imported yet."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "myapp_tests_edited"]:
        del sys.modules[name]
    cache = DescriptionCache(cache_file, "fp", lambda distribution: edited)
    found = cache.describe_all(entries, time_limit=time_limit)
    cache.save()
    return found


EDITED = entry_for("myapp_tests_edited.commands:Cmd", distribution="myapp-edited")


def forbid_children(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*arguments: object) -> None:
        raise AssertionError("a child process was started")

    monkeypatch.setattr("myapp.plugins.isolation.run_isolated", fail)


def test_describe_all_reads_a_command_in_a_child_with_the_stamps_this_process_would_give(
    cache_file: Path, project: Path
) -> None:
    assert describe_all_in_a_new_run(cache_file, EDITED) == [Description("Say the word")]
    assert "myapp_tests_edited" not in sys.modules  # imported in the child only
    (in_child,) = json.loads(cache_file.read_text()).values()
    cache_file.unlink()

    describe_in_a_new_run(cache_file)

    (here,) = json.loads(cache_file.read_text()).values()
    assert in_child == here
    assert [stamp[0] for stamp in here["sources"]] == [
        str(project / name) for name in ("__init__.py", "commands.py", "helper.py")
    ]


def test_an_import_that_ends_the_process_is_described_as_broken_and_the_other_commands_still_are(
    cache_file: Path, project: Path
) -> None:
    (project / "helper.py").write_text("import os\n\nos._exit(3)\n")

    broken, other = describe_all_in_a_new_run(cache_file, EDITED, entry_for(f"{HERE}:Hello"))

    assert broken == Description(
        "",
        error="plugin 'myapp-edited' could not load 'cmd = myapp_tests_edited.commands:Cmd' "
        "(it ended the process with status 3 while being imported)",
    )
    assert other == Description("Greet someone by name")


def test_an_import_that_never_returns_is_described_as_broken_after_the_time_limit(
    cache_file: Path, project: Path
) -> None:
    (project / "helper.py").write_text("import time\n\ntime.sleep(60)\n")
    started = time.monotonic()

    [broken] = describe_all_in_a_new_run(cache_file, EDITED, time_limit=0.3)

    assert broken.error.endswith("(it was still importing after 0.3 s, the import_timeout limit)")
    assert time.monotonic() - started < 10


def test_such_a_failure_is_cached_and_read_again_once_any_file_of_the_package_changes(
    cache_file: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "helper.py").write_text("import os\n\nos._exit(3)\n")
    [broken] = describe_all_in_a_new_run(cache_file, EDITED)
    with monkeypatch.context() as patched:
        forbid_children(patched)
        assert describe_all_in_a_new_run(cache_file, EDITED) == [broken]

    edit(project / "helper.py", "WORD = 'fixed'\n")

    assert describe_all_in_a_new_run(cache_file, EDITED) == [Description("Say the word")]


def test_an_installed_copy_that_ended_the_process_is_not_stamped(cache_file: Path, project: Path) -> None:
    (project / "helper.py").write_text("import os\n\nos._exit(3)\n")

    describe_all_in_a_new_run(cache_file, EDITED, edited=False)

    (saved,) = json.loads(cache_file.read_text()).values()
    assert saved["error"] and "sources" not in saved


def test_describe_all_starts_no_child_when_every_description_is_cached(
    cache_file: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = describe_all_in_a_new_run(cache_file, EDITED)
    forbid_children(monkeypatch)
    forbid_loading(monkeypatch)

    assert describe_all_in_a_new_run(cache_file, EDITED) == first


def test_a_command_whose_module_is_imported_already_is_described_in_this_process(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_children(monkeypatch)

    assert DescriptionCache(cache_file, "fp").describe_all([entry_for(f"{HERE}:Hello")]) == [
        Description("Greet someone by name")
    ]
