"""Throw-away plugin distributions: the suite uses the public toolkit's (see :mod:`myapp.testing`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from myapp.index._stamps import SETTLING_TIME_NS
from myapp.testing.distributions import Distribution, build_wheel, install_into

__all__ = ["Distribution", "build_wheel", "install_into", "settle"]


def settle(*folders: Path) -> None:
    """Date the folders' last change back past the settling time, as if installs had ended a while ago.

    An index read from a folder that changed a moment ago is used but not
    cached (see :mod:`myapp.index.discovery`); tests about the cache settle first.
    """
    then = time.time_ns() - 2 * SETTLING_TIME_NS
    for folder in folders:
        os.utime(folder, ns=(then, then))
