"""cliffling: a small cliff app with two command namespaces, a Lister, a ShowOne and a CommandHook."""
