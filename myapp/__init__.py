"""myapp: a command-line framework whose commands come from installed plugins.

The names here are the public surface for plugin authors; everything else
may change between minor releases.
"""

from __future__ import annotations

from .errors import ConfigError, ExitCode, HookAbort, MyappError, PluginLoadError, UsageError

__all__ = [
    "PLUGIN_API_VERSION",
    "ConfigError",
    "ExitCode",
    "HookAbort",
    "MyappError",
    "PluginLoadError",
    "UsageError",
    "__version__",
]

#: The framework's release.
__version__ = "0.1.0"

#: The version of the interfaces plugins use (commands, hooks, the hook context,
#: ``myapp.testing``): the release's major.minor. Before 1.0 a minor bump may
#: break plugins and a patch release does not; from 1.0 on, only a major bump
#: may. A plugin states what it supports as its requirement on ``myapp``, e.g.
#: ``myapp>=0.1,<0.2``; myapp skips plugins whose requirement the running
#: release does not meet (``--ignore-compat NAME`` loads one anyway).
PLUGIN_API_VERSION = ".".join(__version__.split(".")[:2])
