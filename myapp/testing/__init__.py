"""Helpers for testing a tool or a plugin: run the app in-process, with installed or in-memory plugins.

* :func:`run` runs one command line in this process and returns a :class:`Result`;
  ``plugins=[FakePlugin(...)]`` replaces the installed plugins with in-memory ones.
* :class:`Distribution`, :func:`build_wheel` and :func:`install_into` make
  throw-away plugin distributions; :class:`VirtualEnvironment` and
  :class:`PluginEnvironment` install them with pip and run the tool as a program.
* :mod:`myapp.pytest_plugin` offers all of this as pytest fixtures.

.. versionadded:: 0.1
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import ExitStack, contextmanager, redirect_stderr, redirect_stdout
from types import ModuleType
from typing import Any, TypeVar

from ..identity import MYAPP, Identity
from .distributions import Distribution, build_wheel, install_into
from .fakes import FakePlugin, fake_index
from .results import Result
from .venvs import PluginEnvironment, VirtualEnvironment

__all__ = [
    "Distribution",
    "FakePlugin",
    "PluginEnvironment",
    "Result",
    "VirtualEnvironment",
    "build_wheel",
    "environment",
    "install_into",
    "run",
]

_T = TypeVar("_T")


def run(
    argv: Sequence[str],
    *,
    identity: Identity = MYAPP,
    env: Mapping[str, str] | None = None,
    stdin: str = "",
    plugins: Iterable[FakePlugin] | None = None,
    **app_options: Any,
) -> Result:
    """Run one command line in this process and return its exit status and output.

    :param env: environment variables set for the run only (``MYAPP_DEBUG`` ...).
    :param plugins: in-memory plugins to use instead of the installed ones
        (see :class:`FakePlugin`). They are never cached: the run gets a
        temporary cache folder unless *env* names one.
    :param app_options: passed to :class:`myapp.app.App` (``path``, ``builtins``, ``version``).
    """
    from ..app import App
    from ..console import remove_logging_handlers

    stdout, stderr = io.StringIO(), io.StringIO()
    with ExitStack() as stack:
        env = dict(env or {})
        if plugins is not None:
            index, modules = fake_index(plugins, identity)
            stack.enter_context(_importable(modules))
            env.setdefault(identity.env_name("cache_dir"), stack.enter_context(tempfile.TemporaryDirectory()))
            app_options["plugin_index"] = index
        # argparse and plugins write to sys.stdout / sys.stderr directly: capture those too.
        stack.enter_context(environment(env))
        stack.enter_context(redirect_stdout(stdout))
        stack.enter_context(redirect_stderr(stderr))
        app = App(identity, stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr, **app_options)
        try:
            exit_code = app.run(list(argv))
        finally:
            remove_logging_handlers()
    return Result(exit_code, stdout.getvalue(), stderr.getvalue())


@contextmanager
def environment(changes: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a ``with`` block."""
    with _patched(os.environ, changes):
        yield


@contextmanager
def _importable(modules: Mapping[str, ModuleType]) -> Iterator[None]:
    """Make *modules* importable by name for the duration of a ``with`` block."""
    with _patched(sys.modules, modules):
        yield


@contextmanager
def _patched(mapping: MutableMapping[str, _T], changes: Mapping[str, _T]) -> Iterator[None]:
    """Set *changes* in *mapping*, then put back what was there (or remove what was not)."""
    saved = {name: mapping.get(name) for name in changes}
    mapping.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                mapping.pop(name, None)
            else:
                mapping[name] = value
