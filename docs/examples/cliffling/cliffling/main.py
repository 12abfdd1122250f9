"""The app: commands from two entry-point namespaces, and a client for the commands that need one."""

import sys

from cliff.app import App
from cliff.commandmanager import CommandManager

from .fleet import FleetClient


class Cliffling(App):
    """Look after a small fleet of servers."""

    def __init__(self):
        manager = CommandManager("cliffling.compute")
        manager.add_command_group("cliffling.network")
        super().__init__(
            description="Look after a small fleet of servers.",
            version="1.0.0",
            command_manager=manager,
            deferred_help=True,
        )

    def initialize_app(self, argv):
        self.client_manager = FleetClient()


def main(argv=None):
    """Run one command line; return the exit status."""
    return Cliffling().run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
