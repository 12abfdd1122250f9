"""acme: a tool built on the myapp framework (the example of docs/second-tool.rst)."""

__version__ = "2.0.0"
