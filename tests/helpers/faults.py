"""The fault matrix: every kind of misbehaving plugin or surrounding, how to trigger it, and what the user must see.

tests/functional/test_faults.py runs each row against the session venv, and
checks that docs/fault-matrix.rst lists exactly these rows, in this order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .distributions import install_into
from .plugins import PATH_NAMES, SLOW_IMPORT_VARIABLE, plant

#: Prepares the folder a shell row runs in; returns extra environment variables for the run.
Setup = Callable[[Path], dict[str, str]]


@dataclass(frozen=True)
class Fault:
    """One kind of fault and its documented outcome."""

    #: the row's title in the docs
    kind: str
    #: the command line (after ``myapp``) that runs into the fault
    argv: tuple[str, ...]
    #: the documented exit status
    exit_code: int
    #: texts the stderr must contain (the plugin's name, the cause, the fix)
    says: tuple[str, ...] = ()
    #: whether ``--debug`` adds a traceback (there is an exception behind the message)
    traceback_with_debug: bool = True
    #: the entry point ``plugin check`` reports as an error, if it can find the fault without running anything
    found_by_check: str = ""
    #: extra environment variables for the run
    env: dict[str, str] = field(default_factory=dict)
    #: a shell command line to run instead of ``myapp <argv>`` (redirections, pipes), in a folder *setup* prepares
    line: str = ""
    setup: Setup | None = None
    #: seconds the run may take
    timeout: float = 60

    @property
    def command(self) -> str:
        """The command line as the docs show it."""
        return self.line or " ".join(("myapp", *self.argv))


#: How every load failure's hint points at the command that finds all broken plugins.
PLUGIN_CHECK_HINT = "the 'plugin check' command lists every broken plugin"


def _load_failure(kind: str, command: str, plugin: str, cause: str, *, raised: bool = True) -> Fault:
    """A command whose plugin code cannot be loaded: exit 3, the plugin, the cause and the fix."""
    return Fault(
        kind,
        tuple(command.split()),
        3,
        (plugin, cause, f"--disable-plugin {plugin}", PLUGIN_CHECK_HINT),
        traceback_with_debug=raised,
        found_by_check=command.replace(" ", "_"),
    )


def _hook_script(folder: Path, event: str, body: str) -> dict[str, str]:
    """An executable hook script for *event* in ``<folder>/hooks``, and the variable that points myapp at them."""
    hooks = folder / "hooks"
    hooks.mkdir(mode=0o700, exist_ok=True)
    script = hooks / event
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return {"MYAPP_HOOK_DIR": str(hooks)}


def _planted_folder(folder: Path) -> dict[str, str]:
    plant(folder)
    return {}


def _script_writing_to_stdout(folder: Path) -> dict[str, str]:
    return _hook_script(folder, "pre_command", "echo 'from the hook script'")


def _script_leaving_a_process(folder: Path) -> dict[str, str]:
    return _hook_script(folder, "post_hello", "(sleep 30; echo late) &")  # the row's time limit is 15 s


def _plugin_with_path_names(folder: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(install_into(PATH_NAMES, folder / "site").parent)}


def _vetoing_script_in_a_relative_folder(folder: Path) -> dict[str, str]:
    _hook_script(folder, "pre_hello", "exit 1")  # would stop the command (status 4) if it ran
    return {}


FAULTS: tuple[Fault, ...] = (
    _load_failure("ImportError in the module", "faulty importname", "myapp-faulty", "ImportError: cannot import name"),
    _load_failure(
        "Missing dependency",
        "faulty dependency",
        "myapp-faulty",
        "ModuleNotFoundError: No module named 'myapp_test_absent_dependency'",
    ),
    _load_failure("SyntaxError in the module", "broken syntax", "myapp-broken", "SyntaxError"),
    _load_failure("Exception raised at import", "broken raise", "myapp-broken", "RuntimeError: exploded at import"),
    _load_failure("sys.exit() at import", "broken exit", "myapp-broken", "SystemExit: exit status 7"),
    _load_failure("Entry point names a missing attribute", "broken attribute", "myapp-broken", "AttributeError"),
    _load_failure("Target of the wrong type", "broken type", "myapp-broken", "found function", raised=False),
    _load_failure("Exception in __init__", "broken init", "myapp-broken", "could not be created (RuntimeError"),
    _load_failure("Exception in get_parser", "broken parser", "myapp-broken", "could not build its arguments"),
    Fault(
        "Exception in take_action",
        ("fail",),
        1,
        (
            "myapp: error: command 'fail' failed in plugin 'myapp-good 1.0' (ValueError: boom)",
            "report it at https://example.invalid/good/issues",
            "--disable-plugin myapp-good",
        ),
    ),
    Fault(
        "Exception in another plugin's code",
        ("delegate",),
        1,
        (
            "myapp: error: command 'delegate' failed in plugin 'myapp-good 1.0' (ValueError: boom)",
            "report it at https://example.invalid/good/issues",
        ),
    ),
    Fault(
        "Exception in a pre-command hook",
        ("fragile",),
        3,
        (
            "hook 'myapp-hooks-bad:raises' of plugin 'myapp-hooks-bad 1.0' failed (ValueError: hook exploded)",
            "--disable-plugin myapp-hooks-bad",
        ),
    ),
    Fault(
        "Exception in a pre-command hook, inside another plugin's code",
        ("borrow",),
        3,
        (
            "myapp: error: hook 'myapp-hooks-bad:borrows' of plugin 'myapp-hooks-bad 1.0' failed "
            "in plugin 'myapp-good 1.0' (ValueError: boom)",
            "hint: report it at https://example.invalid/good/issues with the output of 'myapp bug-report', "
            "or skip the plugin with '--disable-plugin myapp-hooks-bad'",
        ),
    ),
    Fault(
        "Exception in a post-command hook",
        ("postfail",),
        0,
        (
            "myapp: error: hook 'myapp-hooks-bad:raises' of plugin 'myapp-hooks-bad 1.0' failed (ValueError: ",
            "hint: report it to the plugin's authors with the output of 'myapp bug-report', "
            "or skip the plugin with '--disable-plugin myapp-hooks-bad'",
        ),
    ),
    Fault(
        "Exception in a post-command hook, inside another plugin's code",
        ("postborrow",),
        0,
        (
            "myapp: error: hook 'myapp-hooks-bad:borrows' of plugin 'myapp-hooks-bad 1.0' failed "
            "in plugin 'myapp-good 1.0' (ValueError: boom)",
            "hint: report it at https://example.invalid/good/issues",
        ),
    ),
    Fault(
        "Hook with the wrong signature",
        ("badsig",),
        3,
        (
            "myapp-hooks-bad",
            "two_arguments(context, extra)",
            "--disable-plugin myapp-hooks-bad",
            PLUGIN_CHECK_HINT,
        ),
        traceback_with_debug=False,
        found_by_check="two_arguments",
    ),
    Fault(
        "Hook ordering constraints form a cycle",
        ("cycle",),
        3,
        ("myapp-hooks-bad:x", "myapp-hooks-bad:y"),
        traceback_with_debug=False,
    ),
    Fault(
        "sys.exit() in a hook",
        ("quits",),
        3,
        (
            "hook 'myapp-faulty:exits' of plugin 'myapp-faulty 1.0' failed (SystemExit: exit status 9)",
            "--disable-plugin myapp-faulty",
            "report it at https://example.invalid/faulty",
        ),
    ),
    Fault("sys.exit(n) in a command", ("exit", "5"), 5, traceback_with_debug=False),
    Fault(
        "Return value that is not an exit status",
        ("retval", "256"),
        1,
        (
            "command 'retval' of plugin 'myapp-good 1.0' returned 256, which is not an exit status",
            "--disable-plugin myapp-good",
        ),
        traceback_with_debug=False,
    ),
    Fault(
        "Return value True",
        ("retval", "true"),
        1,
        ("command 'retval' of plugin 'myapp-good 1.0' returned True, which is not an exit status",),
        traceback_with_debug=False,
    ),
    Fault(
        "Return value that is text",
        ("retval", '"done"'),
        1,
        ("command 'retval' of plugin 'myapp-good 1.0' returned 'done', which is not an exit status",),
        traceback_with_debug=False,
    ),
    Fault(
        "Output printed at import",
        ("noisy", "list", "-f", "json"),
        0,
        (
            "noise from the command module",
            "noise from a program the command module started",
            "noise from the hook module",
        ),
        traceback_with_debug=False,
    ),
    Fault(
        "Output printed by a hook as it runs",
        ("noisy", "list", "-f", "json"),
        0,
        (
            "noise from a hook as it runs (pre_noisy_list)",
            "noise from a program a hook started (pre_noisy_list)",
            "noise from an async hook as it runs (post_noisy_list)",
        ),
        traceback_with_debug=False,
    ),
    Fault("Import that takes 30 s", ("hello",), 0, traceback_with_debug=False, env={SLOW_IMPORT_VARIABLE: "30"}),
    Fault(
        "Command name of a built-in",
        ("help", "hello"),
        0,
        ("built-in command 'help' is also provided by 'myapp-clash-a'; using the one from 'myapp'",),
        traceback_with_debug=False,
    ),
    Fault(
        "Command name of another plugin",
        ("twin",),
        0,
        ("command 'twin' is also provided by 'myapp-clash-b'; using the one from 'myapp-clash-a'",),
        traceback_with_debug=False,
    ),
    *(
        # The surroundings: the folder myapp runs in, hook scripts and folders, the standard streams.
        Fault(
            "A folder holding a cliff.py and a plugin, with an empty element in PYTHONPATH",
            (),
            2,
            ("myapp: error: unknown command 'planted'",),
            traceback_with_debug=False,
            line='PYTHONPATH=":$PYTHONPATH" myapp planted',
            setup=_planted_folder,
        ),
        Fault(
            "Hook script that writes to stdout",
            (),
            0,
            ("from the hook script",),
            traceback_with_debug=False,
            line="myapp greeting list -f json | python -m json.tool",
            setup=_script_writing_to_stdout,
        ),
        Fault(
            "Hook script that leaves a process running",
            (),
            0,
            traceback_with_debug=False,
            line="myapp hello 2>/dev/null | cat",
            setup=_script_leaving_a_process,
            timeout=15,
        ),
        Fault(
            "Command name that reads as a path",
            (),
            0,
            ("myapp: warning: ignoring 'x/../../escape' in 'myapp.commands' of plugin 'myapp-pathnames'",),
            traceback_with_debug=False,
            line="myapp --help",
            setup=_plugin_with_path_names,
        ),
        Fault(
            "Relative hook folder",
            (),
            0,
            ("myapp: warning: ignoring hook folder 'hooks': give an absolute path",),
            traceback_with_debug=False,
            line="MYAPP_HOOK_DIR=hooks myapp hello",
            setup=_vetoing_script_in_a_relative_folder,
        ),
        Fault(
            "Standard output closed",
            (),
            2,
            ("myapp: error: standard output is closed",),
            traceback_with_debug=False,
            line="myapp --version >&-",
        ),
        Fault(
            "Standard output full",
            (),
            1,
            ("myapp: error: cannot write to standard output (No space left on device)",),
            traceback_with_debug=False,
            line="myapp greeting list >/dev/full",
        ),
        Fault("Standard error closed", (), 2, traceback_with_debug=False, line="myapp helo 2>&-"),
    ),
)
