"""Commands of the ``cliffling.compute`` namespace."""

from cliff.lister import Lister
from cliff.show import ShowOne

from .fleet import FLEET


class ServerList(Lister):
    """List the servers of the fleet."""

    def take_action(self, parsed_args):
        region = getattr(parsed_args, "region", None)  # added by the RegionFilter hook
        rows = [(name, where) for name, where, _ in FLEET if region in (None, where)]
        return ("Name", "Region"), rows


class ServerShow(ShowOne):
    """Show one server."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the server's name")
        return parser

    def take_action(self, parsed_args):
        name, region, network = self.app.client_manager.find(parsed_args.name)
        return ("Name", "Region", "Network"), (name, region, network)
