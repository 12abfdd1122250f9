"""Every setting the framework knows: its type, default, option and environment variable.

A :class:`Kind` reads a setting's values from TOML files and from
environment text, and says what it expected when a value does not fit.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Final, NamedTuple

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


class Kind:
    """How a setting's values are read from TOML and from environment text."""

    #: what ``config show`` and error messages call the kind
    name = "value"
    #: the only values allowed, when the set is closed
    choices: tuple[str, ...] = ()

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


class VersionPins(Kind):
    """Command names to version numbers; in the environment ``hello=2,greeting_list=1``."""

    name = "a table of command = version number"

    def from_toml(self, value: object) -> dict[str, int]:
        from ..index.names import command_key, parse_version

        if type(value) is not dict or not all(command_key(str(name)) for name in value):
            raise ValueError(f"expected {self.name}, found {value!r}")
        return {command_key(name): parse_version(number) for name, number in value.items()}

    def from_text(self, text: str) -> dict[str, int]:
        from ..index.names import parse_pins

        return parse_pins(text)


class Setting(NamedTuple):
    """One configurable knob, and the global option that sets it, if any.

    :func:`myapp.config.options.build_parser` makes the option from these fields;
    none is declared anywhere else.
    """

    key: str
    kind: Kind
    default: Any
    #: what it does, for ``--help`` and for completing setting names
    help: str
    #: the option's spellings, none when there is no option; the last one names it as an origin
    options: tuple[str, ...] = ()
    #: the option's argparse action; ``"pin"`` adds one ``NAME=N`` to a mapping
    action: str = "store"
    #: what ``--help`` calls the option's value
    metavar: str | None = None
    #: options of one group exclude each other
    group: str = ""
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
        Setting(
            "verbose",
            Count(),
            0,
            "more messages on stderr (-v info, -vv debug)",
            ("-v", "--verbose"),
            action="count",
            group="verbosity",
        ),
        Setting(
            "quiet", Flag(), False, "only errors on stderr", ("-q", "--quiet"), action="store_true", group="verbosity"
        ),
        Setting("log_file", FilePath(), None, "also log everything to this file", ("--log-file",), metavar="PATH"),
        Setting(
            "log_format", Text("text", "json"), "text", "log lines as text, or as JSON lines for CI", ("--log-format",)
        ),
        Setting(
            "no_color",
            Flag(),
            False,
            "no colour anywhere (NO_COLOR and TERM=dumb do the same)",
            ("--no-color",),
            action="store_true",
        ),
        Setting(
            "debug_plugins",
            Flag(),
            False,
            "say on stderr which plugins were found, imported and run, and how long each took",
            ("--debug-plugins",),
            action="store_true",
        ),
        Setting("debug", Flag(), False, "show tracebacks on errors", ("--debug",), action="store_true"),
        Setting(
            "no_plugins",
            Flag(),
            False,
            "built-in commands only; import no plugin code",
            ("--no-plugins",),
            action="store_true",
        ),
        Setting(
            "disable_plugins",
            Names(),
            (),
            "plugin distributions never to load (repeatable; lists add up)",
            ("--disable-plugin",),
            action="append",
            metavar="NAME",
            merge=True,
        ),
        Setting("only_plugins", Names(), None, "allow-list: load only these plugin distributions"),
        Setting(
            "ignore_compat",
            Names(),
            (),
            "load these plugins even if made for another version (repeatable; lists add up)",
            ("--ignore-compat",),
            action="append",
            metavar="NAME",
            merge=True,
        ),
        Setting(
            "profile", Text(), None, "apply the [profiles.NAME] section of the config", ("--profile",), metavar="NAME"
        ),
        Setting(
            "use",
            VersionPins(),
            {},
            "run version N of command NAME, see 'help NAME' (repeatable; pins add up)",
            ("--use",),
            action="pin",
            metavar="NAME=N",
            merge=True,
        ),
        Setting("plugin_paths", Folders(), (), "folders of drop-in plugins (info files next to modules)"),
        Setting(
            "strict_plugins",
            Flag(),
            False,
            "fail the run when a plugin or hook is broken",
            ("--strict-plugins",),
            action="store_true",
        ),
        Setting(
            "import_timeout",
            Seconds(),
            10.0,
            "how long --help and 'plugin check' wait for one plugin import; 0: no limit",
        ),
        Setting("hook_dir", FilePath(), None, "where hook scripts live (default: <config dir>/hooks)"),
        Setting("hooks.on_failure", Text("fail", "warn"), "fail", "what a failing pre-hook does to the command"),
        Setting("hooks.script_timeout", Seconds(), 0.0, "stop a hook script after this long; 0: never"),
        Setting("hooks.order", NamesByEvent(), {}, "event -> hooks to run first, in order", environment=False),
    )
}


#: The settings a ``[profiles.NAME]`` section may set.
PROFILE_KEYS: Final = frozenset({"only_plugins", "disable_plugins", "use"})
