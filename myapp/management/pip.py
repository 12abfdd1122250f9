"""pip, run the way a plugin manager must run it.

pip runs in this interpreter (as ``sys.executable -m pip`` would, but never
importing from the current directory), so plugins land where the tool finds
them. It never prompts, its upgrade advice is turned off, and its messages go
to the app's stderr as they come: stdout stays free for the data a command
prints.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Sequence
from typing import Any, Final, TextIO

from ..errors import MyappError
from ..index.records import normalize_name

LOG = logging.getLogger(__name__)

#: Always given to pip: a command of ours never prompts, and pip's own upgrade advice is noise here.
_PIP_OPTIONS: Final = ("--disable-pip-version-check", "--no-input")
#: Runs pip as ``-m pip`` would, except that the current directory is not put first on the import path: a folder
#: someone else filled must not provide the modules pip imports.
_RUN_PIP: Final = (
    "import sys; del sys.path[0]; import runpy; runpy.run_module('pip', run_name='__main__', alter_sys=True)"
)
#: The option that passes one argument on to pip.
_PIP_ARG: Final = "--pip-arg"


def run_pip(
    stderr: TextIO, verb: str, packages: Sequence[str], pip_args: Sequence[str] = (), *, quiet: bool = False
) -> None:
    """Run ``pip VERB`` in this interpreter, its output on *stderr* (the app's).

    :param verb: ``install`` or ``uninstall`` (which never asks: ``--yes``).
    :param packages: requirements or names, as pip takes them.
    :param pip_args: more arguments for pip, from ``--pip-arg``.
    :param quiet: ``-q`` was given: pip is quiet too.
    :raises MyappError: pip failed; pip's messages above say why.
    """
    options = [*_PIP_OPTIONS, *(["--quiet"] if quiet else [])]
    if verb == "uninstall":
        options.append("--yes")
    command = [sys.executable, "-c", _RUN_PIP, verb, *options, *pip_args, *packages]
    LOG.info("running %s", shlex.join(command))
    status = _run_with_output_on(stderr, command)
    if status != 0:
        names = ", ".join(f"'{package}'" for package in packages)
        raise MyappError(f"pip could not {verb} {names} (exit status {status})", hint="pip's messages above say why")


def _run_with_output_on(stream: TextIO, command: list[str]) -> int:
    """Run *command* with no input; what it prints goes to *stream*. Returns its exit status."""
    import subprocess

    stream.flush()
    try:
        stderr = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it): pass the text on
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        stream.write(result.stdout + result.stderr)
        return result.returncode
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, check=False).returncode


def requirement_name(requirement: str) -> str:
    """The normalized distribution name of ``name``, ``name==1.0``, ``name @ url`` ... as pip reads it."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return normalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return normalize_name(requirement)


def add_pip_args(parser: argparse.ArgumentParser, what: str) -> argparse.ArgumentParser:
    """Add the repeatable ``--pip-arg ARG`` option to a command's parser.

    :param what: the pip command the arguments go to, for the help text: ``pip install``.
    """
    parser.add_argument(
        _PIP_ARG,
        dest="pip_args",
        action="append",
        default=[],
        metavar="ARG",
        help=f"pass ARG to '{what}' (repeatable), e.g. --pip-arg --no-index --pip-arg --find-links --pip-arg DIR",
    )
    # cliff builds the parser; a subclass of its class is the one way to see the words first.
    parser.__class__ = type(type(parser).__name__, (_GluedPipArgs, type(parser)), {})
    return parser


def glue_pip_args(argv: Sequence[str]) -> list[str]:
    """Join each ``--pip-arg`` to the word after it (up to a ``--``)."""
    glued: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            glued += [word, *words]
        elif word == _PIP_ARG:
            value = next(words, None)
            glued.append(word if value is None else f"{word}={value}")
        else:
            glued.append(word)
    return glued


class _GluedPipArgs:
    """Reads ``--pip-arg --no-index`` as ``--pip-arg=--no-index``.

    argparse takes a value that starts with ``-`` for an option and stops with
    "expected one argument", yet every pip option starts with ``-``.
    """

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        return super().parse_known_args(  # type: ignore[misc]
            None if args is None else glue_pip_args(args), namespace
        )
