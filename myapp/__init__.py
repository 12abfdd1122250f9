"""myapp: a command-line framework whose commands come from installed plugins.

The names here are the public surface for plugin authors; everything else
may change between minor releases.
"""

from __future__ import annotations

# Importing the package imports nothing else, so that the console script sets its signal handlers (see
# myapp._cli) before anything slow runs; the public names are loaded on first use.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .contracts import Contract
    from .errors import ConfigError, ExitCode, HookAbort, MyappError, PluginLoadError, UsageError
    from .extensions import Extension, ExtensionNotFound, ExtensionPoint
    from .progressbar import Progress, progress

__all__ = [
    "PLUGIN_API_VERSION",
    "ConfigError",
    "Contract",
    "ExitCode",
    "Extension",
    "ExtensionNotFound",
    "ExtensionPoint",
    "HookAbort",
    "MyappError",
    "PluginLoadError",
    "Progress",
    "UsageError",
    "__version__",
    "progress",
]

#: Public names and the modules ``import myapp`` loads them from when first asked for, to keep start-up small.
_LAZY = {
    "ConfigError": "errors",
    "ExitCode": "errors",
    "HookAbort": "errors",
    "MyappError": "errors",
    "PluginLoadError": "errors",
    "UsageError": "errors",
    "Contract": "contracts",
    "Extension": "extensions",
    "ExtensionNotFound": "extensions",
    "ExtensionPoint": "extensions",
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


#: The framework's release.
__version__ = "0.1.0"

#: The version of the interfaces plugins use (commands, hooks, the hook context,
#: ``myapp.testing``): the release's major.minor. Before 1.0 a minor bump may
#: break plugins and a patch release does not; from 1.0 on, only a major bump
#: may. A plugin states what it supports as its requirement on ``myapp``, e.g.
#: ``myapp>=0.1,<0.2``; myapp skips plugins whose requirement the running
#: release does not meet (``--ignore-compat NAME`` loads one anyway).
PLUGIN_API_VERSION = ".".join(__version__.split(".")[:2])
