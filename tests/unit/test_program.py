"""The front door: what a run that ends before the app exists returns."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest

from myapp._program import run_program
from myapp.errors import ExitCode, Terminated, unwrapped_interruption
from myapp.identity import MYAPP


def raising(error: BaseException) -> Callable[..., object]:
    def make_app(*args: object, **kwargs: object) -> object:
        raise error

    return make_app


def wrapped(interruption: BaseException) -> RuntimeError:
    """What Python 3.11 raises when *interruption* lands in a ``__set_name__`` while a class is made."""
    try:
        raise RuntimeError("Error calling __set_name__") from interruption
    except RuntimeError as error:
        return error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Terminated(signal.SIGTERM), ExitCode.TERMINATED),
        (Terminated(signal.SIGHUP), ExitCode.HANGUP),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
        (wrapped(Terminated(signal.SIGTERM)), ExitCode.TERMINATED),
        (wrapped(KeyboardInterrupt()), ExitCode.INTERRUPTED),
    ],
)
def test_a_signal_while_the_app_is_made_ends_the_run_with_its_status(error: BaseException, status: int) -> None:
    assert run_program(MYAPP, ["hello"], raising(error)) == status


def test_any_other_error_while_the_app_is_made_is_not_taken_for_a_signal() -> None:
    with pytest.raises(RuntimeError, match="a real bug"):
        run_program(MYAPP, ["hello"], raising(RuntimeError("a real bug")))


def test_only_a_runtime_error_caused_by_a_signal_is_unwrapped() -> None:
    other = ValueError("x")
    assert unwrapped_interruption(other) is other
    plain = RuntimeError("y")
    assert unwrapped_interruption(plain) is plain
