"""Unit tests of myapp.management: plugin sets and what a sync plans."""
