"""What the tests expect ``plugin new`` to write."""

from __future__ import annotations

#: What ``plugin new my-widget`` writes, relative to the new project folder.
WIDGET_FILES = [
    "pyproject.toml",
    "setup.cfg",
    "README.md",
    "my_widget/__init__.py",
    "my_widget/commands.py",
    "my_widget/hooks.py",
    "tests/test_my_widget.py",
]
