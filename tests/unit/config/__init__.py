"""Unit tests of myapp.config: the configuration."""
