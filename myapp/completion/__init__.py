"""Shell completion for bash, zsh and fish, served from metadata and caches.

``<tool> completion SHELL`` prints a script (:mod:`.scripts`); on every Tab
the script runs ``<tool> __complete SHELL -- WORD...``, which
:func:`myapp._program.run_program` hands to :func:`serve` before cliff is
imported. Candidates come from the session and the command caches
(:mod:`.sources`); :mod:`.engine` reads the words typed as the app would
parse them. A request never imports plugin code.

What completes, and the ``value_completers`` a command may declare: see
docs/user-guide.rst, "Shell completion"; how it stays cheap:
docs/architecture.rst, "Shell completion".
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from ..errors import ExitCode

if TYPE_CHECKING:
    from ..identity import Identity
    from .engine import Reply

LOG = logging.getLogger(__name__)

#: The hidden command the scripts call back; handled before the app is built.
CALLBACK: Final = "__complete"
#: The shells a script can be written for.
SHELLS: Final = ("bash", "fish", "zsh")


def serve(
    identity: Identity,
    argv: Sequence[str],
    stdout: TextIO | None = None,
    *,
    make_app: Callable[..., Any] | None = None,
    **app_options: Any,
) -> int | None:
    """Answer ``<tool> __complete SHELL [--] [WORD ...]``: print the candidates for the last word.

    Never prints an error or a traceback, since the shell would show it in
    the middle of the command line: a request that cannot be served gets no
    candidates.

    :param argv: the command line without the program name.
    :param make_app: builds the tool's App, to read a built-in command's options from its parser.
    :param app_options: what the App is built with (``builtins``, ``version``, ``path``, ``plugin_index``).
    :returns: ``None`` when *argv* is not a completion request; else ``OK``,
        or ``USAGE`` when the shell is not one of :data:`SHELLS`.
    """
    if not argv or argv[0] != CALLBACK:
        return None
    from .scripts import format_reply

    stdout = stdout or sys.stdout
    arguments = list(argv[1:])
    shell = arguments.pop(0) if arguments else ""
    if shell not in SHELLS:
        sys.stderr.write(f"{identity.name}: error: cannot complete for shell '{shell}'\n")
        sys.stderr.write(f"hint: '{identity.name} completion' writes scripts for {', '.join(SHELLS)}\n")
        return ExitCode.USAGE
    if arguments[:1] == ["--"]:
        del arguments[0]
    with _quiet_logging():
        reply = complete(identity, arguments, with_help=shell != "bash", make_app=make_app, **app_options)
    stdout.write(format_reply(shell, reply))
    return ExitCode.OK


def complete(
    identity: Identity,
    words: Sequence[str],
    *,
    with_help: bool = True,
    make_app: Callable[..., Any] | None = None,
    **app_options: Any,
) -> Reply:
    """The candidates for the last of *words*, the words typed after the program name.

    :param with_help: also find each command's one-line help (from the cache).
    :param make_app: see :func:`serve`.
    """
    from .engine import Reply

    try:
        from .sources import Tool, completer

        tool = Tool(identity, words, app_options, make_app)
        reply = completer(tool, with_help=with_help).complete(words)
        tool.save()
    except Exception:
        LOG.debug("completion failed", exc_info=True)
        return Reply()
    return reply


@contextlib.contextmanager
def _quiet_logging() -> Iterator[None]:
    """No log record reaches the terminal while the shell waits for candidates."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)
