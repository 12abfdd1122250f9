"""Whether a plugin was made for the running release: its requirement on the tool, read from metadata."""

from __future__ import annotations

import pytest

from myapp import PLUGIN_API_VERSION, __version__
from myapp.index.discovery import Judge
from myapp.plugins.compat import ToolVersionJudge, incompatibility

NEEDS_OLDER = "needs myapp<0.1, running 0.1.0"


def judged(*requires: str, tool: str = "myapp", version: str = "0.1.0") -> str:
    return incompatibility(requires, tool, version)


# --- no requirement on the tool -------------------------------------------------------------------


@pytest.mark.parametrize(
    "requires",
    [
        (),
        ("cliff>=4",),
        ("myapp-extras<0.1",),
        ("myappx<0.1",),
        ("other-myapp<0.1",),
    ],
    ids=["nothing", "another distribution", "a longer name", "a name that starts alike", "a name that ends alike"],
)
def test_a_plugin_without_a_requirement_on_the_tool_fits(requires: tuple[str, ...]) -> None:
    assert judged(*requires) == ""


# --- the requirement's version range ---------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    ["myapp", "myapp>=0.1,<1", "myapp>=0.1,<0.2", "myapp~=0.1.0", "myapp==0.1.*", "myapp (>=0.1)", "myapp[cli]>=0.1"],
)
def test_a_plugin_whose_range_holds_the_running_release_fits(requirement: str) -> None:
    assert judged(requirement) == ""


@pytest.mark.parametrize(
    ("requirement", "reason"),
    [
        ("myapp<0.1", NEEDS_OLDER),
        ("myapp>=0.2", "needs myapp>=0.2, running 0.1.0"),
        ("myapp==0.0.9", "needs myapp==0.0.9, running 0.1.0"),
        ("myapp (<0.1)", NEEDS_OLDER),
        ("myapp[cli]<0.1", NEEDS_OLDER),
    ],
)
def test_a_plugin_whose_range_leaves_out_the_running_release_does_not(requirement: str, reason: str) -> None:
    assert judged(requirement) == reason


def test_the_reason_names_the_whole_range() -> None:
    reason = judged("myapp>=0.2,<1")

    assert reason.startswith("needs myapp")
    assert reason.endswith(", running 0.1.0")
    assert set(reason[len("needs myapp") : -len(", running 0.1.0")].split(",")) == {">=0.2", "<1"}


def test_the_first_requirement_that_fails_is_the_reason() -> None:
    assert judged("cliff", "myapp>=0.1", "myapp<0.1", "myapp>=0.2") == NEEDS_OLDER


# --- names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("requirement", ["MyApp<0.1", "MYAPP<0.1", "myapp<0.1"])
def test_the_tool_s_name_is_compared_normalized(requirement: str) -> None:
    assert judged(requirement) == f"needs {requirement}, running 0.1.0"


def test_a_tool_whose_name_has_separators_matches_every_spelling() -> None:
    assert judged("acme_cli<1", tool="Acme.CLI", version="1.0") == "needs acme_cli<1, running 1.0"
    assert judged("ACME-cli>=1", tool="acme-cli", version="1.0") == ""


def test_another_tool_reads_its_own_requirement() -> None:
    assert judged("myapp<0.1", "acme>=2", tool="acme", version="1.5") == "needs acme>=2, running 1.5"


# --- markers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    [
        'myapp<0.1; extra == "test"',
        'myapp<0.1 ; extra == "dev" and python_version >= "3"',
        'myapp<0.1; python_version < "3"',
    ],
    ids=["an extra", "an extra and a true marker", "a false marker"],
)
def test_a_requirement_whose_marker_does_not_hold_is_ignored(requirement: str) -> None:
    assert judged(requirement) == ""


@pytest.mark.parametrize(
    "requirement",
    ['myapp<0.1; python_version >= "3"', 'myapp<0.1 ; extra != "test"', 'myapp<0.1; extra == "test" or os_name != ""'],
)
def test_a_requirement_whose_marker_holds_applies(requirement: str) -> None:
    assert judged(requirement) == NEEDS_OLDER


@pytest.mark.parametrize("marker", ['python_version ~= "x"', 'platform_release ~= "5.x"'])
def test_a_requirement_whose_marker_cannot_be_evaluated_is_ignored_like_an_invalid_line(marker: str) -> None:
    assert judged(f"myapp<0.1; {marker}") == ""


# --- what cannot be read ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    ["myapp<<0.1", "myapp (<0.1", "myapp<0.1; python_version >=", "myapp >= not a version!", "myapp @"],
)
def test_invalid_requirement_lines_are_ignored(requirement: str) -> None:
    assert judged(requirement) == ""


def test_an_invalid_line_does_not_hide_a_valid_one() -> None:
    assert judged("myapp<<0.1", "myapp<0.1") == NEEDS_OLDER


def test_a_direct_reference_without_a_range_fits() -> None:
    assert judged("myapp @ https://example.com/myapp-0.0.1-py3-none-any.whl") == ""


def test_a_running_release_that_is_not_a_version_judges_nothing() -> None:
    assert judged("myapp<0.1", version="unknown") == ""


# --- pre-releases --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("running", ["0.2.0b1", "0.2.0rc1", "0.2.0.dev3", "1.0a1"])
def test_a_pre_release_of_the_tool_is_judged_by_its_version(running: str) -> None:
    assert judged("myapp>=0.1", version=running) == ""
    assert judged("myapp<0.1", version=running) == f"needs myapp<0.1, running {running}"


def test_a_pre_release_inside_the_range_fits() -> None:
    assert judged("myapp>=0.1,<1", version="0.5.0rc2") == ""


# --- ToolVersionJudge -----------------------------------------------------------------------------------------------


def test_judge_key_is_the_normalized_name_and_the_version() -> None:
    assert ToolVersionJudge("myapp", "0.1.0").key == "myapp==0.1.0"
    assert ToolVersionJudge("My_App", "2.0rc1").key == "my-app==2.0rc1"


def test_judge_keys_differ_by_release_and_by_tool() -> None:
    keys = {
        ToolVersionJudge("myapp", "0.1.0").key,
        ToolVersionJudge("myapp", "0.1.1").key,
        ToolVersionJudge("acme", "0.1.0").key,
    }

    assert len(keys) == 3


def test_judge_answers_like_incompatibility_for_its_tool_and_version() -> None:
    judge = ToolVersionJudge("MyApp", "0.1.0")

    assert judge.incompatibility(("myapp<0.1",)) == NEEDS_OLDER
    assert judge.incompatibility(("myapp>=0.1,<1", "cliff")) == ""
    assert judge.incompatibility(()) == ""


def test_judge_is_a_discovery_judge_and_immutable() -> None:
    judge = ToolVersionJudge("myapp", "0.1.0")
    as_discovery_sees_it: Judge = judge

    assert as_discovery_sees_it.key == "myapp==0.1.0"
    assert judge == ToolVersionJudge("myapp", "0.1.0")
    with pytest.raises(AttributeError):
        judge.version = "9"  # type: ignore[misc]


def test_the_running_release_fits_a_requirement_on_its_plugin_api() -> None:
    assert judged(f"myapp~={PLUGIN_API_VERSION}.0", version=__version__) == ""
    assert judged(f"myapp>={PLUGIN_API_VERSION},<{PLUGIN_API_VERSION}.999", version=__version__) == ""
