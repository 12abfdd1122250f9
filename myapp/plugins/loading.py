"""Importing one entry point's target with its failures contained."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from ..errors import PluginLoadError, Terminated, unwrapped_interruption
from ..index.records import EntryPointInfo, normalize_name
from .trace import PluginTrace, importing


@contextlib.contextmanager
def prints_to_stderr() -> Iterator[None]:
    """While plugin code runs (its import, a hook), what it prints goes to stderr: stdout carries data only.

    Both what Python code prints and what a program it starts writes to
    file descriptor 1 (``os.system("echo ...")``) are sent there. Output
    the command buffered before stays buffered, and reaches stdout later.
    """
    with contextlib.redirect_stdout(sys.stderr), _descriptor_to_stderr(1):
        yield


@contextlib.contextmanager
def _descriptor_to_stderr(descriptor: int) -> Iterator[None]:
    """Point *descriptor* at stderr's file for a while; left alone when either of them is closed."""
    try:
        saved: int | None = os.dup(descriptor)
    except OSError:
        saved = None
    if saved is not None:
        try:
            os.dup2(2, descriptor)
        except OSError:
            os.close(saved)
            saved = None
    try:
        yield
    finally:
        if saved is not None:
            os.dup2(saved, descriptor)
            os.close(saved)


def import_target(entry_point: EntryPointInfo, *, hint: str | None = None, trace: PluginTrace | None = None) -> Any:
    """Import and return the object *entry_point* names.

    While the plugin's module runs, anything it prints goes to stderr, so it
    cannot corrupt the data a command writes to stdout.

    :raises PluginLoadError: the import failed in any way, including
        ``SyntaxError`` and ``sys.exit()`` in the module; it names the
        distribution, the entry point and the original error.
    :param trace: the ``--debug-plugins`` trace, told how long the import took.
    """
    module_name, _, attribute = entry_point.value.partition(":")
    with importing(trace, entry_point):  # --debug-plugins times it
        try:
            with prints_to_stderr():
                target: Any = importlib.import_module(module_name.strip())
            for part in filter(None, attribute.strip().split(".")):
                target = getattr(target, part)
        except (KeyboardInterrupt, Terminated):
            raise
        except BaseException as error:  # a plugin may raise anything, SystemExit too
            if unwrapped_interruption(error) is not error:  # a signal that landed while a class was made
                raise unwrapped_interruption(error) from None
            raise PluginLoadError.of(
                entry_point,
                f"plugin '{entry_point.distribution}' could not load "
                f"'{entry_point.name} = {entry_point.value}' ({describe_exception(error)})",
                hint=hint,
            ) from error
    return target


def describe_exception(error: BaseException) -> str:
    """``TypeName: message`` on one line."""
    text = " ".join(str(error).split())
    if isinstance(error, SystemExit):
        text = f"exit status {error.code}"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def disable_hint(distribution: str) -> str:
    """The standard advice for a plugin that cannot be loaded: the fix, how to run without it, how to find more."""
    return (
        f"reinstall or fix it, or skip it with '--disable-plugin {normalize_name(distribution)}'; "
        "the 'plugin check' command lists every broken plugin"
    )
