# tests/test_acme.py
import pytest
from acme.cli import ACME


@pytest.fixture
def myapp_identity():
    """Point the framework's fixtures at acme."""
    return ACME


def test_deploy(myapp_run):
    result = myapp_run(["deploy", "staging"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "deployed to staging\n", "")


def test_deploy_refuses_an_unknown_environment(myapp_run):
    result = myapp_run(["deploy", "moon"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "invalid choice: 'moon'" in result.stderr
