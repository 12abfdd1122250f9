"""``python -m myapp``."""

from .app import console_main

console_main()
