"""Unit tests of myapp.commands: the command table."""
