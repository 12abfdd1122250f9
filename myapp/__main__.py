"""``python -m myapp``."""

import os
import sys

# ``python -m`` puts the current directory first on the path; a tool must not
# pick up plugins or modules from wherever it happens to be run.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from myapp._cli import console_main

console_main()
