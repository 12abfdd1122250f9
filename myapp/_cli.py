"""The console script's entry point.

Importing this module is the program starting: the current directory is
taken off the import path and the garbage collector paused before anything
else is imported (see :func:`forget_current_directory` and
:func:`myapp._process.pause_garbage_collection`); a shell's completion request
is answered without importing the app and cliff (see :mod:`myapp._program`).
"""

# No ``from __future__ import annotations`` here, nor in the package's __init__ and _version: it imports the
# __future__ module, which the current directory could still provide at that point.
import os
import signal
import sys

#: Whether Ctrl-C ends the process quietly until the program can report it: an interruption landing in the middle of
#: an import then ends the run as it ends any program that has not set up yet (the shell sees 130), never with a
#: traceback. Not when the shell that started the program ignores Ctrl-C, as it does for background jobs.
QUIET_UNTIL_SET_UP = signal.getsignal(signal.SIGINT) is signal.default_int_handler
if QUIET_UNTIL_SET_UP:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def forget_current_directory() -> None:
    """Take the current directory off ``sys.path`` wherever Python put it there without being asked.

    ``python -m`` and ``python -c`` put it first (unless ``PYTHONSAFEPATH`` is
    set), and so does an empty element of ``PYTHONPATH``: ``":$X"``, ``"$X:"``,
    or what ``PYTHONPATH=$PYTHONPATH:$X`` gives when the variable was empty.
    A folder someone else filled would then provide the modules the tool
    imports (a ``cliff.py``) and the plugins it indexes. A folder named in
    ``PYTHONPATH`` stays, even when it is the current one, and so does the
    current directory when it is one of the interpreter's own folders.
    The empty elements leave ``PYTHONPATH`` too, so the programs the tool
    starts (pip, hook scripts) do not inherit them.
    """
    path = sys.path
    variable = "" if sys.flags.ignore_environment else os.environ.get("PYTHONPATH", "")
    elements = variable.split(os.pathsep) if variable else []
    launched_here = bool(path) and not getattr(sys.flags, "safe_path", False) and (path[0] == "" or _run_as_module())
    if "" not in elements and not launched_here:
        return  # the usual case: nothing to look up
    try:
        here: str | None = os.getcwd()
    except OSError:  # a deleted folder: nothing can be imported from it
        here = None
    if launched_here and path[0] in ("", here):
        del path[0]
    if "" not in elements:
        return
    named = [element for element in elements if element]
    _set_pythonpath(named)
    if here not in {os.path.abspath(element) for element in named} and not _is_interpreter_folder(here):
        path[:] = [entry for entry in path if entry not in ("", here)]


def _set_pythonpath(elements: list[str]) -> None:
    """Make the ``PYTHONPATH`` the programs this one starts inherit hold *elements*."""
    if elements:
        os.environ["PYTHONPATH"] = os.pathsep.join(elements)
    else:
        del os.environ["PYTHONPATH"]


def _run_as_module() -> bool:
    """Whether the interpreter runs a module given with ``-m`` (which puts the current directory first)."""
    return getattr(sys.modules.get("__main__"), "__spec__", None) is not None


def _is_interpreter_folder(folder: str | None) -> bool:
    """Whether *folder* is where the standard library or installed packages live (it is on the path anyway)."""
    site_packages = getattr(sys.modules.get("site"), "getsitepackages", list)  # no site module with -S
    own = [os.path.dirname(os.__file__), *site_packages()]
    return folder in {os.path.abspath(entry) for entry in own}


forget_current_directory()

from ._process import pause_garbage_collection  # noqa: E402 - the path must be safe first

pause_garbage_collection()

__all__ = ["console_main", "forget_current_directory"]


def console_main() -> None:
    """Run the program with the command line the shell gave."""
    from ._program import run_program
    from .identity import MYAPP

    if QUIET_UNTIL_SET_UP:  # from here on, an interruption is the program's to report (see myapp._program)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(run_program(MYAPP, sys.argv[1:], _make_app))


def _make_app(*args: object, **kwargs: object) -> object:
    """The cliff App, imported (with cliff) only for a run that needs one."""
    from .app import App

    return App(*args, **kwargs)  # type: ignore[arg-type]
