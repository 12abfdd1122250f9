"""``plugin new``: write a ready-to-install plugin package to start from.

Every name in the generated files comes from the running tool's
:class:`~myapp.identity.Identity` (its name, entry-point namespaces and
environment variables) and from the framework's own modules (the imports), so
a second tool built on the framework scaffolds plugins for itself.
"""

from __future__ import annotations

import argparse
import json
import keyword
import logging
import re
import shlex
import sys
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Final, cast

from cliff.lister import Lister

from ..discovery import normalize_name
from ..errors import MyappError, UsageError
from ..hooks import HookContext, command_event
from ..identity import MYAPP, Identity
from ..testing import run as run_in_process

if TYPE_CHECKING:
    from ..app import App

LOG = logging.getLogger(__name__)

#: A distribution name as PEP 508 allows it: ASCII only, in any case (the Kelvin sign is not a 'k').
_DISTRIBUTION_NAME: Final = re.compile(r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?", re.IGNORECASE | re.ASCII)
#: The package all framework modules live in; the generated code imports from it.
_FRAMEWORK: Final = __name__.partition(".")[0]
#: Requirements the generated code has besides the tool itself (the framework's own floors).
_CLIFF_REQUIREMENT: Final = "cliff>=4.7"
_PYTHON_REQUIRES: Final = ">=3.10"
#: The per-user folders the generated tests point into their temporary folder.
_DIR_OPTIONS: Final = ("cache_dir", "config_dir", "data_dir")
#: The generated hook's function and entry-point name.
_HOOK: Final = "log_greeting"

_PYPROJECT: Final = """\
[build-system]
requires = ["setuptools>=64", "wheel"]
build-backend = "setuptools.build_meta"
"""

_SETUP_CFG: Final = """\
[metadata]
name = ${distribution}
version = 0.1.0
description = A plugin for ${tool}: the '${tool} ${command}' command and a hook after it
long_description = file: README.md
long_description_content_type = text/markdown

[options]
packages = ${package}
python_requires = ${python_requires}
install_requires =
    ${requirement}
    ${cliff_requirement}

[options.extras_require]
test =
    pytest>=7

[options.entry_points]
${command_namespace} =
    ${command} = ${package}.commands:${command_class}
${hook_namespace} =
    ${hook} = ${package}.hooks:${hook}
"""

_README: Final = """\
# ${distribution}

A plugin for `${tool}`: it adds the command `${tool} ${command}` and a hook that
runs after it.

## Install

From this folder, into the environment where `${tool}` is installed:

    pip install -e .

The install is editable: changes to the code take effect at once. After
changing the entry points in `setup.cfg`, run the command again.

## Run

    ${tool} ${command} Ada

prints `Hello from ${distribution}, Ada!`. With `-v` before the command, the
hook also logs `${distribution} greeted Ada` on stderr. To see what the plugin
provides and where its hook runs:

    ${tool} plugin show ${distribution}
    ${tool} hooks list ${event}

## Test

    pip install -e ".[test]"
    python -m pytest

The tests run `${tool}` in-process with `${testing_module}.run` and check the
exit status, stdout and stderr.

## Files

| File | Purpose |
| --- | --- |
${layout}
"""

_INIT: Final = '''\
"""${distribution}: a plugin for ${tool}."""
'''

_COMMANDS: Final = r'''"""The ``${tool} ${command}`` command."""

from __future__ import annotations

import argparse

from cliff.command import Command


class ${command_class}(Command):
    """Greet someone from ${distribution}."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "name", nargs="?", default="world", help="who to greet (default: world)"
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        # self.app.stdout rather than print(): tests and pipes capture it there.
        self.app.stdout.write(f"Hello from ${distribution}, {parsed_args.name}!\n")
        return 0
'''

_HOOKS: Final = '''\
"""Hooks: ${tool} calls them at the events they are registered for in setup.cfg."""

from __future__ import annotations

import logging

from ${hooks_module} import HookContext

LOG = logging.getLogger(__name__)


def ${hook}(context: HookContext) -> None:
    """After ``${tool} ${command}`` (event ``${event}``): log whom it greeted."""
    if context.exit_code == 0:
        LOG.info("${distribution} greeted %s", getattr(context.parsed_args, "name", "?"))
'''

_TESTS: Final = '''\
"""Tests of ${distribution}: ${tool} runs in-process, with the plugin installed."""

from __future__ import annotations

from pathlib import Path

import pytest
${imports}

@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep ${tool}'s cache, configuration and data out of the user's home."""
    for variable in (${dir_variables}):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))


def test_${package}_greets_by_name() -> None:
    result = run(["${command}", "Ada"]${run_options})
    assert result.exit_code == 0
    assert result.stdout == "Hello from ${distribution}, Ada!\\n"
    assert result.stderr == ""


def test_the_hook_logs_whom_${package}_greeted() -> None:
    result = run(["-v", "${command}", "Ada"]${run_options})
    assert result.exit_code == 0
    assert "${distribution} greeted Ada" in result.stderr.splitlines()
'''

#: The generated tests' imports for a tool other than the default: they run it through its identity.
_TEST_IDENTITY: Final = """\
from ${identity_module} import Identity
from ${testing_module} import run

#: The tool this plugin extends.
TOOL = Identity(${name}, distribution=${distribution})
"""

#: (path, purpose, content) of every file ``plugin new`` writes, all templates over :meth:`Scaffold.fields`.
_FILES: Final = (
    ("pyproject.toml", "build system (setuptools)", _PYPROJECT),
    ("setup.cfg", "metadata, dependencies and entry points", _SETUP_CFG),
    ("README.md", "how to install, run and test the plugin", _README),
    ("${package}/__init__.py", "the package", _INIT),
    ("${package}/commands.py", "the command '${tool} ${command}'", _COMMANDS),
    ("${package}/hooks.py", "a hook run after '${tool} ${command}' (${event})", _HOOKS),
    ("tests/test_${package}.py", "tests that run '${tool} ${command}' in-process", _TESTS),
)


@dataclass(frozen=True, slots=True)
class Scaffold:
    """The names a new plugin is made of.

    :param distribution: the distribution name, as the user typed it.
    :param package: the import name.
    :param command: the command it adds, as users type it after the tool's name.
    :param requirement: the requirement on the tool, e.g. ``myapp>=0.1,<1``.
    """

    tool: Identity
    distribution: str
    package: str
    command: str
    requirement: str

    def fields(self) -> dict[str, str]:
        """The values the templates refer to (all but ``layout``, which lists the files)."""
        event = command_event("post", self.command)
        return {
            "tool": self.tool.name,
            "distribution": self.distribution,
            "package": self.package,
            "command": self.command,
            "command_class": "".join(word.capitalize() for word in self.command.split("-")),
            "event": event,
            "hook": _HOOK,
            "requirement": self.requirement,
            "cliff_requirement": _CLIFF_REQUIREMENT,
            "python_requires": _PYTHON_REQUIRES,
            "command_namespace": self.tool.command_namespace,
            "hook_namespace": self.tool.hook_namespace(event),
            "hooks_module": HookContext.__module__,
            "testing_module": run_in_process.__module__,
            "dir_variables": ", ".join(json.dumps(self.tool.env_name(option)) for option in _DIR_OPTIONS),
            **self._test_identity(),
        }

    def _test_identity(self) -> dict[str, str]:
        """The generated tests run the default tool as it is, any other through its identity."""
        if self.tool == MYAPP:
            return {"imports": f"from {run_in_process.__module__} import run\n", "run_options": ""}
        imports = _render(
            _TEST_IDENTITY,
            {
                "identity_module": Identity.__module__,
                "testing_module": run_in_process.__module__,
                "name": json.dumps(self.tool.name),
                "distribution": json.dumps(self.tool.distribution),
            },
        )
        return {"imports": imports, "run_options": ", identity=TOOL"}

    def files(self) -> list[tuple[str, str, str]]:
        """(path inside the project, purpose, content) of each file."""
        fields = self.fields()
        listed = [(_render(path, fields), _render(purpose, fields)) for path, purpose, _ in _FILES]
        fields["layout"] = "\n".join(f"| `{path}` | {purpose} |" for path, purpose in listed)
        return [
            (path, purpose, _render(text, fields)) for (path, purpose), (*_, text) in zip(listed, _FILES, strict=True)
        ]


def _render(template: str, fields: dict[str, str]) -> str:
    return Template(template).substitute(fields)


def package_name(distribution: str) -> str:
    """The import name for a distribution name: ``My.Widget`` -> ``my_widget``."""
    return re.sub(r"[-_.]+", "_", distribution).lower()


def check_name(distribution: str, tool: Identity) -> str:
    """Check a new plugin's distribution name and return its package name.

    :raises UsageError: the name is not a distribution name, or its package
        name is not a Python name or would shadow a module the plugin needs.
    """
    if not _DISTRIBUTION_NAME.fullmatch(distribution):
        raise UsageError(
            f"'{distribution}' is not a valid distribution name",
            hint="use letters and digits, with '-', '_' or '.' between them, e.g. 'my-widget'",
        )
    package = package_name(distribution)
    other = f"choose another name, e.g. '{tool.name}-{normalize_name(distribution)}'"
    if not package.isidentifier() or keyword.iskeyword(package):
        raise UsageError(f"'{distribution}' would make the package '{package}', which is not a Python name", hint=other)
    if package in _reserved_modules(tool):
        raise UsageError(
            f"'{distribution}' would make the package '{package}', which would shadow the module of that name",
            hint=other,
        )
    return package


def _reserved_modules(tool: Identity) -> set[str]:
    """Import names a plugin must not take: the standard library's, its dependencies' and its tests folder."""
    own = {package_name(tool.name), package_name(tool.distribution), _FRAMEWORK, "cliff", "tests"}
    return own | set(sys.stdlib_module_names)


def command_name(distribution: str, tool: Identity, taken: Collection[str]) -> str:
    """The command a new plugin adds: its name without a ``<tool>-`` (or ``<tool>-plugin(s)-``) prefix.

    The prefix stays when the short name is already a command or a command group.

    :param taken: the names of the commands the tool has now.
    :raises UsageError: both names are taken.
    """
    full = normalize_name(distribution)
    short = re.sub(rf"^{re.escape(tool.name)}-(plugins?-)?", "", full)
    words = set(taken) | {name.split()[0] for name in taken}
    for candidate in (short, full):
        if candidate[:1].isalpha() and candidate not in words:
            return candidate
    raise UsageError(
        f"'{distribution}' would add the command '{full}', which '{tool.name}' already has",
        hint=f"choose another name, e.g. '{tool.name}-{full}'",
    )


def requirement(distribution: str, version: str) -> str:
    """The tool at this version or a later one of the same major version: ``myapp>=0.1,<1``."""
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return distribution
    major, minor = release[0], release[1] if len(release) > 1 else 0
    return f"{distribution}>={major}.{minor},<{major + 1}"


def write_project(root: Path, files: dict[str, str]) -> None:
    """Create *root* (or use it when it is an empty folder) and write *files* into it.

    Nothing is overwritten and no link is followed: the folder must be new or
    empty, and each file is created exclusively. If writing fails half-way,
    what was created is removed again.

    :raises UsageError: *root* exists and is not an empty folder.
    :raises MyappError: a folder or file could not be created.
    """
    created: list[Path] = []
    try:
        _make_root(root, created)
        _write_files(root, files, created)
    except OSError as error:
        _remove(created)
        raise MyappError(
            f"cannot create '{error.filename or root}' ({error.strerror or error})",
            hint="check that the folder given with --dir is writable",
        ) from error


def _make_root(root: Path, created: list[Path]) -> None:
    occupied = f"choose another NAME or --dir, or remove '{root}' first"
    if root.is_symlink():
        raise UsageError(f"'{root}' is a symbolic link", hint=occupied)
    if root.exists():
        if not root.is_dir():
            raise UsageError(f"'{root}' already exists and is not a directory", hint=occupied)
        if any(root.iterdir()):
            raise UsageError(f"'{root}' already exists and is not empty", hint=occupied)
        return
    root.parent.mkdir(parents=True, exist_ok=True)
    root.mkdir()  # not exist_ok: a folder that appeared meanwhile is someone else's
    created.append(root)


def _write_files(root: Path, files: dict[str, str], created: list[Path]) -> None:
    for relative, text in files.items():
        path = root / relative
        if path.parent != root and path.parent not in created:
            path.parent.mkdir()
            created.append(path.parent)
        LOG.debug("writing %s", path)
        with path.open("x", encoding="utf-8", newline="\n") as stream:  # "x": never replace, never through a link
            created.append(path)
            stream.write(text)


def _remove(created: list[Path]) -> None:
    """Remove what :func:`write_project` created, newest first (so each folder is empty by then)."""
    for path in reversed(created):
        with suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()


class PluginNew(Lister):
    """Create a new plugin package to start from: a command, a hook, tests and a README."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", metavar="NAME", help="the plugin's distribution name, e.g. 'my-widget'")
        parser.add_argument(
            "--dir",
            default=".",
            metavar="DIR",
            help="create the package in DIR/NAME (default: the current directory)",
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
        app = cast("App", self.app)
        scaffold = self._scaffold(app, parsed_args.name)
        root = Path(parsed_args.dir) / parsed_args.name
        files = scaffold.files()
        write_project(root, {path: text for path, _, text in files})
        if app.options.verbose_level > 0:
            steps = f"cd {shlex.quote(str(root))} && pip install -e . && {app.NAME} {scaffold.command} Ada"
            app.stderr.write(f"created plugin '{scaffold.distribution}'; next: {steps}\n")
        return ("File", "Purpose"), [(str(root / path), purpose) for path, purpose, _ in files]

    def _scaffold(self, app: App, distribution: str) -> Scaffold:
        package = check_name(distribution, app.identity)
        command = command_name(distribution, app.identity, list(app.command_manager.commands))
        own = app.command_manager.get(self.cmd_name or "")
        version = own.version if own is not None else ""
        return Scaffold(app.identity, distribution, package, command, requirement(app.identity.distribution, version))
