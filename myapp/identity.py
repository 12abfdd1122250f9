"""The program's name and every name derived from it.

A tool built on this framework differs from ``myapp`` only by its
:class:`Identity`: entry-point namespaces, the environment-variable prefix
and the per-user directories all come from :attr:`Identity.name`. No other
module spells the word ``myapp``.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Final, NamedTuple

from .errors import NoHomeError

_NAME_PATTERN: Final = re.compile(r"^[a-z][a-z0-9-]*$")


class _Names(NamedTuple):
    name: str
    distribution: str
    description: str
    command_namespaces: tuple[str, ...] | None


class Identity(_Names):
    """Names and places of one tool built on the framework.

    :param name: the program name users type, e.g. ``myapp``.
    :param distribution: the distribution whose commands are built in
        (they win name clashes with plugins); defaults to ``name``.
    :param description: one line shown at the top of ``--help``.
    :param command_namespaces: the entry-point namespaces commands come from,
        the first also naming the ``CommandHook`` namespaces
        (``<first>.<command>``); ``None`` is ``<name>.commands`` alone.
        Namespaces outside ``<name>.`` are indexed too, and so are their
        distributions' plugins.

    .. versionchanged:: 0.1
       ``command_namespaces``: a tool may read commands from several namespaces, as cliff's ``load_commands`` does.
    """

    # A named tuple rather than a dataclass: the class is made on every start, and a frozen dataclass compiles
    # its methods then (a few million instructions of a run's 370).
    __slots__ = ()

    def __new__(
        cls,
        name: str,
        distribution: str = "",
        description: str = "",
        command_namespaces: tuple[str, ...] | None = None,
    ) -> Identity:
        if not _NAME_PATTERN.match(name):
            raise ValueError(f"invalid tool name {name!r}: use lowercase letters, digits and '-'")
        return super().__new__(cls, name, distribution or name, description, command_namespaces)

    @property
    def namespace_prefix(self) -> str:
        """The prefix shared by every entry-point namespace of the tool."""
        return self.name.replace("-", "_") + "."

    @property
    def namespace_prefixes(self) -> tuple[str, ...]:
        """Every prefix of the tool's namespaces: :attr:`namespace_prefix`, and command namespaces outside it."""
        outside = (group for group in self.command_groups if not group.startswith(self.namespace_prefix))
        return (self.namespace_prefix, *outside)

    @property
    def command_namespace(self) -> str:
        """The first entry-point namespace of commands (``myapp.commands``), which also names ``CommandHook`` ones."""
        groups = self.command_groups
        return groups[0] if groups else self.namespace_prefix + "commands"

    @property
    def command_groups(self) -> tuple[str, ...]:
        """Every entry-point namespace commands come from, in order (cliff's command groups)."""
        if self.command_namespaces is None:
            return (self.namespace_prefix + "commands",)
        return self.command_namespaces

    @classmethod
    def from_namespace(cls, namespace: str | None, description: str = "", program: str = "") -> Identity:
        """The identity of a cliff app whose commands come from *namespace* (``mytool.compute`` is tool ``mytool``).

        Without a namespace, or one whose first part is no tool name, the name comes from *program*.
        """
        for candidate in ((namespace or "").partition(".")[0], program):
            name = candidate.strip().lower().replace("_", "-")
            if _NAME_PATTERN.match(name):
                return cls(name, description=description, command_namespaces=(namespace,) if namespace else ())
        return cls("app", description=description, command_namespaces=(namespace,) if namespace else ())

    @property
    def deprecated_namespace(self) -> str:
        """Entry-point namespace of deprecated command versions and renamed commands (``myapp.deprecated``)."""
        return self.namespace_prefix + "deprecated"

    def hook_namespace(self, event: str) -> str:
        """Entry-point namespace of the hooks for one event."""
        return f"{self.namespace_prefix}hooks.{event}"

    def extension_namespace(self, point: str) -> str:
        """Entry-point namespace of one extension point's implementations (``myapp.extensions.<point>``)."""
        return f"{self.namespace_prefix}extensions.{point}"

    @property
    def contract_namespace(self) -> str:
        """Entry-point namespace where plugins register their extension points (``myapp.contracts``)."""
        return self.namespace_prefix + "contracts"

    @property
    def env_prefix(self) -> str:
        """Prefix of every environment variable the tool reads (``MYAPP_``)."""
        return self.name.upper().replace("-", "_") + "_"

    def env_name(self, option: str) -> str:
        """The environment variable that mirrors a global option.

        ``env_name("no-plugins")`` is ``MYAPP_NO_PLUGINS``.
        """
        return self.env_prefix + option.upper().replace("-", "_")

    def framework_variables(self) -> frozenset[str]:
        """The variables the framework reads or sets besides the settings' (see :data:`FRAMEWORK_VARIABLES`)."""
        return frozenset(map(self.env_name, FRAMEWORK_VARIABLES))

    @property
    def cache_dir(self) -> Path:
        """Per-user cache directory (``MYAPP_CACHE_DIR`` overrides it).

        :raises ~myapp.errors.NoHomeError: neither the variable nor a home folder says where it is.
        """
        return self._user_dir("CACHE_DIR", "user_cache_dir")

    @property
    def config_dir(self) -> Path:
        """Per-user configuration directory (``MYAPP_CONFIG_DIR`` overrides it).

        :raises ~myapp.errors.NoHomeError: neither the variable nor a home folder says where it is.
        """
        return self._user_dir("CONFIG_DIR", "user_config_dir")

    @property
    def data_dir(self) -> Path:
        """Per-user data directory (``MYAPP_DATA_DIR`` overrides it).

        :raises ~myapp.errors.NoHomeError: neither the variable nor a home folder says where it is.
        """
        return self._user_dir("DATA_DIR", "user_data_dir")

    def _user_dir(self, variable: str, platformdirs_function: str) -> Path:
        override = os.environ.get(self.env_prefix + variable)
        if override:
            return Path(os.path.expandvars(override)).expanduser()
        inputs = tuple(os.environ.get(name) for name in _PLATFORM_VARIABLES)
        try:
            return _platform_dir(platformdirs_function, self.name, inputs)
        except RuntimeError:  # platformdirs: no absolute HOME, and no entry in the password database
            kind = variable.removesuffix("_DIR").lower()
            raise NoHomeError(
                f"there is no {kind} folder: HOME is not set and uid {os.getuid()} "
                "has no home in the password database",
                variable=self.env_prefix + variable,
            ) from None


#: Environment variables besides the settings' (:mod:`myapp.config.settings`): the configuration file and the
#: per-user folders, what the tool passes to hook scripts (:mod:`myapp.hooks.scripts`) and to the
#: shell's hook (``myapp shell-init``), and how deeply runs are nested (:mod:`myapp._program`).
FRAMEWORK_VARIABLES: Final = (
    "config",
    "config_dir",
    "cache_dir",
    "data_dir",
    "event",
    "command",
    "argv",
    "exit_code",
    "source_file",
    "depth",
)

#: What platformdirs' answers depend on; part of the memo's key.
_PLATFORM_VARIABLES: Final = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "APPDATA", "LOCALAPPDATA")


@functools.lru_cache(maxsize=32)
def _platform_dir(function: str, name: str, inputs: tuple[str | None, ...]) -> Path:
    """platformdirs' folder, computed once per tool and environment."""
    import platformdirs

    return Path(getattr(platformdirs, function)(name, appauthor=False))


#: The identity of ``myapp`` itself.
MYAPP: Final = Identity(
    "myapp",
    description="A command-line tool whose commands come from installed plugins.",
)


def app_identity(description: Identity | str | None, identity: Identity | None, manager: Identity | None) -> Identity:
    """The identity of an App built as myapp's ``App(identity)`` or as cliff's ``App(description, ...)``.

    It is the identity given, else the command manager's, else myapp's; a
    given identity keeps the command manager's namespaces, and a description
    given as cliff's first argument replaces the description line.

    :param manager: the identity of the command manager the App was given, if any.
    """
    if isinstance(description, Identity):
        identity, description = description, None
    if manager is None:
        chosen = identity or MYAPP
    elif identity is None:
        chosen = manager
    else:
        chosen = identity._replace(command_namespaces=manager.command_namespaces)
    return chosen if description is None else chosen._replace(description=description)
