"""The fleet the commands read, and the client the app hands to commands that need one."""

#: The servers: (name, region, network).
FLEET = (
    ("web-1", "north", "front"),
    ("web-2", "south", "front"),
    ("db-1", "north", "back"),
)


class FleetClient:
    """What ``initialize_app`` puts on the app as ``client_manager``, as OpenStack's clients do."""

    def find(self, name):
        """The server called *name*."""
        for server in FLEET:
            if server[0] == name:
                return server
        raise LookupError(f"no server called {name!r}")
