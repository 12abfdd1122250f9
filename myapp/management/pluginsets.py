"""Plugin sets: TOML files that pin plugins to exact versions and say whether each runs.

``plugin freeze`` writes one (:func:`freeze`) and ``plugin sync`` reads one
(:func:`read_plugin_set`) and makes an environment match it (:func:`plan`
says what that takes, before anything changes).
The format: docs/plugin-management.rst, "The format".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from .._toml import line_of, read_toml
from ..errors import ConfigError
from ..index.metadata import direct_url
from ..index.records import normalize_name
from ..plugins.state import Plugin, State, Verdict

if TYPE_CHECKING:
    import tomlkit

LOG = logging.getLogger(__name__)

#: States in which the configuration, not the plugin, keeps a plugin from running.
_DISABLED: Final = frozenset({State.DISABLED_BY_CONFIG, State.DISABLED_BY_PROFILE})
#: A valid distribution name (PEP 508); also keeps a plugin set from smuggling pip options in.
_NAME: Final = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
#: The keys of a plugin's table and the type of each value.
_FIELDS: Final = {"version": str, "enabled": bool, "source": str}
_TYPE_NAMES: Final = {str: "a string", bool: "true or false"}


@dataclass(frozen=True, slots=True)
class PinnedPlugin:
    """One plugin of a plugin set."""

    name: str
    version: str
    enabled: bool = True
    source: str | None = None

    @property
    def key(self) -> str:
        """The normalized name, for comparisons."""
        return normalize_name(self.name)

    @property
    def requirement(self) -> str:
        """What pip installs: ``name @ source`` when there is a source, else ``name==version``."""
        return f"{self.name} @ {self.source}" if self.source else f"{self.name}=={self.version}"


def is_enabled(plugin: Plugin) -> bool:
    """Whether the configuration lets the plugin run (a broken plugin is still enabled)."""
    return allows(plugin.verdict)


def allows(verdict: Verdict) -> bool:
    """Whether a plugin in the state *verdict* says is one the configuration lets run."""
    return verdict.state not in _DISABLED


def same_version(installed: str, pinned: str) -> bool:
    """Whether two versions are equal as pip compares them (``1.0`` is ``1.0.0``)."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


# -- writing --------------------------------------------------------------------------------------------------------


def freeze(tool: str, plugins: Iterable[Plugin]) -> str:
    """The plugin set of *plugins*, as TOML text.

    :param tool: the tool's name, for the comment line that says what wrote the file.
    """
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment(f"{tool} plugin set, written by '{tool} plugin freeze'"))
    entries = {plugin.name: _entry(plugin) for plugin in plugins}
    table = tomlkit.table(is_super_table=bool(entries))  # "[plugins]" only when it would be empty
    for name, entry in entries.items():
        table[name] = entry
    document["plugins"] = table
    return document.as_string()


def _entry(plugin: Plugin) -> tomlkit.items.Table:
    import tomlkit

    entry = tomlkit.table()
    entry["version"] = plugin.distribution.version
    entry["enabled"] = is_enabled(plugin)
    source = recorded_source(plugin.distribution.location)
    if source:
        entry["source"] = source
    return entry


def recorded_source(location: str) -> str | None:
    """Where pip installed a distribution from, as a URL for ``name @ URL``, if pip recorded it (PEP 610)."""
    try:
        record = direct_url(location)
        if record is None:
            return None
        url, vcs = str(record["url"]), record.get("vcs_info")
        return f"{vcs['vcs']}+{url}@{vcs['commit_id']}" if vcs else url
    except (ValueError, KeyError, TypeError) as error:
        LOG.warning("%s/direct_url.json is unreadable (%s); the plugin set has no source for it", location, error)
        return None


# -- reading --------------------------------------------------------------------------------------------------------


def read_plugin_set(path: Path) -> list[PinnedPlugin]:
    """The plugins a plugin set file lists.

    :raises ConfigError: the file cannot be read, is not TOML, or is not a plugin set.
    """
    text, document = read_toml(path)
    if "plugins" not in document:
        raise ConfigError(f"{path}: no [plugins] table; is this a plugin set?", path=path)
    plugins = document["plugins"]
    if not isinstance(plugins, dict):
        raise _invalid(path, text, "plugins", "'plugins' must be a table")
    return [_pinned(path, text, name, fields) for name, fields in plugins.items()]


def _pinned(path: Path, text: str, name: str, fields: object) -> PinnedPlugin:
    key = f"plugins.{name}"
    if not _NAME.match(name):
        raise _invalid(path, text, key, f"'{name}' is not a valid distribution name")
    if not isinstance(fields, dict):
        raise _invalid(path, text, key, f"'{key}' must be a table")
    for unknown in sorted(fields.keys() - _FIELDS.keys()):
        LOG.warning("%s:%d: unknown key '%s.%s' ignored", path, line_of(text, f"{key}.{unknown}"), key, unknown)
    for field, kind in _FIELDS.items():
        if field in fields and not isinstance(fields[field], kind):
            raise _invalid(path, text, f"{key}.{field}", f"'{key}.{field}' must be {_TYPE_NAMES[kind]}")
    if "version" not in fields:
        raise _invalid(path, text, key, f"'{key}' has no version; add one, like version = \"1.0\"")
    if not _is_version(fields["version"]):
        raise _invalid(path, text, f"{key}.version", f"'{fields['version']}' is not a version pip understands")
    return PinnedPlugin(name, fields["version"], fields.get("enabled", True), fields.get("source"))


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _invalid(path: Path, text: str, key: str, problem: str) -> ConfigError:
    line = line_of(text, key)
    return ConfigError(f"{path}:{line}: {problem}", path=path, line=line)


# -- syncing --------------------------------------------------------------------------------------------------------


class SyncPlan(NamedTuple):
    """What a sync is to do, worked out before anything changes."""

    #: plugins that are missing, or installed at another version
    install: list[PinnedPlugin]
    #: installed plugins the set does not list (drop-in plugins are never uninstalled)
    uninstall: list[Plugin]
    #: plugins whose state the configuration must change, as the set wants it (enabled or not)
    switch: list[PinnedPlugin]


def plan(
    installed: Iterable[Plugin], wanted: Sequence[PinnedPlugin], is_enabled_now: Callable[[str], bool]
) -> SyncPlan:
    """What to install, uninstall, enable and disable to make *installed* match *wanted*.

    :param is_enabled_now: whether the configuration lets the plugin of that name
        run; asked for plugins not installed yet too (their state once installed).
    """
    have = {plugin.distribution.key: plugin for plugin in installed}
    install = [w for w in wanted if w.key not in have or not same_version(have[w.key].distribution.version, w.version)]
    keys = {w.key for w in wanted}
    uninstall = [p for p in have.values() if p.distribution.key not in keys and not p.distribution.is_drop_in]
    switch = [w for w in wanted if is_enabled_now(w.name) != w.enabled]
    return SyncPlan(install, uninstall, switch)


def version_change(installed: str | None, pinned: str) -> str:
    """``install`` when nothing is installed, else ``upgrade`` or ``downgrade`` to the *pinned* version."""
    from packaging.version import InvalidVersion, Version

    if installed is None:
        return "install"
    try:
        return "upgrade" if Version(pinned) > Version(installed) else "downgrade"
    except InvalidVersion:  # an installed version pip cannot order: say only that it is replaced
        return "install"
