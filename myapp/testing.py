"""Helpers for testing a tool or a plugin: run the app in-process, capture what it prints.

.. versionadded:: 0.1
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

from .identity import MYAPP, Identity


@dataclass(frozen=True, slots=True)
class Result:
    """What one run of the app produced."""

    exit_code: int
    stdout: str
    stderr: str


def run(
    argv: Sequence[str],
    *,
    identity: Identity = MYAPP,
    env: Mapping[str, str] | None = None,
    stdin: str = "",
    **app_options: Any,
) -> Result:
    """Run one command line in this process and return its exit status and output.

    :param env: environment variables set for the run only (``MYAPP_DEBUG`` ...).
    :param app_options: passed to :class:`myapp.app.App` (``path``, ``builtins``, ``version``).
    """
    from .app import App
    from .console import remove_logging_handlers

    stdout, stderr = io.StringIO(), io.StringIO()
    # argparse and plugins write to sys.stdout / sys.stderr directly: capture those too.
    with environment(env or {}), redirect_stdout(stdout), redirect_stderr(stderr):
        app = App(identity, stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr, **app_options)
        try:
            exit_code = app.run(list(argv))
        finally:
            remove_logging_handlers()
    return Result(exit_code, stdout.getvalue(), stderr.getvalue())


@contextmanager
def environment(changes: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a ``with`` block."""
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
