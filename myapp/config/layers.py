"""Layered configuration: every setting, and where its value came from.

Words used here:

* **setting**: a named knob such as ``hooks.on_failure``;
  :data:`myapp.config.settings.SETTINGS` lists them all, with their types and defaults.
* **source**: one place values come from. Each value remembers its
  **origin**: ``default``, ``<file>:<line>``, an environment variable or a
  command-line option; ``config show`` prints it.
* **layer**: the values one source gives.

Layers override each other in this order (last wins):

1. the settings' defaults;
2. the user file, ``<user config dir>/config.toml``;
3. the file named by ``--config`` or ``MYAPP_CONFIG``, then the selected
   profile (``[profiles.NAME]``);
4. environment variables, ``MYAPP_<SETTING>`` (``.`` becomes ``_``);
5. command-line options.

Files are TOML; a dotted key is a table path (``hooks.on_failure`` is
``on_failure`` in ``[hooks]``). Path values expand ``~`` and ``$VARIABLES``
and nothing else: no value is ever executed.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from ..errors import ConfigError, NoHomeError, UsageError, counted, did_you_mean
from .settings import PROFILE_KEYS, SETTINGS

if TYPE_CHECKING:
    from .._toml import KeyLines
    from ..identity import Identity

LOG = logging.getLogger(__name__)


class Value(NamedTuple):
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


class ConfigFile(NamedTuple):
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
    explicit = config_file or environ.get(identity.env_name("config"))
    for path, role, layer in ((_user_path(identity), "user", 1), (_explicit_path(identity, explicit), "explicit", 2)):
        if path is None:
            continue
        files.append(ConfigFile(path, role, _is_readable_file(path) if role == "user" else True))
        if files[-1].exists and _is_trusted(path):
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


def _user_path(identity: Identity) -> Path | None:
    """The user file's path; ``None`` when there is no home to find it in (a container's arbitrary user)."""
    try:
        return user_config_file(identity)
    except NoHomeError as error:
        LOG.info("%s; reading no user config file", error.message)
        return None


def _is_readable_file(path: Path) -> bool:
    """Whether the user file is there to be read; a warning when something stands where it should be.

    A missing file is the usual case and says nothing. A folder, a link to
    nothing or a file that cannot be read is the user's mistake, and the
    settings in it would silently not apply.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():
            LOG.warning(
                "ignoring config file '%s': it is a symbolic link to '%s', which does not exist",
                path,
                os.readlink(path),
            )
        return False
    except OSError as error:
        LOG.warning("ignoring config file '%s': it cannot be read (%s)", path, error.strerror)
        return False
    if stat.S_ISREG(info.st_mode):
        return True
    LOG.warning("ignoring config file '%s': it is %s", path, "a folder" if stat.S_ISDIR(info.st_mode) else "not a file")
    return False


def _explicit_path(identity: Identity, explicit: str | None) -> Path | None:
    if not explicit:
        return None
    path = Path(os.path.expandvars(explicit)).expanduser()
    try:
        problem = "" if path.is_file() else "is not a file" if path.exists() else "does not exist"
    except OSError as error:
        problem = f"cannot be read ({error.strerror})"
    if problem:
        raise ConfigError(
            f"config file '{path}' {problem}", hint=f"check --config or {identity.env_name('config')}", path=path
        )
    return path


def _is_trusted(path: Path) -> bool:
    """Whether a config file may be read: another user who can change it could run code as you."""
    from ..trust import unsafe_reason

    problem = unsafe_reason(path)
    if problem:
        LOG.warning("ignoring config file '%s': it %s", path, problem)
    return not problem


def _merge(values: dict[str, Value], layer: Mapping[str, Value]) -> None:
    """Lay *layer* over *values*: replace, or add up for merged settings.

    Merged lists keep each item once, with the origin that named it first;
    merged tables (``use``) take each key from the strongest layer that sets it.
    """
    for key, new in layer.items():
        old = values[key]
        if not SETTINGS[key].merge:
            values[key] = new
            continue
        if old.layer == 0:
            values[key] = Value(key, new.value, new.origin, new.layer, tuple((i, new.origin) for i in new.value or ()))
            continue
        items = dict(old.item_origins)
        if isinstance(new.value, dict):
            items.update(dict.fromkeys(new.value, new.origin))
            merged: Any = {**old.value, **new.value}
        else:
            for item in new.value or ():
                items.setdefault(item, new.origin)
            merged = tuple(items)
        origin = ", ".join(dict.fromkeys(items.values()))
        values[key] = Value(key, merged, origin, new.layer, tuple(items.items()))


def _unknown_profile(selected: Value, profiles: Mapping[str, object]) -> ConfigError:
    # Profile names are short: 'cj' for 'ci' is as alike as two-letter names get.
    question = did_you_mean(selected.value, profiles, cutoff=0.5)
    hint = f"profiles defined: {', '.join(sorted(profiles)) or 'none'}"
    return ConfigError(
        f"unknown profile '{selected.value}' (from {selected.origin})",
        hint=f"{question} {hint}" if question else hint,
    )


def _read_file(path: Path, layer: int) -> tuple[dict[str, Value], dict[str, dict[str, Value]]]:
    from .._toml import KeyLines, read_toml  # only runs with a config file pay for TOML

    text, document = read_toml(path)
    lines, unknown = KeyLines(text), CappedWarnings(lambda n: f"{path}: {counted(n, 'more unknown setting')} ignored")
    values = _read_table(path, lines, unknown, document, "", SETTINGS.keys(), layer)
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}:{lines.line('profiles')}: 'profiles' must be a table of tables", path=path)
    found = {
        name: _read_table(path, lines, unknown, table, f"profiles.{name}.", PROFILE_KEYS, 2, f"profile '{name}'")
        for name, table in profiles.items()
        if isinstance(table, dict)
    }
    unknown.summarize()
    return values, found


def _read_table(
    path: Path,
    lines: KeyLines,
    unknown: CappedWarnings,
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
        line = lines.line(prefix + key)
        if key not in allowed:
            if unknown.wanted():
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
    """Dotted keys of a TOML document, stopping at settings whose values are tables.

    Recursive, which is safe: :func:`myapp._toml.read_toml` refuses files that nest deeply.
    """
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and key not in SETTINGS and key != "profiles":
            yield from _flatten(value, f"{key}.")
        elif key != "profiles":
            yield key, value


#: How many warnings of one kind (unknown settings of a file, unknown plugin names) are given in full.
MAX_SIMILAR_WARNINGS: Final = 5


class CappedWarnings:
    """Warnings of one kind: the first :data:`MAX_SIMILAR_WARNINGS` in full, the others counted in one more line.

    A file of ten thousand typos then costs neither ten thousand lines nor
    ten thousand "did you mean" comparisons.

    :param summary: the last line, given how many were not shown.
    """

    def __init__(self, summary: Callable[[int], str]) -> None:
        self.summary = summary
        self.count = 0

    def wanted(self) -> bool:
        """Count one more warning; whether to give it in full."""
        self.count += 1
        return self.count <= MAX_SIMILAR_WARNINGS

    def summarize(self) -> None:
        """The line for the warnings not given, if any."""
        if self.count > MAX_SIMILAR_WARNINGS:
            LOG.warning("%s", self.summary(self.count - MAX_SIMILAR_WARNINGS))


def _warn_unknown(where: str, prefix: str, key: str, known: Iterable[str]) -> None:
    known = list(known)
    # Compared without the prefix: 'profiles.ci.' in common would make any two keys look alike.
    advice = did_you_mean(key, known, show=lambda match: f"'{prefix}{match}'")
    if not advice and prefix:
        advice = f"a profile may set only {', '.join(sorted(known))}"
    LOG.warning("%s: unknown setting '%s' ignored%s", where, prefix + key, f"; {advice}" if advice else "")


def _warn_about_misspelled_variables(identity: Identity, environ: Mapping[str, str]) -> None:
    """One warning for each ``MYAPP_*`` variable that is not the tool's but looks like a typo of one.

    Plugins may read variables of their own under the same prefix, so only a
    close match (``MYAPP_NO_PLUGIN``) is reported.
    """
    prefix = identity.env_prefix
    prefixed = [name for name in environ if name.startswith(prefix)]
    if not prefixed:
        return
    settings = (prefix + setting.variable_suffix for setting in SETTINGS.values() if setting.environment)
    known = identity.framework_variables().union(settings)
    unknown = sorted(name for name in prefixed if name not in known)
    if not unknown:
        return
    for name in unknown:
        # A high cutoff, names bare as in a shell: with the usual one, a plugin's MYAPP_HOME would "mean" MYAPP_USE.
        advice = did_you_mean(name, known, cutoff=0.85, show=str)
        if advice:
            LOG.warning("ignoring %s: %s reads no such variable; %s", name, identity.name, advice)


def _read_environment(identity: Identity, environ: Mapping[str, str]) -> dict[str, Value]:
    _warn_about_misspelled_variables(identity, environ)
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
