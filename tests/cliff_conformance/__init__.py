"""cliff's own test suite, run against myapp's App and CommandManager (``tox -e cliff``)."""
