"""The configuration: the settings table, its layers and origins, the global options and safe edits."""
