"""The order in which one event's hooks run, and why each stands where it does.

1. Hooks named in the configuration (``[hooks.order] <event> = [...]``) run
   first, in the order given there.
2. The rest follow a topological order of their ``before`` / ``after``
   constraints; among hooks free to run, higher ``priority`` goes first,
   then distribution name, then entry-point name.

A cycle of constraints is an error that names the hooks in it.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import HookOrderError as HookOrderError  # re-exported: its home before myapp.errors
from ..index.records import normalize_name
from .context import LoadedHook


@dataclass(frozen=True, slots=True)
class PlacedHook:
    """A hook in its running order, with the reason for its place."""

    hook: LoadedHook
    reason: str


def order_hooks(event: str, hooks: Sequence[LoadedHook], configured: Sequence[str] = ()) -> list[PlacedHook]:
    """Sort *hooks* of *event* for running; see the module docstring.

    :param configured: ``dist`` or ``dist:hook`` references from the configuration.
    :raises HookOrderError: the constraints form a cycle.
    """
    placed: list[PlacedHook] = []
    remaining = list(hooks)
    for position, reference in enumerate(configured, start=1):
        named = [h for h in remaining if h.matches(reference)]
        # Several hooks under one reference keep their own relative order.
        for placed_hook in _by_constraints(event, named):
            placed.append(PlacedHook(placed_hook.hook, f"config order #{position}"))
        remaining = [h for h in remaining if h not in named]
    return placed + _by_constraints(event, remaining)


def _sort_key(hook: LoadedHook) -> tuple[int, str, str]:
    return (-hook.order.priority, normalize_name(hook.distribution), hook.entry_point.name)


def _by_constraints(event: str, hooks: list[LoadedHook]) -> list[PlacedHook]:
    predecessors: dict[int, set[int]] = {i: set() for i in range(len(hooks))}
    reasons: dict[int, list[str]] = {i: [] for i in range(len(hooks))}
    for i, hook in enumerate(hooks):
        for reference in hook.order.before:
            for j, other in enumerate(hooks):
                if j != i and other.matches(reference):
                    predecessors[j].add(i)
                    reasons[i].append(f"before {reference}")
        for reference in hook.order.after:
            for j, other in enumerate(hooks):
                if j != i and other.matches(reference):
                    predecessors[i].add(j)
                    reasons[i].append(f"after {reference}")
    sorter = graphlib.TopologicalSorter(predecessors)
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        cycle = [hooks[i].label for i in error.args[1]]
        raise HookOrderError(
            f"the hooks of event '{event}' have contradictory before/after constraints: {' -> '.join(cycle)}",
            cycle=cycle,
            hint="disable one of these plugins, or set the order in [hooks.order] of the config file",
        ) from None
    ready: list[tuple[tuple[int, str, str], int]] = []
    ordered: list[PlacedHook] = []
    while sorter.is_active():
        for i in sorter.get_ready():
            heapq.heappush(ready, (_sort_key(hooks[i]), i))
        _, i = heapq.heappop(ready)
        ordered.append(PlacedHook(hooks[i], _reason(hooks[i], reasons[i])))
        sorter.done(i)
    return ordered


def _reason(hook: LoadedHook, constraints: list[str]) -> str:
    parts = list(dict.fromkeys(constraints))
    if hook.order.priority:
        parts.append(f"priority {hook.order.priority}")
    return ", ".join(parts) if parts else "default (distribution, name)"
