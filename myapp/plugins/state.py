"""Every plugin's state and the reason for it: the one place that decides whether a plugin may run.

A plugin is a distribution with at least one entry point in the tool's
namespaces (``myapp.*``, and any command namespace of the tool outside it); names are compared normalized, so
``myapp_plugins_example`` is ``myapp-plugins-example``. A plugin is enabled,
disabled (by ``--no-plugins``, ``disable_plugins``, the allow-list
``only_plugins`` or the selected profile), incompatible (made for another
release of the tool), or broken (found so by importing it); a drop-in info
file is refused when another user could change it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from ..errors import counted, did_you_mean, shown
from ..index.pluginindex import PluginIndex
from ..index.records import DistributionInfo, EntryPointInfo, RefusedName, normalize_name

if TYPE_CHECKING:
    from ..config.layers import Config
    from ..identity import Identity

LOG = logging.getLogger(__name__)


class State(str, enum.Enum):
    """Whether a plugin runs; the values are what ``plugin list`` prints."""

    ENABLED = "enabled"
    DISABLED_BY_CONFIG = "disabled by config"
    DISABLED_BY_PROFILE = "disabled by profile"
    INCOMPATIBLE = "incompatible"
    BROKEN = "broken"
    REFUSED = "refused"


class Verdict(NamedTuple):
    """A plugin's state and, unless enabled, the reason."""

    state: State
    reason: str = ""

    @property
    def runs(self) -> bool:
        """Whether the plugin's code may be imported."""
        return self.state in (State.ENABLED, State.BROKEN)


class Selection:
    """Which distributions may provide code, decided once from the configuration.

    :param config: ``None`` when it cannot be read: then only *trusted* distributions run.
    :param trusted: normalized names always allowed (the tool's own
        distribution, and cliff for its output formatters).
    """

    def __init__(self, config: Config | None, trusted: Iterable[str], index: PluginIndex | None = None) -> None:
        self.config = config
        self.trusted = frozenset(trusted)
        self.index = index
        self._ignore_compat = {normalize_name(name) for name in config["ignore_compat"]} if config else set()
        self._disabled = {normalize_name(name): name for name in config["disable_plugins"]} if config else {}
        only = config["only_plugins"] if config else None
        self._only = None if only is None else {normalize_name(name) for name in only}
        self._verdicts: dict[str, Verdict] = {}
        #: whether nothing stops any plugin: then every verdict is "enabled", and asking costs nothing per plugin
        self.all_run = config is not None and not (
            config["no_plugins"] or self._disabled or only is not None or (index and index.incompatible_names())
        )

    def verdict(self, distribution: str) -> Verdict:
        """Whether *distribution* may run, and why not."""
        key = normalize_name(distribution)
        if key not in self._verdicts:
            self._verdicts[key] = self._decide(key)
        return self._verdicts[key]

    def blocked_reason(self, distribution: str) -> str:
        """``"disabled by config: reason"`` for a plugin that may not run."""
        verdict = self.verdict(distribution)
        return f"{verdict.state.value}: {verdict.reason}"

    def blocked_hint(self, distribution: str, tool: str) -> str:
        """What to do about a plugin that may not run."""
        key = normalize_name(distribution)
        if self.verdict(key).state is State.INCOMPATIBLE:
            return f"install a release of '{key}' made for this {tool}, or pass --ignore-compat {key}"
        if self.config is not None and self.config["no_plugins"]:
            return f"run it without {self.config.origin('no_plugins')}, which turns every plugin off"
        return f"run '{tool} plugin enable {key}', or drop the option that disables it"

    def is_allowed(self, entry_point: EntryPointInfo) -> bool:
        """Whether the distribution behind *entry_point* may provide code."""
        return self.all_run or self.verdict(entry_point.distribution).runs

    def mark_broken(self, problems: Mapping[str, str]) -> None:
        """Record the plugins that may run but were found broken by importing them (name -> first problem)."""
        for name, problem in problems.items():
            if self.verdict(name).runs:
                self._verdicts[normalize_name(name)] = Verdict(State.BROKEN, problem)

    def cannot_run(self, plugins: Iterable[Plugin]) -> dict[str, str]:
        """The *plugins* that are incompatible, then the broken ones, with why: what ``--strict-plugins`` refuses."""
        found = [(plugin.name, self.verdict(plugin.name)) for plugin in plugins]
        return {name: v.reason for state in (State.INCOMPATIBLE, State.BROKEN) for name, v in found if v.state is state}

    def refused(self) -> list[tuple[str, Verdict]]:
        """The drop-in plugins left out of the index because another user could change them, and why."""
        found = self.index.refused if self.index is not None else []
        return [(location, Verdict(State.REFUSED, problem)) for location, problem in found]

    def _decide(self, key: str) -> Verdict:
        config = self.config
        if key in self.trusted:
            return Verdict(State.ENABLED)
        if config is None:
            return Verdict(State.DISABLED_BY_CONFIG, "the configuration cannot be read")
        if config["no_plugins"]:
            return Verdict(State.DISABLED_BY_CONFIG, f"all plugins are off ({config.origin('no_plugins')})")
        if key in self._disabled:
            origin = config.value("disable_plugins").origin_of(self._disabled[key])
            return Verdict(_state_for(origin), f"listed in disable_plugins ({origin})")
        if self._only is not None and key not in self._only:
            origin = config.origin("only_plugins")
            return Verdict(_state_for(origin), f"not in only_plugins ({origin})")
        problem = self.index.incompatibility(key) if self.index is not None else ""
        if problem and key not in self._ignore_compat:
            option = f"--ignore-compat {key}"
            return Verdict(State.INCOMPATIBLE, f"{problem}; {option} loads it anyway")
        if problem:
            LOG.warning("loading plugin '%s' although it %s (%s)", key, problem, config.origin("ignore_compat"))
        return Verdict(State.ENABLED)

    def warn_about_problems(self, warned: set[str] | None = None) -> None:
        """Warn about refused drop-ins, plugins the configuration names that are not installed, incompatible ones,
        and names that could be read as paths.

        :param warned: the warnings given already in this run (a session opened again), not repeated; added to.
        """
        for location, verdict in self.refused():
            LOG.warning("ignoring drop-in plugin '%s': it %s", location, verdict.reason)
        if self.index is not None:
            self.warn_about_unknown_names(self.index)
            self.warn_about_refused_names(self.index, set() if warned is None else warned)
        self.warn_about_incompatible_plugins()

    def warn_about_refused_names(self, index: PluginIndex, warned: set[str]) -> None:
        """One warning in a run for each plugin that may run and registers names that are left out
        (see :mod:`..index.names`).

        Plugins that are turned off are not mentioned: turning one off is how to stop the warning.
        """
        by_plugin: dict[str, list[RefusedName]] = {}
        for refused in index.refused_names:
            by_plugin.setdefault(refused.distribution, []).append(refused)
        for distribution, names in by_plugin.items():
            if self.verdict(distribution).runs and f"refused names of {distribution}" not in warned:
                warned.add(f"refused names of {distribution}")
                first, more = names[0], f" (and {len(names) - 1} more)" if len(names) > 1 else ""
                LOG.warning(
                    "ignoring %s in '%s' of plugin '%s': %s%s; the 'plugin check' command lists every such name",
                    shown(first.name),
                    first.group,
                    distribution,
                    first.problem,
                    more,
                )

    def warn_about_incompatible_plugins(self) -> None:
        """One line for each plugin skipped because it was made for another version of the tool."""
        for key in self.index.incompatible_names() if self.index is not None else ():
            verdict = self.verdict(key)
            if verdict.state is State.INCOMPATIBLE:
                LOG.warning("skipping plugin '%s': it %s", key, verdict.reason)

    def warn_about_unknown_names(self, index: PluginIndex) -> None:
        """One warning for each plugin the configuration names that is not installed."""
        named = [*self._disabled, *sorted(self._ignore_compat)]
        if self._only is not None:
            named += sorted(self._only)
        if not named:
            return
        from ..config.layers import CappedWarnings

        installed = {d.key for d in index.distributions}
        unknown = CappedWarnings(_more_not_installed)
        for key in dict.fromkeys(named):
            if key not in installed and unknown.wanted():
                LOG.warning("%s", did_you_mean(key, installed, after=f"no installed plugin is called '{key}'"))
        unknown.summarize()


def _more_not_installed(count: int) -> str:
    verb = "is" if count == 1 else "are"
    return f"{counted(count, 'more plugin')} that the configuration names {verb} not installed"


def not_plugins(identity: Identity) -> frozenset[str]:
    """Normalized names of the indexed distributions that are not plugins: the tool's own, and cliff (its formatters).

    They always provide code, whatever the configuration says (see :class:`Selection`).
    """
    return frozenset({normalize_name(identity.distribution), "cliff"})


def _state_for(origin: str) -> State:
    return State.DISABLED_BY_PROFILE if origin.startswith("profile ") else State.DISABLED_BY_CONFIG


class Plugin(NamedTuple):
    """An installed plugin: its metadata, what it registers, and its state."""

    distribution: DistributionInfo
    entry_points: tuple[EntryPointInfo, ...]
    verdict: Verdict

    @property
    def name(self) -> str:
        """The distribution's name as its metadata spells it."""
        return self.distribution.name

    def provides(self, identity: Identity) -> tuple[list[str], list[str]]:
        """The command names (without versions) and hook events it registers."""
        from ..index.names import command_name, split_version

        registered = [ep.name for ep in self.entry_points if ep.group in identity.command_groups]
        commands = sorted({command_name(split_version(name)[0]) for name in registered})
        hook_prefix = identity.hook_namespace("")
        events = sorted({ep.group[len(hook_prefix) :] for ep in self.entry_points if ep.group.startswith(hook_prefix)})
        return commands, events


def find_plugins(index: PluginIndex, identity: Identity, selection: Selection) -> list[Plugin]:
    """Every installed plugin of the tool, sorted by name."""
    # A plugin all of whose names were refused still shows, with nothing it provides.
    by_distribution: dict[str, list[EntryPointInfo]] = {normalize_name(r.distribution): [] for r in index.refused_names}
    for group in index.groups():
        if group.startswith(identity.namespace_prefixes):
            for entry_point in index.entry_points(group):
                by_distribution.setdefault(normalize_name(entry_point.distribution), []).append(entry_point)
    plugins = [
        Plugin(distribution, tuple(by_distribution[distribution.key]), selection.verdict(distribution.name))
        for distribution in index.distributions
        if distribution.key in by_distribution and distribution.key not in selection.trusted
    ]
    return sorted(plugins, key=lambda plugin: plugin.distribution.key)


def find_plugin(plugins: list[Plugin], name: str) -> Plugin | None:
    """The plugin called *name* (compared normalized)."""
    key = normalize_name(name)
    return next((plugin for plugin in plugins if plugin.distribution.key == key), None)
