"""``--strict-plugins``: no plugin command starts while an enabled plugin is broken."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import PluginLoadError
from .checks import check_plugins

if TYPE_CHECKING:
    from ..commands.entry import CommandBuilder, CommandEntry
    from ..session import Session


def refuse_broken_plugins(session: Session, builder: CommandBuilder, entry: CommandEntry) -> None:
    """Check every enabled plugin as ``plugin check`` does before *entry*'s command runs; fail if one is broken.

    Built-in commands still run, so that a broken plugin can always be disabled.

    :param builder: creates each command as a run would (the cliff App).
    :raises PluginLoadError: a plugin cannot run; the message names the first, and counts the others.
    """
    if entry.builtin:
        return
    plugins = session.installed_plugins()
    session.plugins.mark_broken(check_plugins(session, builder, [p for p in plugins if p.verdict.runs]).broken)
    cannot_run = session.plugins.cannot_run(plugins)
    if cannot_run:
        name, problem = next(iter(cannot_run.items()))
        more = f" (and {len(cannot_run) - 1} more)" if len(cannot_run) > 1 else ""
        tool = session.identity.name
        raise PluginLoadError(
            f"--strict-plugins: plugin '{name}' cannot run: {problem}{more}",
            distribution=name,
            entry_point="",
            namespace="",
            hint=f"'{tool} plugin check' lists every problem; --disable-plugin skips a plugin",
        )
