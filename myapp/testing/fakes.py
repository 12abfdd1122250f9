"""In-memory plugins: commands and hooks that a test defines, run without installing anything.

An in-memory plugin becomes a row of an ordinary :class:`~myapp.index.pluginindex.PluginIndex`
whose entry points name attributes of a module that exists only in
``sys.modules`` while :func:`myapp.testing.run` runs. The app therefore loads,
selects (``--disable-plugin``), orders and isolates them exactly as it does
installed plugins; only reading the installed metadata is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Final

from ..identity import Identity
from ..index.discovery import file_entry_point
from ..index.pluginindex import PluginIndex
from ..index.records import RefusedName, normalize_name

#: Where the index says an in-memory plugin is installed: nowhere on disk.
IN_MEMORY: Final = "<in memory>"
#: Module names of in-memory plugins start with this (a name no installed package takes).
_MODULE_PREFIX: Final = "_fake_plugin_"


@dataclass(frozen=True)
class FakePlugin:
    """A plugin distribution that exists only in memory, for :func:`myapp.testing.run`.

    ::

        plugin = FakePlugin(commands={"hello": Hello}, hooks={"pre_hello": [refuse_empty_names]})
        result = run(["hello", "Ada"], plugins=[plugin])

    :param commands: command name (``greeting list``, or ``hello.v2`` for a
        version) -> its ``Command`` class.
    :param hooks: event (``pre_command``, ``post_hello``) -> hook functions,
        each registered under its ``__name__``.
    :param entry_points: any other namespace, named after the tool's prefix
        (``deprecated``, ``contracts``, ``extensions.<point>``, ``commands.<command>``)
        -> entry-point name -> an object, or a string used as the entry point's value.

    .. versionadded:: 0.1
    """

    name: str = "fake-plugin"
    version: str = "1.0"
    summary: str = "an in-memory plugin"
    commands: Mapping[str, object] = field(default_factory=dict)
    hooks: Mapping[str, Sequence[Callable[..., object]]] = field(default_factory=dict)
    entry_points: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    @property
    def module_name(self) -> str:
        """The name of the module its objects are served from."""
        return _MODULE_PREFIX + re.sub(r"\W", "_", normalize_name(self.name))

    def registrations(self, identity: Identity) -> list[tuple[str, str, object]]:
        """``(namespace, entry-point name, object or value)`` of everything it registers for *identity*."""
        found = [(identity.command_namespace, name.replace(" ", "_"), target) for name, target in self.commands.items()]
        for event, functions in self.hooks.items():
            names = _distinct([function.__name__ for function in functions])
            found += [
                (identity.hook_namespace(event), name, function)
                for name, function in zip(names, functions, strict=True)
            ]
        for namespace, targets in self.entry_points.items():
            found += [(identity.namespace_prefix + namespace, name, target) for name, target in targets.items()]
        return found


def fake_index(plugins: Iterable[FakePlugin], identity: Identity) -> tuple[PluginIndex, dict[str, ModuleType]]:
    """The index of *plugins* for *identity*, and the modules its entry points import.

    :raises ValueError: two plugins have the same (normalized) name.
    """
    distributions = []
    groups: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    refused_names: list[RefusedName] = []
    modules: dict[str, ModuleType] = {}
    for plugin in plugins:
        if plugin.module_name in modules:
            raise ValueError(f"two in-memory plugins are called {plugin.name!r}")
        module = modules[plugin.module_name] = ModuleType(plugin.module_name, f"objects of {plugin.name}")
        distributions.append((plugin.name, plugin.version, plugin.summary, IN_MEMORY, ()))
        for namespace, name, target in plugin.registrations(identity):
            value = target if isinstance(target, str) else f"{module.__name__}:{_attribute(module, name, target)}"
            row = (value, plugin.name, plugin.version)
            file_entry_point(groups, refused_names, identity.namespace_prefix, namespace, name, row)
    return PluginIndex((), tuple(distributions), groups, refused_names=tuple(refused_names)), modules


def _distinct(names: list[str]) -> list[str]:
    """*names* with repeats numbered: ``["check", "check"]`` -> ``["check", "check_2"]``.

    A numbered name is never one of *names* itself: ``["check", "check", "check_2"]`` -> ``check_3`` for the second.
    """
    given, taken = set(names), set[str]()
    distinct = []
    for name in names:
        unique, number = name, 1
        while unique in taken or (number > 1 and unique in given):
            number += 1
            unique = f"{name}_{number}"
        taken.add(unique)
        distinct.append(unique)
    return distinct


def _attribute(module: ModuleType, name: str, target: object) -> str:
    """Set *target* as an attribute of *module*, named after the entry point *name*; return the attribute."""
    base = re.sub(r"\W", "_", name)
    attribute, number = base, 1
    while getattr(module, attribute, target) is not target:
        number += 1
        attribute = f"{base}_{number}"
    setattr(module, attribute, target)
    return attribute
