"""The framework's release and the version of the interfaces plugins use."""

# No ``from __future__ import annotations``: see myapp._cli.
#: The framework's release.
__version__ = "0.1.0"

#: The version of the interfaces plugins use (commands, hooks, the hook context,
#: ``myapp.testing``): the release's major.minor. Before 1.0 a minor bump may
#: break plugins and a patch release does not; from 1.0 on, only a major bump
#: may. A plugin states what it supports as its requirement on ``myapp``, e.g.
#: ``myapp>=0.1,<0.2``; myapp skips plugins whose requirement the running
#: release does not meet (``--ignore-compat NAME`` loads one anyway).
PLUGIN_API_VERSION = ".".join(__version__.split(".")[:2])
