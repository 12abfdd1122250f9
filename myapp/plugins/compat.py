"""Whether a plugin was made for the running version of the tool.

A plugin says which versions it supports in its standard metadata, as its
requirement on the tool's distribution (``myapp>=0.1,<1``). pip checks that
at install time, but an upgrade of the tool or a ``--no-deps`` install can
break it later; myapp checks it again, from metadata only, whenever the
installed set changes, and skips a plugin that does not fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..index.records import normalize_name


class ToolVersionJudge(NamedTuple):
    """Judges plugins by their requirement on the tool's distribution (a :class:`~myapp.index.discovery.Judge`)."""

    distribution: str
    version: str

    @property
    def key(self) -> str:
        """What the verdicts depend on."""
        return f"{normalize_name(self.distribution)}=={self.version}"

    def incompatibility(self, requires: tuple[str, ...]) -> str:
        """Why a plugin with these requirements cannot run with this tool, or ``""``."""
        return incompatibility(requires, self.distribution, self.version)


def incompatibility(requires: Iterable[str], tool_distribution: str, tool_version: str) -> str:
    """Why a plugin with these ``Requires-Dist`` lines cannot run with this tool, or ``""``."""
    tool = normalize_name(tool_distribution)
    candidates = [line for line in requires if tool in normalize_name(line.split(";")[0])]
    if not candidates:
        return ""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    try:
        running = Version(tool_version)
    except InvalidVersion:
        return ""
    for line in candidates:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if normalize_name(requirement.name) != tool:
            continue
        try:
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
        except Exception:  # noqa: BLE001 - a marker packaging cannot evaluate is ignored like a bad line
            continue
        if not requirement.specifier.contains(running, prereleases=True):
            return f"needs {requirement.name}{requirement.specifier}, running {tool_version}"
    return ""
