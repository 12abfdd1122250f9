"""The work behind ``plugin check``, ``freeze``, ``sync``, ``install`` and ``uninstall``."""
