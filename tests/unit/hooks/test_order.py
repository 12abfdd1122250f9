"""The running order of one event's hooks: config first, then constraints, priority, distribution and name."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myapp.errors import ExitCode
from myapp.hooks.context import HookOrder, LoadedHook
from myapp.hooks.order import HookOrderError, PlacedHook, order_hooks
from myapp.identity import MYAPP
from myapp.index.records import EntryPointInfo, normalize_name


def loaded(label: str, priority: int = 0, before: Sequence[str] = (), after: Sequence[str] = ()) -> LoadedHook:
    """A loaded hook called ``distribution:name``."""
    distribution, _, name = label.partition(":")
    entry_point = EntryPointInfo(name, f"module:{name}", MYAPP.hook_namespace("pre_x"), distribution, "1.0")
    return LoadedHook(entry_point, lambda context: None, HookOrder(priority, tuple(before), tuple(after)))


def labels(placed: list[PlacedHook]) -> list[str]:
    return [p.hook.label for p in placed]


def reasons(placed: list[PlacedHook]) -> dict[str, str]:
    return {p.hook.label: p.reason for p in placed}


# --- priority and names --------------------------------------------------------------------------


def test_no_hooks_give_an_empty_order() -> None:
    assert order_hooks("pre_x", []) == []


def test_higher_priority_runs_first() -> None:
    hooks = [loaded("a:low", -1), loaded("b:default"), loaded("c:high", 10)]

    assert labels(order_hooks("pre_x", hooks)) == ["c:high", "b:default", "a:low"]


def test_ties_go_by_normalized_distribution_then_entry_point_name() -> None:
    hooks = [loaded("Zeta:a"), loaded("beta:b"), loaded("alpha:z"), loaded("alpha:m")]

    assert labels(order_hooks("pre_x", hooks)) == ["alpha:m", "alpha:z", "beta:b", "zeta:a"]


# --- before / after ------------------------------------------------------------------------------


def test_after_a_distribution_follows_all_its_hooks_despite_priority() -> None:
    hooks = [loaded("a:late", priority=100, after=["b"]), loaded("b:one"), loaded("b:two", priority=-5)]

    assert labels(order_hooks("pre_x", hooks)) == ["b:one", "b:two", "a:late"]


def test_before_a_single_hook_precedes_only_that_hook() -> None:
    hooks = [loaded("a:one"), loaded("b:one"), loaded("z:early", before=["b:one"]), loaded("b:two")]

    assert labels(order_hooks("pre_x", hooks)) == ["a:one", "b:two", "z:early", "b:one"]


def test_constraints_compare_distribution_names_normalized() -> None:
    hooks = [loaded("a-dist:first", after=["Z_Dist"]), loaded("z-dist:second")]

    assert labels(order_hooks("pre_x", hooks)) == ["z-dist:second", "a-dist:first"]


def test_a_hook_may_be_ordered_against_its_own_distribution() -> None:
    hooks = [loaded("a:setup"), loaded("a:teardown", before=["a"]), loaded("a:main", after=["a:setup"])]

    assert labels(order_hooks("pre_x", hooks)) == ["a:teardown", "a:setup", "a:main"]


def test_constraints_naming_absent_plugins_are_ignored() -> None:
    hooks = [loaded("b:one", after=["not-installed"], before=["a:missing", "gone:x"]), loaded("a:one")]

    placed = order_hooks("pre_x", hooks)

    assert labels(placed) == ["a:one", "b:one"]
    assert reasons(placed)["b:one"] == "default (distribution, name)"


# --- config order --------------------------------------------------------------------------------


def test_config_order_goes_first_in_the_given_order() -> None:
    hooks = [loaded("a:one", priority=50), loaded("b:one"), loaded("c:one"), loaded("c:two")]

    placed = order_hooks("pre_x", hooks, ["c:two", "b"])

    assert labels(placed) == ["c:two", "b:one", "a:one", "c:one"]
    assert reasons(placed)["c:two"] == "config order #1"
    assert reasons(placed)["b:one"] == "config order #2"


def test_config_order_wins_over_before_and_after_constraints() -> None:
    hooks = [loaded("a:one", before=["b"]), loaded("b:one")]

    assert labels(order_hooks("pre_x", hooks, ["b:one"])) == ["b:one", "a:one"]


def test_config_order_ignores_plugins_that_are_not_installed_and_names_normalized() -> None:
    placed = order_hooks("pre_x", [loaded("a:one"), loaded("my-dist:one")], ["absent", "My_Dist"])

    assert labels(placed) == ["my-dist:one", "a:one"]
    assert reasons(placed)["my-dist:one"] == "config order #2"


def test_a_hook_named_twice_in_the_config_takes_its_first_place() -> None:
    placed = order_hooks("pre_x", [loaded("a:one"), loaded("b:one")], ["b", "a", "b:one"])

    assert labels(placed) == ["b:one", "a:one"]
    assert reasons(placed)["b:one"] == "config order #1"


def test_config_order_breaks_a_cycle() -> None:
    hooks = [loaded("a:one", after=["b"]), loaded("b:one", after=["a"])]

    assert labels(order_hooks("pre_x", hooks, ["b"])) == ["b:one", "a:one"]


def test_hooks_of_one_configured_distribution_keep_their_constraints_whatever_the_input_order() -> None:
    first, second = loaded("a:setup"), loaded("a:main", priority=5, after=["a:setup"])

    assert labels(order_hooks("pre_x", [first, second], ["a"])) == ["a:setup", "a:main"]
    assert labels(order_hooks("pre_x", [second, first], ["a"])) == ["a:setup", "a:main"]


def test_hooks_of_one_configured_distribution_go_by_priority_and_all_take_its_place() -> None:
    hooks = [loaded("b:other", priority=50), loaded("a:low", -1), loaded("a:high", 10), loaded("a:plain")]

    placed = order_hooks("pre_x", hooks, ["a"])

    assert labels(placed) == ["a:high", "a:plain", "a:low", "b:other"]
    assert [p.reason for p in placed[:3]] == ["config order #1"] * 3


def test_constraints_towards_hooks_outside_the_configured_group_are_not_consulted() -> None:
    hooks = [loaded("a:one", after=["b:one"]), loaded("b:one")]

    assert labels(order_hooks("pre_x", hooks, ["a"])) == ["a:one", "b:one"]


def test_a_cycle_inside_one_configured_distribution_is_still_an_error() -> None:
    hooks = [loaded("a:one", after=["a:two"]), loaded("a:two", after=["a:one"])]

    with pytest.raises(HookOrderError, match="a:one"):
        order_hooks("pre_x", hooks, ["a"])
    # Naming each hook breaks it, as the error's hint says.
    assert labels(order_hooks("pre_x", hooks, ["a:two", "a:one"])) == ["a:two", "a:one"]


# --- cycles --------------------------------------------------------------------------------------


def test_a_cycle_is_an_error_naming_every_hook_in_it() -> None:
    hooks = [loaded("a:one", after=["b"]), loaded("b:one", after=["c:one"]), loaded("c:one", after=["a"])]
    hooks.append(loaded("d:bystander"))

    with pytest.raises(HookOrderError) as raised:
        order_hooks("pre_x", hooks)

    message = raised.value.message
    assert message.startswith("the hooks of event 'pre_x' have contradictory before/after constraints: ")
    assert all(label in message for label in ("a:one", "b:one", "c:one"))
    assert "d:bystander" not in message
    cycle = raised.value.cycle
    assert cycle[0] == cycle[-1] and sorted(cycle[1:]) == ["a:one", "b:one", "c:one"]
    assert message.endswith(" -> ".join(cycle))
    assert raised.value.exit_code == ExitCode.PLUGIN
    assert "[hooks.order]" in (raised.value.hint or "")


def test_before_and_after_of_two_hooks_that_contradict_are_a_cycle() -> None:
    hooks = [loaded("a:one", before=["b:one"]), loaded("b:one", before=["a:one"])]

    with pytest.raises(HookOrderError, match=r"constraints: (a:one -> b:one -> a:one|b:one -> a:one -> b:one)$"):
        order_hooks("pre_x", hooks)


# --- reasons -------------------------------------------------------------------------------------


def test_each_hook_says_why_it_stands_where_it_does() -> None:
    hooks = [
        loaded("a:plain"),
        loaded("b:urgent", priority=10),
        loaded("c:follower", after=["a"]),
        loaded("d:leader", before=["a:plain"]),
        loaded("e:both", priority=-2, after=["a:plain"], before=["c"]),
        loaded("f:configured", priority=99, after=["a"]),
    ]

    assert reasons(order_hooks("pre_x", hooks, ["f"])) == {
        "f:configured": "config order #1",
        "b:urgent": "priority 10",
        "d:leader": "before a:plain",
        "a:plain": "default (distribution, name)",
        "c:follower": "after a",
        "e:both": "before c, after a:plain, priority -2",
    }


def test_a_constraint_matching_several_hooks_is_given_once_as_a_reason() -> None:
    placed = order_hooks("pre_x", [loaded("a:one"), loaded("a:two"), loaded("b:one", after=["a"])])

    assert reasons(placed)["b:one"] == "after a"


# --- determinism ---------------------------------------------------------------------------------

DISTRIBUTIONS = ("a-dist", "b-dist", "c-dist")
NAMES = ("x", "y", "z")
REFERENCES = (*DISTRIBUTIONS, *(f"{d}:{n}" for d in DISTRIBUTIONS for n in NAMES), "absent-dist")


@st.composite
def hook_sets(draw: st.DrawFn) -> tuple[list[LoadedHook], list[LoadedHook]]:
    """Hooks with random priorities and constraints, and the same hooks shuffled."""
    pairs = draw(st.lists(st.tuples(st.sampled_from(DISTRIBUTIONS), st.sampled_from(NAMES)), unique=True, max_size=6))
    references = st.lists(st.sampled_from(REFERENCES), max_size=2)
    hooks = [
        loaded(f"{d}:{n}", draw(st.sampled_from((-1, 0, 0, 5))), draw(references), draw(references)) for d, n in pairs
    ]
    return hooks, draw(st.permutations(hooks))


def must_precede(hooks: Sequence[LoadedHook]) -> dict[str, set[str]]:
    """Label -> labels of the hooks it must run after, read from the constraints."""
    predecessors: dict[str, set[str]] = {h.label: set() for h in hooks}
    for hook in hooks:
        for other in hooks:
            if other is hook:
                continue
            if any(other.matches(r) for r in hook.order.before):
                predecessors[other.label].add(hook.label)
            if any(other.matches(r) for r in hook.order.after):
                predecessors[hook.label].add(other.label)
    return predecessors


def has_cycle(predecessors: dict[str, set[str]]) -> bool:
    remaining = {label: set(before) for label, before in predecessors.items()}
    while remaining:
        free = [label for label, before in remaining.items() if not before]
        if not free:
            return True
        for label in free:
            del remaining[label]
        for before in remaining.values():
            before.difference_update(free)
    return False


def key(hook: LoadedHook) -> tuple[int, str, str]:
    return (-hook.order.priority, normalize_name(hook.distribution), hook.entry_point.name)


@settings(database=None, max_examples=150)
@given(hook_sets())
def test_order_is_the_same_whatever_the_input_order_and_respects_every_constraint(
    hooks_and_shuffled: tuple[list[LoadedHook], list[LoadedHook]],
) -> None:
    hooks, shuffled = hooks_and_shuffled
    predecessors = must_precede(hooks)
    try:
        placed = order_hooks("pre_x", hooks)
    except HookOrderError as error:
        assert has_cycle(predecessors)
        cycle = error.message.partition("constraints: ")[2].split(" -> ")
        assert cycle[0] == cycle[-1]
        assert all(earlier in predecessors[later] for earlier, later in itertools.pairwise(cycle))
        with pytest.raises(HookOrderError):
            order_hooks("pre_x", shuffled)
        return
    assert not has_cycle(predecessors)
    assert labels(order_hooks("pre_x", shuffled)) == labels(placed)
    assert sorted(labels(placed)) == sorted(h.label for h in hooks)
    done: set[str] = set()
    for position, chosen in enumerate(p.hook for p in placed):
        assert predecessors[chosen.label] <= done, f"{chosen.label} runs before a hook it must follow"
        free = [h for h in hooks if h.label not in done and predecessors[h.label] <= done]
        assert key(chosen) == min(map(key, free)), f"position {position}: a hook free to run ranks higher"
        done.add(chosen.label)


@settings(database=None, max_examples=50)
@given(hook_sets(), st.lists(st.sampled_from(REFERENCES[len(DISTRIBUTIONS) :]), unique=True, max_size=3))
def test_config_order_of_single_hooks_is_the_same_whatever_the_input_order(
    hooks_and_shuffled: tuple[list[LoadedHook], list[LoadedHook]], configured: list[str]
) -> None:
    hooks, shuffled = hooks_and_shuffled
    try:
        placed = order_hooks("pre_x", hooks, configured)
    except HookOrderError:
        with pytest.raises(HookOrderError):
            order_hooks("pre_x", shuffled, configured)
        return
    assert labels(order_hooks("pre_x", shuffled, configured)) == labels(placed)
    present = [reference for reference in configured if any(h.label == reference for h in hooks)]
    assert labels(placed)[: len(present)] == present
