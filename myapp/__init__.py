"""myapp: a command-line framework whose commands come from installed plugins.

The names here are the public surface for plugin authors; everything else
may change between minor releases.
"""

from __future__ import annotations

from .errors import ConfigError, ExitCode, HookAbort, MyappError, PluginLoadError, UsageError

__all__ = [
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
