"""myapp: a command-line framework whose commands come from installed plugins.

The public surface for plugin and tool authors is these documented modules:

- ``myapp``: the names in ``__all__``, the ones the docs import
- ``myapp.app``: :class:`App`, ``main`` and ``app_of``, for tools built on myapp
- ``myapp.contracts``: :class:`Contract`, ``verify`` and what it reports
- ``myapp.errors``: :class:`ExitCode` and the exceptions that carry one
- ``myapp.extensions``: extension points and their implementations
- ``myapp.hooks``: :class:`HookContext`, ``hook`` and :class:`HookOrder`
- ``myapp.identity``: :class:`Identity`, what names a tool built on myapp
- ``myapp.progressbar``: ``progress`` and :class:`Progress`
- ``myapp.pytest_plugin``: pytest fixtures for testing plugins
- ``myapp.testing``: run a tool in-process, fake and throw-away plugins

Every other module is internal and may change in any release.
"""

# No ``from __future__ import annotations``: see myapp._cli, which runs next when the program starts.
# Importing the package imports nothing but its version, so that the console script sets its signal handlers (see
# myapp._cli) before anything slow runs; the public names are loaded on first use.
from ._version import PLUGIN_API_VERSION, __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .app import App
    from .commands.manager import CommandManager
    from .contracts import Contract
    from .errors import (
        ConfigError,
        ContractError,
        ExitCode,
        ExtensionNotFound,
        HookAbort,
        HookFailure,
        HookOrderError,
        HookScriptError,
        IncompleteCommand,
        MyappError,
        NoHomeError,
        OutputError,
        PluginLoadError,
        UnknownCommand,
        UsageError,
    )
    from .extensions import Extension, ExtensionPoint
    from .hooks import HookContext, HookOrder, hook
    from .identity import Identity
    from .progressbar import Progress, progress

__all__ = [
    "PLUGIN_API_VERSION",
    "App",
    "CommandManager",
    "ConfigError",
    "Contract",
    "ContractError",
    "ExitCode",
    "Extension",
    "ExtensionNotFound",
    "ExtensionPoint",
    "HookAbort",
    "HookContext",
    "HookFailure",
    "HookOrder",
    "HookOrderError",
    "HookScriptError",
    "Identity",
    "IncompleteCommand",
    "MyappError",
    "NoHomeError",
    "OutputError",
    "PluginLoadError",
    "Progress",
    "UnknownCommand",
    "UsageError",
    "__version__",
    "hook",
    "progress",
]

#: Public names and the modules ``import myapp`` loads them from when first asked for, to keep start-up small.
_LAZY = {
    "App": "app",
    "CommandManager": "commands.manager",
    "ConfigError": "errors",
    "ContractError": "errors",
    "ExitCode": "errors",
    "ExtensionNotFound": "errors",
    "HookAbort": "errors",
    "HookFailure": "errors",
    "HookOrderError": "errors",
    "HookScriptError": "errors",
    "IncompleteCommand": "errors",
    "MyappError": "errors",
    "NoHomeError": "errors",
    "OutputError": "errors",
    "PluginLoadError": "errors",
    "UnknownCommand": "errors",
    "UsageError": "errors",
    "Contract": "contracts",
    "Extension": "extensions",
    "ExtensionPoint": "extensions",
    "HookContext": "hooks",
    "HookOrder": "hooks",
    "hook": "hooks",
    "Identity": "identity",
    "Progress": "progressbar",
    "progress": "progressbar",
}


def __getattr__(name: str) -> object:
    """Import a :data:`_LAZY` name's module on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
