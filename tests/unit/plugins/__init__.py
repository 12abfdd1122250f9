"""Unit tests of myapp.plugins: plugin states, loading, compatibility, blame and the trace."""
