"""Versions of a command: their names, which one runs, pins and deprecations.

Which version runs (``<command>.v<N>`` entry points, ``--use`` pins, the
``<prefix>deprecated`` namespace) is decided from metadata alone, so only the
chosen version's module is imported. The rules are documented for plugin
authors in docs/plugin-guide.rst, "Versioned commands, deprecations and renames".
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..errors import UsageError, did_you_mean
from ..index.names import command_key, name_problem, pin_text, split_version
from ..index.records import EntryPointInfo, normalize_name

if TYPE_CHECKING:
    from ..identity import Identity
    from ..index.pluginindex import PluginIndex

LOG = logging.getLogger(__name__)


class Version(NamedTuple):
    """One version of a command, as registered."""

    #: ``None`` for a command registered without a version
    number: int | None
    entry_point: EntryPointInfo
    deprecated: bool = False
    #: the version that replaces it, when deprecated in favour of one
    replaced_by: int | None = None

    @property
    def label(self) -> str:
        """``2`` or ``1 (deprecated)``, for messages."""
        return f"{self.number} (deprecated)" if self.deprecated else str(self.number)


class Pin(NamedTuple):
    """A version the configuration asks for, and which setting asked."""

    number: int
    origin: str


class VersionChoice(NamedTuple):
    """The versions of one command, the one that runs, and why."""

    command: str
    #: newest first
    versions: tuple[Version, ...]
    chosen: Version
    pin: Pin | None = None

    @property
    def is_versioned(self) -> bool:
        """Whether the command was registered with version numbers."""
        return self.chosen.number is not None

    @property
    def is_pinned(self) -> bool:
        """Whether the chosen version is the pinned one."""
        return self.pin is not None and self.pin.number == self.chosen.number

    @property
    def reason(self) -> str:
        """Why the chosen version runs."""
        if self.is_pinned:
            assert self.pin is not None
            return f"pinned by {self.pin.origin}"
        if not self.chosen.deprecated:
            return "the newest version" if self.chosen is self.versions[0] else "the newest version not deprecated"
        return "the newest version; every version is deprecated"

    def pin_error(self, tool: str) -> UsageError | None:
        """The error for a pin naming a version the command does not have, or ``None``."""
        if self.pin is None or self.is_pinned:
            return None
        message = f"'{self.command}' has no version {self.pin.number} (pinned by {self.pin.origin})"
        if not self.is_versioned:
            return UsageError(message, hint=f"'{self.command}' has a single, unversioned version: drop the pin")
        available = ", ".join(version.label for version in self.versions)
        return UsageError(message, hint=f"available versions: {available}; '{tool} help {self.command}' says more")

    def deprecation_warning(self) -> str:
        """The warning for running a deprecated version, or ``""``."""
        chosen = self.chosen
        if not chosen.deprecated:
            return ""
        text = f"'{self.command}' version {chosen.number} is deprecated"
        if chosen.replaced_by is not None:
            text += f"; use version {chosen.replaced_by}"
        if self.is_pinned and self.pin is not None:
            where = "" if self.pin.origin.startswith("-") else f" from {self.pin.origin}"
            switch = f"'--use {pin_text(self.command, chosen.replaced_by)}', or " if chosen.replaced_by else ""
            text += f" ({switch}drop the pin{where})"
        return text

    def notes(self, version: Version) -> str:
        """What to know about one of the versions: ``deprecated in favour of version 2; runs: ...``, or ``""``."""
        notes = []
        if version.deprecated:
            replaced = f" in favour of version {version.replaced_by}" if version.replaced_by else ""
            notes.append(f"deprecated{replaced}")
        if version is self.chosen:
            notes.append(f"runs: {self.reason}")
        return "; ".join(notes)

    def describe(self, tool: str) -> list[str]:
        """Lines for ``help <command>``: every version, the one that runs and why."""
        if not self.is_versioned:
            return []
        lines = [f"Versions of '{self.command}' (newest first):"]
        width = max(len(str(version.number)) for version in self.versions)
        lines += [f"  {version.number:>{width}}  {self.notes(version)}".rstrip() for version in self.versions]
        lines.append(f"Run another with '{tool} --use {pin_text(self.command, 'N')} {self.command}'.")
        return lines


def choose_version(command: str, versions: Iterable[Version], pin: Pin | None = None) -> VersionChoice:
    """Pick the version to run: the pinned one, else the newest not deprecated, else the newest."""
    ordered = tuple(sorted(versions, key=lambda version: version.number or 0, reverse=True))
    if pin is not None:
        pinned = next((version for version in ordered if version.number == pin.number), None)
        if pinned is not None:
            return VersionChoice(command, ordered, pinned, pin)
    current = [version for version in ordered if not version.deprecated]
    return VersionChoice(command, ordered, (current or list(ordered))[0], pin)


def find_versions(
    index: PluginIndex, identity: Identity, entry_points: Sequence[EntryPointInfo]
) -> tuple[Version, ...]:
    """The versions of one command among *entry_points* (all from one distribution).

    A plain entry point next to numbered ones is ignored (``-v`` says so);
    badly numbered ones (``hello.v0``) are ignored (``plugin check`` reports both).
    """
    numbered = [ep for ep in entry_points if split_version(ep.name)[1] is not None and not name_problem(ep.name)]
    if not numbered:
        plain = [ep for ep in entry_points if split_version(ep.name)[1] is None]
        return tuple(Version(None, ep) for ep in plain[:1])
    unnumbered = next((ep for ep in entry_points if split_version(ep.name)[1] is None), None)
    if unnumbered is not None:  # ``plugin check`` reports it as an error
        LOG.info(
            "plugin '%s' registers '%s' both with and without a version; ignoring the one without",
            unnumbered.distribution,
            unnumbered.name,
        )
    return tuple(_numbered_version(index, identity, ep) for ep in numbered)


def _numbered_version(index: PluginIndex, identity: Identity, entry_point: EntryPointInfo) -> Version:
    command, number = split_version(entry_point.name)
    own = normalize_name(entry_point.distribution)
    for declared in index.lookup(identity.deprecated_namespace, entry_point.name):
        if normalize_name(declared.distribution) == own:
            replacement_command, replacement = split_version(declared.value.strip())
            return Version(number, entry_point, True, replacement if replacement_command == command else None)
    return Version(number, entry_point)


def renamed_to(declarations: Iterable[EntryPointInfo]) -> str | None:
    """The new command name from ``<old> = <new>`` declarations of a rename, or ``None``.

    Of several declarations, the one from the distribution whose normalized name sorts first wins.
    """
    for declared in sorted(declarations, key=lambda ep: normalize_name(ep.distribution)):
        if split_version(declared.name)[1] is None and split_version(declared.value.strip())[1] is None:
            return command_key(declared.value)
    return None


def check_entry_points(
    entry_points: Sequence[EntryPointInfo], identity: Identity, commands: Collection[str]
) -> Iterator[tuple[EntryPointInfo, str, bool]]:
    """What is wrong with one distribution's version names and deprecations.

    :param commands: every command name that resolves.
    :returns: ``(entry point, problem, is_error)`` triples.
    """
    registered = {ep.name for ep in entry_points if ep.group in identity.command_groups}
    versioned = {split_version(name)[0] for name in registered if split_version(name)[1] is not None}
    for entry_point in entry_points:
        if entry_point.group in identity.command_groups:
            problem = name_problem(entry_point.name)
            if problem:
                yield entry_point, problem, True
            elif entry_point.name in versioned:
                yield (
                    entry_point,
                    f"'{entry_point.name}' is also registered with versions, so this one is ignored: "
                    f"register it as '{entry_point.name}.v<N>'",
                    True,
                )
        elif entry_point.group == identity.deprecated_namespace:
            problem, is_error = _deprecation_problem(entry_point, registered, commands)
            if problem:
                yield entry_point, problem, is_error


def _deprecation_problem(
    entry_point: EntryPointInfo, registered: set[str], commands: Collection[str]
) -> tuple[str, bool]:
    old, old_number = split_version(entry_point.name)
    target = entry_point.value.strip()
    new, new_number = split_version(target)
    if old_number is None:  # a rename
        old_name, new_name = command_key(old), command_key(new)
        if new_number is not None:
            return f"a renamed command's new name takes no version: write '{entry_point.name} = {new}'", True
        if new_name not in commands:
            return did_you_mean(new_name, commands, after=f"renames to '{new_name}', which does not exist"), True
        if old_name in commands:
            return f"'{old_name}' is still a command, so the old name never reaches '{new_name}'", False
        return "", False
    if name_problem(entry_point.name) or entry_point.name not in registered:
        return f"deprecates '{entry_point.name}', which this plugin does not register as a command", True
    if new != old or new_number is None or new_number == old_number:
        return f"the replacement must be another version of '{old}', e.g. '{old}.v{old_number + 1}'", True
    if target not in registered:
        return f"names replacement '{target}', which this plugin does not register as a command", True
    return "", False
