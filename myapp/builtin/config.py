"""``config show`` and ``config path``: the effective configuration and where it comes from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..app import app_of
from ..config.settings import SETTINGS
from ..errors import UsageError, did_you_mean
from .records import Records


def _display(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_display(item) for item in value]
    if isinstance(value, dict):
        return {key: _display(item) for key, item in value.items()}
    return value


class ConfigShow(Records):
    """Show every setting, its effective value and where the value came from."""

    #: shell completion offers setting names for the keys (see :mod:`myapp.completion`)
    value_completers = {"keys": "settings"}

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("keys", nargs="*", metavar="KEY", help="show only these settings (default: all)")
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        app = app_of(self)
        config = app.session.config
        assert config is not None
        unknown = [key for key in parsed_args.keys if key not in SETTINGS]
        if unknown:
            raise UsageError(
                did_you_mean(unknown[0], SETTINGS, after=f"unknown setting '{unknown[0]}'"),
                hint=f"'{app.NAME} config show' lists every setting",
            )
        rows = [
            (
                value.key,
                _display(value.value),
                value.origin,
                app.identity.env_prefix + SETTINGS[value.key].variable_suffix
                if SETTINGS[value.key].environment
                else "",
            )
            for value in config.entries()
            if not parsed_args.keys or value.key in parsed_args.keys
        ]
        return ("Key", "Value", "Origin", "Variable"), rows


class ConfigPath(Records):
    """List the config files consulted, in the order they apply."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, str, bool]]]:
        app = app_of(self)
        config = app.session.config
        assert config is not None
        return ("Path", "Role", "Exists"), [(str(f.path), f.role, f.exists) for f in config.files]
