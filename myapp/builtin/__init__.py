"""Commands every tool built on the framework has: see and control plugins, configuration, hooks, help.

:data:`BUILTIN_COMMANDS` (from :mod:`myapp.commands.builtins`) maps their names to ``module:class``.
"""

from __future__ import annotations

from ..commands.builtins import BUILTIN_COMMANDS

__all__ = ["BUILTIN_COMMANDS"]
