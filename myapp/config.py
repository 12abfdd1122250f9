"""Layered configuration: every setting, and where its value came from.

Words used here:

* **setting**: a named knob such as ``hooks.on_failure``; :data:`SETTINGS`
  lists them all, with their types and defaults.
* **source**: one place values come from. Each value remembers its
  **origin**: ``default``, ``<file>:<line>``, an environment variable or a
  command-line option; ``config show`` prints it.
* **layer**: the values one source gives.

Layers override each other in this order (last wins):

1. the defaults below;
2. the user file, ``<user config dir>/config.toml``;
3. the file named by ``--config`` or ``MYAPP_CONFIG``;
4. environment variables, ``MYAPP_<SETTING>`` (``.`` becomes ``_``);
5. command-line options.

Files are TOML; a dotted key is a table path (``hooks.on_failure`` is
``on_failure`` in ``[hooks]``). Path values expand ``~`` and ``$VARIABLES``
and nothing else: no value is ever executed.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .errors import ConfigError, UsageError

if TYPE_CHECKING:
    from .identity import Identity

LOG = logging.getLogger(__name__)

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})
_POSITION: Final = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")


class Kind:
    """How a setting's values are read from TOML and from environment text."""

    #: what ``config show`` and error messages call the kind
    name = "value"

    def from_toml(self, value: object) -> Any:
        """Check a value read from a file; raise ``ValueError`` saying what was expected."""
        return value

    def from_text(self, text: str) -> Any:
        """Read a value from an environment variable."""
        return self.from_toml(text)


class Flag(Kind):
    """A yes/no setting; in the environment ``1/true/yes/on`` or ``0/false/no/off``."""

    name = "true or false"

    def from_toml(self, value: object) -> bool:
        if type(value) is not bool:
            raise ValueError(f"expected {self.name}, found {value!r}")
        return value

    def from_text(self, text: str) -> bool:
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError("expected 1, true, yes or on, or 0, false, no or off")
        return word in _TRUE


class Count(Kind):
    """A whole number, zero or more."""

    name = "a whole number"

    def from_toml(self, value: object) -> int:
        if type(value) is not int or value < 0:
            raise ValueError(f"expected {self.name}, found {value!r}")
        return value

    def from_text(self, text: str) -> int:
        text = text.strip()
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"expected {self.name}")
        return int(text)


class Seconds(Kind):
    """A duration in seconds; 0 means no limit."""

    name = "a number of seconds"

    def from_toml(self, value: object) -> float:
        if type(value) not in (int, float) or not math.isfinite(value) or value < 0:  # type: ignore[arg-type,operator]
            raise ValueError(f"expected {self.name}, found {value!r}")
        return float(value)  # type: ignore[arg-type]

    def from_text(self, text: str) -> float:
        try:
            return self.from_toml(float(text))
        except ValueError:
            raise ValueError(f"expected {self.name}") from None


class Text(Kind):
    """A string, optionally one of a closed set."""

    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.name = " or ".join(repr(c) for c in choices) if choices else "text"

    def from_toml(self, value: object) -> str:
        if type(value) is not str or (self.choices and value not in self.choices):
            raise ValueError(f"expected {self.name}, found {value!r}")
        return value


class FilePath(Kind):
    """A path; ``~`` and ``$VARIABLES`` are expanded, nothing else."""

    name = "a path"

    def from_toml(self, value: object) -> Path:
        if type(value) is not str or not value:
            raise ValueError(f"expected {self.name}, found {value!r}")
        return Path(os.path.expandvars(value)).expanduser()


class Names(Kind):
    """A list of names; in the environment, comma-separated."""

    name = "a list of names"

    def from_toml(self, value: object) -> tuple[str, ...]:
        if type(value) is not list or not all(type(item) is str for item in value):
            raise ValueError(f"expected {self.name}, found {value!r}")
        return tuple(value)

    def from_text(self, text: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in text.split(",") if item.strip())


class Folders(Kind):
    """A list of paths; in the environment, separated like ``PATH``."""

    name = "a list of paths"

    def from_toml(self, value: object) -> tuple[Path, ...]:
        return tuple(FilePath().from_toml(item) for item in Names().from_toml(value))

    def from_text(self, text: str) -> tuple[Path, ...]:
        return tuple(FilePath().from_toml(item) for item in text.split(os.pathsep) if item)


class NamesByEvent(Kind):
    """A table from event names to lists of names."""

    name = "a table of lists of names"

    def from_toml(self, value: object) -> dict[str, tuple[str, ...]]:
        if type(value) is not dict:
            raise ValueError(f"expected {self.name}, found {value!r}")
        return {str(event): Names().from_toml(names) for event, names in value.items()}


@dataclass(frozen=True, slots=True)
class Setting:
    """One configurable knob."""

    key: str
    kind: Kind
    default: Any
    help: str
    #: the command-line option that sets it, if any
    option: str = ""
    #: read from the environment (``MYAPP_<KEY>``)
    environment: bool = True
    #: a list whose layers add up instead of replacing each other
    merge: bool = False

    @property
    def variable_suffix(self) -> str:
        """The part of the environment variable after the prefix."""
        return self.key.replace(".", "_").upper()


#: Every setting the framework knows.
SETTINGS: Final = {
    s.key: s
    for s in (
        Setting("debug", Flag(), False, "show tracebacks on errors", "--debug"),
        Setting("verbose", Count(), 0, "more messages on stderr (-v info, -vv debug)", "-v"),
        Setting("quiet", Flag(), False, "only errors on stderr", "-q"),
        Setting("log_file", FilePath(), None, "also log everything to this file", "--log-file"),
        Setting("no_plugins", Flag(), False, "built-in commands only; import no plugin code", "--no-plugins"),
        Setting(
            "disable_plugins",
            Names(),
            (),
            "plugin distributions never to load (lists add up)",
            "--disable-plugin",
            merge=True,
        ),
        Setting("only_plugins", Names(), None, "allow-list: load only these plugin distributions"),
        Setting("profile", Text(), None, "the [profiles.NAME] section to apply", "--profile"),
        Setting("plugin_paths", Folders(), (), "folders of drop-in plugins (info files next to modules)"),
        Setting("strict_plugins", Flag(), False, "fail the run when any plugin is broken", "--strict-plugins"),
        Setting("hook_dir", FilePath(), None, "where hook scripts live (default: <config dir>/hooks)"),
        Setting("hooks.on_failure", Text("fail", "warn"), "fail", "what a failing pre-hook does to the command"),
        Setting("hooks.script_timeout", Seconds(), 0.0, "stop a hook script after this long; 0: never"),
        Setting("hooks.order", NamesByEvent(), {}, "event -> hooks to run first, in order", environment=False),
    )
}


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's effective value and where it came from."""

    key: str
    value: Any
    origin: str
    #: how strong the layer that set it is: 0 default, 1 user file, 2 explicit file or profile,
    #: 3 environment, 4 command line
    layer: int = 0
    #: for lists that add up across layers: where each item came from
    item_origins: tuple[tuple[str, str], ...] = ()

    def origin_of(self, item: str) -> str:
        """Where one item of a merged list came from."""
        return dict(self.item_origins).get(item, self.origin)


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A file the configuration consulted."""

    path: Path
    #: ``user`` or ``explicit``
    role: str
    exists: bool


class Config(Mapping[str, Any]):
    """The effective settings: ``config["hooks.on_failure"]``."""

    def __init__(
        self, values: Mapping[str, Value], files: tuple[ConfigFile, ...], profiles: tuple[str, ...] = ()
    ) -> None:
        self._values = dict(values)
        self.files = files
        #: the names of every profile the files define
        self.profiles = profiles

    def __getitem__(self, key: str) -> Any:
        return self._values[key].value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def origin(self, key: str) -> str:
        """Where the value of *key* came from."""
        return self._values[key].origin

    def layer(self, key: str) -> int:
        """How strong the layer that set *key* is (see :class:`Value`)."""
        return self._values[key].layer

    def value(self, key: str) -> Value:
        """The full record of *key*: value, origin, layer."""
        return self._values[key]

    def entries(self) -> list[Value]:
        """Every setting with its value and origin, sorted by key."""
        return [self._values[key] for key in sorted(self._values)]


def user_config_file(identity: Identity) -> Path:
    """The per-user configuration file."""
    return identity.config_dir / "config.toml"


#: The settings a ``[profiles.NAME]`` section may set.
PROFILE_KEYS: Final = frozenset({"only_plugins", "disable_plugins"})


def load_config(
    identity: Identity,
    *,
    config_file: str | None = None,
    command_line: Mapping[str, tuple[Any, str]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Merge every layer into the effective configuration.

    The selected profile (``--profile``, ``MYAPP_PROFILE`` or ``profile`` in a
    file) is a layer between the files and the environment.

    :param config_file: the ``--config`` option's value, if given.
    :param command_line: setting key -> (value, option that set it).
    :raises ConfigError: a file is missing, unreadable or malformed, or the
        selected profile does not exist.
    :raises UsageError: an environment variable holds a bad value.
    """
    environ = os.environ if environ is None else environ
    values = {key: Value(key, setting.default, "default") for key, setting in SETTINGS.items()}
    profiles: dict[str, dict[str, Value]] = {}
    files = []
    user_file = user_config_file(identity)
    explicit = config_file or environ.get(identity.env_name("config"))
    for path, role, layer in ((user_file, "user", 1), (_explicit_path(identity, explicit), "explicit", 2)):
        if path is None:
            continue
        files.append(ConfigFile(path, role, path.is_file()))
        if files[-1].exists:
            layer_values, layer_profiles = _read_file(path, layer)
            _merge(values, layer_values)
            profiles.update(layer_profiles)
    environment = _read_environment(identity, environ)
    typed = {key: Value(key, value, option, layer=4) for key, (value, option) in (command_line or {}).items()}
    selected = {**values, **environment, **typed}["profile"]
    if selected.value:
        if selected.value not in profiles:
            raise _unknown_profile(selected, profiles)
        _merge(values, profiles[selected.value])
    _merge(values, environment)
    _merge(values, typed)
    return Config(values, tuple(files), tuple(sorted(profiles)))


def _explicit_path(identity: Identity, explicit: str | None) -> Path | None:
    if not explicit:
        return None
    path = Path(os.path.expandvars(explicit)).expanduser()
    if not path.is_file():
        problem = "is not a file" if path.exists() else "does not exist"
        raise ConfigError(
            f"config file '{path}' {problem}", hint=f"check --config or {identity.env_name('config')}", path=path
        )
    return path


def _merge(values: dict[str, Value], layer: Mapping[str, Value]) -> None:
    """Lay *layer* over *values*: replace, or add up for merged lists."""
    for key, new in layer.items():
        old = values[key]
        if not SETTINGS[key].merge:
            values[key] = new
            continue
        if old.layer == 0:
            values[key] = Value(key, new.value, new.origin, new.layer, tuple((i, new.origin) for i in new.value or ()))
            continue
        items = dict(old.item_origins)
        for item in new.value or ():
            items.setdefault(item, new.origin)
        origin = ", ".join(dict.fromkeys(items.values()))
        values[key] = Value(key, tuple(items), origin, new.layer, tuple(items.items()))


def _unknown_profile(selected: Value, profiles: Mapping[str, object]) -> ConfigError:
    import difflib

    known = ", ".join(sorted(profiles)) or "none"
    matches = difflib.get_close_matches(selected.value, profiles, n=1, cutoff=0.5)
    hint = f"did you mean '{matches[0]}'? " if matches else ""
    return ConfigError(
        f"unknown profile '{selected.value}' (from {selected.origin})",
        hint=f"{hint}profiles defined: {known}",
    )


def _read_file(path: Path, layer: int) -> tuple[dict[str, Value], dict[str, dict[str, Value]]]:
    text, document = read_toml(path)
    values = _read_table(path, text, document, "", SETTINGS.keys(), layer)
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}:{line_of(text, 'profiles')}: 'profiles' must be a table of tables", path=path)
    return values, {
        name: _read_table(path, text, table, f"profiles.{name}.", PROFILE_KEYS, 2, origin=f"profile '{name}'")
        for name, table in profiles.items()
        if isinstance(table, dict)
    }


def _read_table(
    path: Path,
    text: str,
    table: Mapping[str, Any],
    prefix: str,
    allowed: Iterable[str],
    layer: int,
    origin: str = "",
) -> dict[str, Value]:
    """The settings of one table of a file (the top level, or a profile)."""
    allowed = set(allowed)
    values = {}
    for key, raw in _flatten(table):
        line = line_of(text, prefix + key)
        if key not in allowed:
            _warn_unknown(f"{path}:{line}", prefix, key, allowed)
            continue
        try:
            value = SETTINGS[key].kind.from_toml(raw)
        except ValueError as error:
            raise ConfigError(f"{path}:{line}: '{prefix}{key}': {error}", path=path, line=line) from None
        where = f"{origin} ({path}:{line})" if origin else f"{path}:{line}"
        values[key] = Value(key, value, where, layer)
    return values


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys of a TOML document, stopping at settings whose values are tables."""
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and key not in SETTINGS and key != "profiles":
            yield from _flatten(value, f"{key}.")
        elif key != "profiles":
            yield key, value


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and the data it holds; keep the text to find lines with :func:`line_of`.

    :raises ConfigError: the file cannot be read, is not UTF-8 or is not
        TOML; the message names the file, line and column.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot be read ({reason})", path=path) from error
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _error_position(str(error), text)
        reason = _POSITION.sub("", str(error)).strip()
        raise ConfigError(
            f"{path}:{line}:{column}: {reason[:1].lower()}{reason[1:]}",
            hint="fix the file; nothing was changed",
            path=path,
            line=line,
        ) from None


def _error_position(message: str, text: str) -> tuple[int, int]:
    """Line and column of a TOML error; the end of the text when the parser says so."""
    found = _POSITION.search(message)
    if found and found[1]:
        return int(found[1]), int(found[2])
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


_HEADER: Final = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")
_ASSIGNMENT: Final = re.compile(r"^[ \t]*([\w.\"' -]+?)[ \t]*=")


def line_of(text: str, key: str) -> int:
    """The line of TOML *text* that sets the dotted *key*: its assignment or its table header.

    Best effort, for messages: ``1`` when no line matches.
    """
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header[1])
            if table == key or table.startswith(key + "."):
                return number
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            assigned = ".".join(filter(None, (table, _dotted(assignment[1]))))
            if assigned == key or assigned.startswith(key + "."):  # also a table built from dotted keys
                return number
    return 1


def _dotted(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _warn_unknown(where: str, prefix: str, key: str, known: Iterable[str]) -> None:
    import difflib

    matches = difflib.get_close_matches(key, list(known), n=1)
    if matches:
        advice = f"; did you mean '{prefix}{matches[0]}'?"
    elif prefix:
        advice = f"; a profile may set only {', '.join(sorted(known))}"
    else:
        advice = ""
    LOG.warning("%s: unknown setting '%s' ignored%s", where, prefix + key, advice)


def _read_environment(identity: Identity, environ: Mapping[str, str]) -> dict[str, Value]:
    values = {}
    for key, setting in SETTINGS.items():
        if not setting.environment:
            continue
        variable = identity.env_prefix + setting.variable_suffix
        text = environ.get(variable, "").strip()
        if not text:
            continue
        try:
            values[key] = Value(key, setting.kind.from_text(text), variable, layer=3)
        except ValueError as error:
            raise UsageError(
                f"{variable}={text!r} is not valid: {error}", hint=f"unset {variable} or correct it"
            ) from None
    return values
