# acme/cli.py
from __future__ import annotations

import sys

from myapp.app import main
from myapp.identity import Identity

from . import __version__

ACME = Identity("acme", description="Manage Acme deployments.")


def console_main() -> None:
    sys.exit(main(identity=ACME, version=__version__))
