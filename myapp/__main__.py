"""``python -m myapp``: importing :mod:`myapp._cli` first takes the current directory off the import path."""

from myapp._cli import console_main

console_main()
