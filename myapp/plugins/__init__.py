"""Whether each plugin may run and why, importing a plugin's code with failures contained, blame, and its sources."""
