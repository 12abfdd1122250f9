"""What is installed: plugins' entry points and metadata, read without importing them, and their cache."""
