"""Unit tests of myapp.index: the entry-point index."""
