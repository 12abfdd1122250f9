"""``python -m myapp``."""

import os
import sys

# ``python -m`` puts the current directory first on the path; a tool must not
# pick up plugins or modules from wherever it happens to be run. A working
# directory that was deleted has no name to compare with, and holds nothing.
try:
    _working_directory = os.getcwd()
except OSError:
    _working_directory = ""
if sys.path and sys.path[0] in ("", _working_directory):
    del sys.path[0]

from myapp._cli import console_main

console_main()
