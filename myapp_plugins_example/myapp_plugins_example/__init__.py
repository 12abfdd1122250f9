"""An example plugin package for myapp: every extension point, small and real."""
