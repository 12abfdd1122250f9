import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "myapp"
author = "the myapp authors"
copyright = "the myapp authors"
release = importlib.import_module("myapp").__version__
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc", "cliff.sphinxext"]

exclude_patterns = ["_build"]
nitpicky = False

autodoc_member_order = "bysource"

html_theme = "furo"
# The sidebar and every page's title say which release the pages describe.
html_title = f"{project} {release}"
# A block without a language is shown as text: directory trees and command output are not Python.
highlight_language = "text"

# The CLI reference (cli.rst) is cliff's autoprogram-cliff directive, which finds commands
# through stevedore. Built-in commands come from a table, not entry points: serve the table.
autoprogram_cliff_application = "myapp"
autoprogram_cliff_app_dist_name = "myapp"


def _serve_builtin_commands() -> None:
    from importlib.metadata import EntryPoint

    import stevedore

    from myapp.builtin import BUILTIN_COMMANDS
    from myapp.identity import MYAPP

    namespace = MYAPP.command_namespace
    stevedore.ExtensionManager.ENTRY_POINT_CACHE[namespace] = [
        EntryPoint(name.replace(" ", "_"), value, namespace) for name, value in BUILTIN_COMMANDS.items()
    ]


_serve_builtin_commands()
