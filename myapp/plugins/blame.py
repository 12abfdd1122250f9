"""Which plugin an unexpected exception comes from, and where its authors take bug reports.

The culprit is read from the traceback, not guessed from the command that
was running: a command of one plugin may fail inside code of another. Each
frame's module is matched against the modules that the indexed plugins'
entry points name (and their parent packages); the innermost frame that
matches decides. Only the error path pays for this.
"""

from __future__ import annotations

import traceback
from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Final

from ..errors import DEBUG_ADVICE
from ..index.metadata import metadata_field
from ..index.records import normalize_name

if TYPE_CHECKING:
    from importlib.metadata import PackageMetadata

    from ..index.pluginindex import PluginIndex
    from ..index.records import DistributionInfo

#: Project-URL labels that point at a bug tracker, in order of preference (compared as :func:`_label_key` does).
_TRACKER_LABELS: Final = ("bugtracker", "bugreports", "bugs", "issues", "issuetracker", "tracker")
#: Project-URL labels that point at a home page, in order of preference.
_HOME_LABELS: Final = ("homepage", "home", "source", "sourcecode", "repository")


def find_culprit(error: BaseException, index: PluginIndex, exclude: Collection[str] = ()) -> DistributionInfo | None:
    """The plugin distribution whose code raised *error*, or ``None`` when no frame belongs to a plugin.

    :param exclude: normalized names of indexed distributions that are not plugins
        (the tool itself, cliff for its formatters): their frames are passed over.
    """
    owners = module_owners(index, exclude)
    for module in _modules_innermost_first(error):
        owner = owner_of_module(owners, module)
        if owner:
            return index.distribution(owner)
    return None


def module_owners(index: PluginIndex, exclude: Collection[str] = ()) -> dict[str, str]:
    """Module or package name -> the normalized name of the one distribution whose entry points live there.

    A package shared by several distributions (a namespace package) maps to ``""``: it decides nothing.

    :param exclude: normalized names of distributions that are not plugins.
    """
    owners: dict[str, str] = {}
    for group in index.groups():
        for entry_point in index.entry_points(group):
            owner = normalize_name(entry_point.distribution)
            if owner in exclude:
                continue
            module = entry_point.module
            while module:
                if owners.setdefault(module, owner) != owner:
                    owners[module] = ""
                module = module.rpartition(".")[0]
    return owners


def owner_of_module(owners: Mapping[str, str], module: str) -> str:
    """The distribution that owns *module* or its nearest package in *owners* (see :func:`module_owners`), or ``""``."""
    while module:
        if module in owners:
            return owners[module]
        module = module.rpartition(".")[0]
    return ""


def _modules_innermost_first(error: BaseException) -> Iterator[str]:
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    for frame in reversed(frames):
        name = frame.f_globals.get("__name__")
        if isinstance(name, str):
            yield name


def report_url(distribution: DistributionInfo) -> str:
    """Where to report a bug in *distribution*: its bug tracker, else its home page, else ``""``."""
    metadata = _metadata(distribution)
    if metadata is None:
        return ""
    return _first_url(_labelled_urls(metadata), _TRACKER_LABELS) or home_page(metadata)


def home_page(metadata: PackageMetadata) -> str:
    """The project's home page: ``Home-page``, else a home or source ``Project-URL``, else ``""``."""
    home = metadata_field(metadata, "Home-page").strip()
    return home or _first_url(_labelled_urls(metadata), _HOME_LABELS)


def _first_url(labelled: Mapping[str, str], labels: tuple[str, ...]) -> str:
    """The non-empty URL of the first of *labels* that *labelled* has, or ``""``."""
    return next((labelled[label] for label in labels if labelled.get(label)), "")


def _metadata(distribution: DistributionInfo) -> PackageMetadata | None:
    if distribution.is_drop_in:
        return None
    import importlib.metadata

    try:
        return importlib.metadata.Distribution.at(distribution.location).metadata
    except OSError:
        return None


def _labelled_urls(metadata: PackageMetadata) -> dict[str, str]:
    """``Project-URL`` entries by label, compared as :func:`_label_key` does; the first of a label wins."""
    labelled: dict[str, str] = {}
    for value in metadata.get_all("Project-URL") or []:
        label, _, url = str(value).partition(",")
        labelled.setdefault(_label_key(label), url.strip())
    return labelled


def _label_key(label: str) -> str:
    """*label* lower-case, without spaces, ``-``, ``_`` or ``.``: ``Bug Tracker`` and ``bug-tracker`` are alike."""
    return "".join(character for character in label.lower() if character not in " -_.")


def report_hint(culprit: DistributionInfo, tool: str, skip: str = "") -> str:
    """What to do about a bug in *culprit*: where to report it, and how to run without it.

    :param skip: the plugin to disable to get going again, when that is not the culprit
        (the owner of a hook that failed inside another plugin's code).
    """
    url = report_url(culprit)
    where = f"at {url}" if url else "to the plugin's authors"
    return (
        f"report it {where} with the output of '{tool} bug-report', or skip the plugin with "
        f"'--disable-plugin {normalize_name(skip) if skip else culprit.key}'; {DEBUG_ADVICE}"
    )
