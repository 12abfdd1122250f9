import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "myapp"
author = "the myapp authors"
copyright = "the myapp authors"
release = importlib.import_module("myapp").__version__
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc"]

exclude_patterns = ["_build"]
nitpicky = False

autodoc_member_order = "bysource"

html_theme = "alabaster"
