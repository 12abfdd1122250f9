"""Programs some tests need besides Python: the shells they complete in, and a terminal (tmux).

Where one is missing the test is skipped, with the reason saying how to install it, so that the suite
passes on a machine with nothing but Python. Under CI (``CI=true``, as ``.ci/run`` sets) a missing
program fails the test instead: CI installs them all, and a skip there would hide a test that never ran.
"""

from __future__ import annotations

import os
import shutil
from typing import Final

import pytest

#: Programs whose package has another name (on Debian, Ubuntu and Fedora alike).
PACKAGES: Final = {"ps": "procps"}


def is_ci() -> bool:
    """Whether this run is CI's: ``CI`` holds a yes value, as CI services and ``.ci/run`` set it."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def need_program(name: str) -> str:
    """The path of the program *name* on ``PATH``; the test is skipped (or fails under CI) without it."""
    path = shutil.which(name)
    if path is not None:
        return path
    package = PACKAGES.get(name, name)
    reason = f"{name} is not installed; install it to run this test, e.g. 'sudo apt-get install {package}'"
    if is_ci():
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, and CI must run every test)", pytrace=False)
    pytest.skip(reason)
