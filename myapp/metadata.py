"""Reading plugins' metadata: installed distributions and drop-in info files.

Each reader returns one index row and the entry points of the tool's
namespaces, or ``None`` (with a warning for a damaged file) when there is
nothing to index; :mod:`myapp.discovery` puts the rows together and caches them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # importlib.metadata is imported only to read metadata, not at a warm start
    from importlib.metadata import EntryPoint

LOG = logging.getLogger(__name__)

_METADATA_SUFFIXES: Final = (".dist-info", ".egg-info")
#: How a drop-in plugin's info file is named.
INFO_SUFFIX: Final = ".plugin.toml"
#: ``(name, version, summary, location, requires)`` of one distribution.
RawDistribution = tuple[str, str, str, str, tuple[str, ...]]


def metadata_folders(entries: list[str]) -> Iterator[str]:
    for entry in entries:
        try:
            names = sorted(name for name in os.listdir(entry) if name.endswith(_METADATA_SUFFIXES))
        except OSError:  # missing, not a directory, or unreadable: nothing to index
            continue
        prefix = os.path.join(entry, "")
        for name in names:
            yield prefix + name


def info_files(plugin_folders: Sequence[str]) -> list[str]:
    files = []
    for folder in plugin_folders:
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(INFO_SUFFIX))
        except OSError:
            continue
        files += [os.path.join(folder, name) for name in names]
    return files


def read_distribution(
    folder: str, prefixes: tuple[str, ...], markers: tuple[str, ...]
) -> tuple[RawDistribution, list[EntryPoint]] | None:
    try:
        text = Path(folder, "entry_points.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not any(marker in text for marker in markers):
        return None
    from importlib.metadata import Distribution

    distribution = Distribution.at(folder)
    try:
        metadata = distribution.metadata
        name = metadata["Name"]
        entry_points = [ep for ep in distribution.entry_points if ep.group.startswith(prefixes)]
    except Exception as error:  # noqa: BLE001 - malformed metadata must not stop the other plugins
        LOG.warning("ignoring %s: unreadable metadata (%s)", folder, error)
        return None
    if not name:
        LOG.warning("ignoring %s: its metadata has no Name", folder)
        return None
    requires = tuple(metadata.get_all("Requires-Dist") or ())
    return (name, metadata["Version"] or "", metadata["Summary"] or "", folder, requires), entry_points


def read_info_file(location: str, namespace_prefix: str) -> tuple[RawDistribution, list[EntryPoint]] | None:
    """A drop-in plugin's metadata from its info file, or ``None`` (with a warning) if unusable.

    The file is TOML::

        name = "site-tools"
        version = "1.2"
        description = "Tools for our site"

        [commands]                 # command entry points: name = "module:attribute"
        deploy = "site_tools:Deploy"

        [hooks]                    # event = "module:attribute" or a list of them
        pre_deploy = ["site_tools:check_branch"]

    Its modules live next to it; the folder joins the end of ``sys.path``.
    """
    try:
        from importlib.metadata import EntryPoint

        from .tomlfiles import read_toml

        data = read_toml(Path(location))[1]
        name, version = data["name"], str(data.get("version", "0"))
        entry_points = [
            EntryPoint(command, value, namespace_prefix + "commands")
            for command, value in data.get("commands", {}).items()
        ]
        for event, values in data.get("hooks", {}).items():
            for number, value in enumerate([values] if isinstance(values, str) else values):
                hook_name = value.rpartition(":")[2] if number == 0 else f"{value.rpartition(':')[2]}_{number}"
                entry_points.append(EntryPoint(hook_name, value, f"{namespace_prefix}hooks.{event}"))
        if not isinstance(name, str) or not all(isinstance(ep.value, str) for ep in entry_points):
            raise TypeError("names and targets must be strings")
    except Exception as error:  # noqa: BLE001 - one bad info file must not stop the others
        LOG.warning("ignoring drop-in plugin '%s': %s", location, error)
        return None
    return (name, version, str(data.get("description", "")), location, ()), entry_points
