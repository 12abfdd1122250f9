"""Throw-away plugin distributions: the suite uses the public toolkit's (see :mod:`myapp.testing`)."""

from __future__ import annotations

from myapp.testing.distributions import Distribution, build_wheel, install_into

__all__ = ["Distribution", "build_wheel", "install_into"]
