"""Hooks: events and the context hooks receive, their order, firing them, and hook scripts.

``from myapp.hooks import HookContext, hook`` is the documented import for hook authors.
"""

from __future__ import annotations

from .context import INITIALIZE, POST_COMMAND, PRE_COMMAND, Hook, HookContext, HookOrder, command_event, hook

__all__ = ["INITIALIZE", "POST_COMMAND", "PRE_COMMAND", "Hook", "HookContext", "HookOrder", "command_event", "hook"]
