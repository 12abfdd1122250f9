"""``plugin new``: write a ready-to-install plugin package to start from.

Every name in the generated files comes from the running tool's
:class:`~myapp.identity.Identity` (its name, entry-point namespaces and
environment variables) and from the framework's own modules (the imports), so
a second tool built on the framework scaffolds plugins for itself. The files'
templates are package data, in ``templates/plugin/`` of the framework's package.
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
from typing import TYPE_CHECKING, Final

from ..app import app_of
from ..errors import MyappError, UsageError
from ..hooks.context import HookContext, command_event
from ..identity import MYAPP, Identity
from ..index.records import normalize_name
from ..testing import run as run_in_process
from .records import Records

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
#: Which releases of the tool a plugin should require. The README and the plugin guide give this advice
#: in the same words (tests/unit/test_scaffold.py compares them); the generated setup.cfg gives it as a comment.
REQUIREMENT_ADVICE: Final = (
    "Require ${tool} from the minor release you build on up to the next release that may change what plugins "
    "use: the next minor release before 1.0 (${tool}>=0.1,<0.2), the next major release from 1.0 on "
    "(${tool}>=1.2,<2)."
)
#: The generated hook's function and entry-point name.
_HOOK: Final = "log_greeting"

#: The template of the generated tests' fixture naming a tool other than the default, for the framework's fixtures.
_TEST_IDENTITY: Final = "tool_identity.py.tmpl"

#: (path, purpose, template) of every file ``plugin new`` writes. Paths, purposes and the
#: templates' contents are :class:`string.Template` text over :meth:`Scaffold.fields`.
_FILES: Final = (
    ("pyproject.toml", "build system (setuptools)", "pyproject.toml.tmpl"),
    ("setup.cfg", "metadata, dependencies and entry points", "setup.cfg.tmpl"),
    ("README.md", "how to install, run and test the plugin", "README.md.tmpl"),
    ("${package}/__init__.py", "the package", "__init__.py.tmpl"),
    ("${package}/commands.py", "the command '${tool} ${command}'", "commands.py.tmpl"),
    ("${package}/hooks.py", "a hook run after '${tool} ${command}' (${event})", "hooks.py.tmpl"),
    ("tests/test_${package}.py", "tests that run '${tool} ${command}' in-process", "test_package.py.tmpl"),
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
            "requirement_advice": _comment(_render(REQUIREMENT_ADVICE, {"tool": self.tool.distribution})),
            "cliff_requirement": _CLIFF_REQUIREMENT,
            "python_requires": _PYTHON_REQUIRES,
            "command_namespace": self.tool.command_namespace,
            "hook_namespace": self.tool.hook_namespace(event),
            "hooks_module": HookContext.__module__,
            "testing_module": run_in_process.__module__,
            # the framework's pytest fixtures are named after its package (see its pytest_plugin module)
            "fixture_prefix": _FRAMEWORK,
            **self._test_identity(),
        }

    def _test_identity(self) -> dict[str, str]:
        """The generated tests run the default tool as it is, any other through a fixture naming its identity."""
        if self.tool == MYAPP:
            return {"tool_fixture": ""}
        fixture = _render(
            _template(_TEST_IDENTITY),
            {
                "identity_module": Identity.__module__,
                "fixture_prefix": _FRAMEWORK,
                "name": json.dumps(self.tool.name),
                "distribution": json.dumps(self.tool.distribution),
            },
        )
        return {"tool_fixture": fixture}

    def files(self) -> list[tuple[str, str, str]]:
        """(path inside the project, purpose, content) of each file."""
        fields = self.fields()
        listed = [(_render(path, fields), _render(purpose, fields)) for path, purpose, _ in _FILES]
        fields["layout"] = "\n".join(f"| `{path}` | {purpose} |" for path, purpose in listed)
        return [
            (path, purpose, _render(_template(name), fields))
            for (path, purpose), (*_, name) in zip(listed, _FILES, strict=True)
        ]


def _template(name: str) -> str:
    """The text of the template *name*: package data in ``templates/plugin/`` of the framework's package."""
    from importlib.resources import files

    return (files(_FRAMEWORK) / "templates" / "plugin" / name).read_text(encoding="utf-8")


def _render(template: str, fields: dict[str, str]) -> str:
    return Template(template).substitute(fields)


def _comment(text: str) -> str:
    """*text* as ``#`` comment lines of a configuration file."""
    import textwrap

    return textwrap.fill(text, 88, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


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
    """The tool from this minor release up to the next one that may change what plugins use.

    That is the next minor release before 1.0 (``myapp>=0.1,<0.2``), the next major one from 1.0 on
    (``myapp>=2.3,<3``): see :data:`REQUIREMENT_ADVICE`.
    """
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return distribution
    major, minor = release[0], release[1] if len(release) > 1 else 0
    below = f"0.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"{distribution}>={major}.{minor},<{below}"


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


class PluginNew(Records):
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
        app = app_of(self)
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
