"""``bug-report``: the versions and settings to paste into a bug report."""

from __future__ import annotations

import argparse
from typing import Any

from ..app import app_of
from .records import Record, keeps_structure


class BugReport(Record):
    """Print the tool's, Python's, the system's and every plugin's version, for a bug report."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        import importlib.metadata
        import os
        import platform
        import sys

        app = app_of(self)
        config = app.session.config
        assert config is not None
        plugins = [
            {"Name": p.name, "Version": p.distribution.version, "State": p.verdict.state.value}
            for p in app.session.installed_plugins()
        ]
        # Names only: the values may be private. The nesting depth is the run's own unless it runs nested.
        own = {app.identity.env_name("depth")} if os.environ.get(app.identity.env_name("depth")) == "1" else set()
        variables = sorted(name for name in os.environ if name.startswith(app.identity.env_prefix) and name not in own)
        fields: dict[str, Any] = {
            app.NAME: app.version,
            "Python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
            "OS": platform.platform(),
            "cliff": importlib.metadata.version("cliff"),
            "Config files": [str(f.path) for f in config.files if f.exists],
            "Environment": variables,
            "Plugins": plugins,
        }
        if not keeps_structure(parsed_args):  # a line of text per plugin rather than an object
            fields["Plugins"] = [f"{p['Name']} {p['Version']} ({p['State']})" for p in plugins]
        return tuple(fields), tuple(fields.values())
