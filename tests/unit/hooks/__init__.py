"""Unit tests of myapp.hooks: hooks."""
