"""What the index says about one distribution and one entry point, read from metadata alone.

The rows :class:`~myapp.index.pluginindex.PluginIndex` answers with, and the
normalized form of a distribution's name that every comparison of names uses.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final, NamedTuple

from .metadata import INFO_SUFFIX

if TYPE_CHECKING:  # importlib.metadata is imported only to read metadata, not at a warm start
    from importlib.metadata import EntryPoint

_SEPARATORS: Final = re.compile(r"[-_.]+")


@functools.lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """The PEP 503 form of a distribution name (``My_App`` -> ``my-app``)."""
    return _SEPARATORS.sub("-", name).lower()


class EntryPointInfo(NamedTuple):
    """One entry point, as registered by a distribution."""

    name: str
    value: str
    group: str
    distribution: str
    version: str = ""

    @property
    def module(self) -> str:
        """The module the entry point's target lives in."""
        return self.value.partition(":")[0].strip()

    def to_entry_point(self) -> EntryPoint:
        """The standard-library form, for stevedore and for importing."""
        from importlib.metadata import EntryPoint

        return EntryPoint(self.name, self.value, self.group)


class DistributionInfo(NamedTuple):
    """An installed distribution that registers entry points in an indexed namespace."""

    name: str
    version: str
    summary: str
    location: str
    requires: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The normalized name, for comparisons."""
        return normalize_name(self.name)

    @property
    def is_drop_in(self) -> bool:
        """Whether it comes from an info file in a plugin folder rather than an install."""
        return self.location.endswith(INFO_SUFFIX)


class RefusedName(NamedTuple):
    """An entry point left out of the index because its name could be read as a path (see :mod:`.names`)."""

    distribution: str
    group: str
    name: str
    #: why, e.g. ``its name contains a path separator``
    problem: str
