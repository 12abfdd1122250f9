"""A pytest plugin that runs the tests cliff ships (``cliff.tests``) with myapp's classes in place of cliff's.

Loaded with ``-p tests.cliff_conformance.swap`` in a process of its own (``tox -e cliff``),
so the substitution never reaches the rest of the suite. Before cliff's test modules are
imported, ``cliff.app.App`` and ``cliff.commandmanager.CommandManager`` become myapp's;
the tests on :data:`DIFFERENCES_FILE` are expected to fail (strictly: one that passes
fails the run, so the list cannot go stale), every other test must pass.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

import pytest

#: The tests that check a documented difference from cliff, or a cliff internal myapp replaces, with why.
DIFFERENCES_FILE: Final = Path(__file__).with_name("differences.txt")


def read_differences(path: Path = DIFFERENCES_FILE) -> dict[str, str]:
    """``{test id: reason}`` from *path*: one ``<module>::<class>::<test>  # <reason>`` per line."""
    differences = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test, separator, reason = line.partition("#")
        if not separator or not reason.strip() or len(test.split()) != 1:
            raise ValueError(f"{path.name}:{number}: expected '<test id>  # <reason>'")
        differences[test.strip()] = reason.strip()
    return differences


def pytest_configure(config: pytest.Config) -> None:
    """Swap the classes, and keep the user's files out of reach, before cliff's tests are imported."""
    home = tempfile.mkdtemp(prefix="cliff-conformance-")
    os.environ["HOME"] = home
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        os.environ.pop(variable, None)
    import cliff.app
    import cliff.commandmanager

    import myapp.app
    import myapp.commands.manager

    cliff.app.App = myapp.app.App  # type: ignore[misc]
    cliff.commandmanager.CommandManager = myapp.commands.manager.CommandManager  # type: ignore[misc]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the listed tests as strict expected failures; a listed test that is not collected is an error."""
    differences = read_differences()
    seen = set()
    for item in items:
        key = _test_id(item)
        if key in differences:
            seen.add(key)
            item.add_marker(pytest.mark.xfail(reason=differences[key], strict=True))
    missing = sorted(set(differences) - seen)
    if missing:
        raise pytest.UsageError(f"{DIFFERENCES_FILE.name} lists tests cliff no longer has: {', '.join(missing)}")


def _test_id(item: pytest.Item) -> str:
    """``test_app::TestHelpHandling::test_help``: the node id without the path to cliff's package."""
    module = Path(str(item.path)).stem
    return "::".join([module, *item.nodeid.split("::")[1:]])
