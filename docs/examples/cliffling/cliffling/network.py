"""Commands of the ``cliffling.network`` namespace."""

from cliff.lister import Lister

from .fleet import FLEET


class NetworkList(Lister):
    """List the networks and how many servers each has."""

    def take_action(self, parsed_args):
        counts = {}
        for _, _, network in FLEET:
            counts[network] = counts.get(network, 0) + 1
        return ("Network", "Servers"), sorted(counts.items())
