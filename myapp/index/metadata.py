"""Reading plugins' metadata: installed distributions and drop-in info files.

Each reader returns one index row and the entry points of the tool's
namespaces, or ``None`` (with a warning for a damaged file) when there is
nothing to index; :mod:`myapp.index.discovery` puts the rows together and caches them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # importlib.metadata is imported only to read metadata, not at a warm start
    from importlib.metadata import EntryPoint, PackageMetadata

LOG = logging.getLogger(__name__)

_METADATA_SUFFIXES: Final = (".dist-info", ".egg-info")
#: How a drop-in plugin's info file is named.
INFO_SUFFIX: Final = ".plugin.toml"
#: ``(name, version, summary, location, requires)`` of one distribution.
RawDistribution = tuple[str, str, str, str, tuple[str, ...]]


def metadata_folders(entries: Sequence[str]) -> Iterator[str]:
    """The ``*.dist-info`` and ``*.egg-info`` folders in the ``sys.path`` *entries*, sorted within each entry."""
    return _paths_ending(entries, _METADATA_SUFFIXES)


def info_files(plugin_folders: Sequence[str]) -> list[str]:
    """The drop-in plugins' info files (``*.plugin.toml``) in *plugin_folders*, sorted within each folder."""
    return list(_paths_ending(plugin_folders, (INFO_SUFFIX,)))


def _paths_ending(folders: Sequence[str], suffixes: tuple[str, ...]) -> Iterator[str]:
    for folder in folders:
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(suffixes))
        except OSError:  # missing, not a directory, or unreadable: nothing to index
            continue
        prefix = os.path.join(folder, "")
        for name in names:
            yield prefix + name


def read_distribution(
    folder: str, prefixes: tuple[str, ...], markers: tuple[str, ...]
) -> tuple[RawDistribution, list[EntryPoint]] | None:
    """An installed distribution's index row and its entry points in the namespaces *prefixes*, or ``None``.

    :param markers: strings one of which ``entry_points.txt`` must contain for
        the distribution to be read further (most installed distributions are
        not plugins, and are passed over without parsing their metadata).
    """
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
        name = metadata_field(metadata, "Name")
        entry_points = [ep for ep in distribution.entry_points if ep.group.startswith(prefixes)]
    except Exception as error:  # noqa: BLE001 - malformed metadata must not stop the other plugins
        LOG.warning("ignoring %s: unreadable metadata (%s)", folder, error)
        return None
    if not name:
        LOG.warning("ignoring %s: its metadata has no Name", folder)
        return None
    requires = tuple(metadata.get_all("Requires-Dist") or ())
    version, summary = metadata_field(metadata, "Version"), metadata_field(metadata, "Summary")
    return (name, version, summary, folder, requires), entry_points


def direct_url(location: str) -> dict[str, Any] | None:
    """What pip recorded about where it installed a distribution from (PEP 610 ``direct_url.json``), if anything.

    :raises ValueError: the file is there but is not a JSON object.
    """
    import json

    try:
        text = Path(location, "direct_url.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    record = json.loads(text)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return record


def is_edited_in_place(location: str) -> bool:
    """Whether the distribution whose metadata is at *location* runs its code from where its author edits it.

    That is an editable install (``pip install -e``: ``direct_url.json`` says
    so), a ``*.egg-info`` folder (``setup.py develop`` writes one in the
    project), or a drop-in plugin's info file. An installed copy is not.
    """
    if location.endswith((INFO_SUFFIX, ".egg-info")):
        return True
    try:
        record = direct_url(location)
    except ValueError:
        return False
    dir_info = record.get("dir_info") if record else None
    return isinstance(dir_info, dict) and dir_info.get("editable") is True


def metadata_field(metadata: PackageMetadata, name: str) -> str:
    """The field *name* of *metadata*, or ``""`` (from Python 3.12 a missing field read with ``[]`` warns)."""
    values = metadata.get_all(name)
    return str(values[0]) if values else ""


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
        from .._toml import read_toml

        data = read_toml(Path(location))[1]
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("'name' must be a non-empty string")
        entry_points = _info_entry_points(data, namespace_prefix)
    except Exception as error:  # noqa: BLE001 - one bad info file must not stop the others
        LOG.warning("ignoring drop-in plugin '%s': %s", location, error)
        return None
    version, description = str(data.get("version", "0")), str(data.get("description", ""))
    return (name, version, description, location, ()), entry_points


def _info_entry_points(data: dict[str, Any], namespace_prefix: str) -> list[EntryPoint]:
    """The entry points of an info file's ``[commands]`` and ``[hooks]`` tables.

    :raises ValueError: a table or a target is not of the shape :func:`read_info_file` documents.
    """
    from importlib.metadata import EntryPoint

    entry_points = [
        EntryPoint(command, _target(value, f"commands.{command}"), namespace_prefix + "commands")
        for command, value in _table(data, "commands").items()
    ]
    for event, values in _table(data, "hooks").items():
        targets = [values] if isinstance(values, str) else values
        if not isinstance(targets, list):
            raise ValueError(f"'hooks.{event}' must be a \"module:attribute\" string or a list of them")
        for number, value in enumerate(targets):
            attribute = _target(value, f"hooks.{event}").rpartition(":")[2]
            hook_name = attribute if number == 0 else f"{attribute}_{number}"
            entry_points.append(EntryPoint(hook_name, value, f"{namespace_prefix}hooks.{event}"))
    return entry_points


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ValueError(f"'{key}' must be a table")
    return table


def _target(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a \"module:attribute\" string")
    return value
