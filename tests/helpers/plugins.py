"""The plugin distributions the tests install: good, lazy, broken and clashing ones."""

from __future__ import annotations

from pathlib import Path

from .distributions import Distribution, install_into

#: Environment variable naming the folder where plugins drop import markers.
MARKER_DIR_VARIABLE = "MYAPP_TEST_MARKER_DIR"

_MARKER = f"""
import os
import pathlib

pathlib.Path(os.environ["{MARKER_DIR_VARIABLE}"], __name__ + ".imported").touch()
"""

_COMMAND = """
from cliff.command import Command


class Cmd(Command):
    \"\"\"A command that never runs because its module is broken.\"\"\"

    def take_action(self, parsed_args):
        return 0
"""

GOOD = Distribution(
    name="myapp-good",
    summary="good commands for the tests",
    files={
        "good_plugin/__init__.py": "",
        "good_plugin/commands.py": """
            import json
            import os
            import pathlib
            import signal
            import sys
            import time

            from cliff.command import Command
            from cliff.lister import Lister


            class Shout(Command):
                \"\"\"Print the words in capitals.\"\"\"

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    parser.add_argument("words", nargs="*")
                    return parser

                def take_action(self, parsed_args):
                    self.app.stdout.write(" ".join(parsed_args.words).upper() + "\\n")


            class Fail(Command):
                \"\"\"Raise an unexpected error.\"\"\"

                def take_action(self, parsed_args):
                    raise ValueError("boom")


            class Retval(Command):
                \"\"\"Return the JSON value given as the command's result.\"\"\"

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    parser.add_argument("value")
                    return parser

                def take_action(self, parsed_args):
                    return json.loads(parsed_args.value)


            class Exit(Command):
                \"\"\"Call sys.exit with the given status.\"\"\"

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    parser.add_argument("status", type=int)
                    return parser

                def take_action(self, parsed_args):
                    sys.exit(parsed_args.status)


            class Wait(Command):
                \"\"\"Say 'ready' on stderr, then sleep until a signal arrives.\"\"\"

                def take_action(self, parsed_args):
                    try:
                        sys.stderr.write("ready\\n")
                        sys.stderr.flush()
                        time.sleep(60)
                    finally:  # what the signal tests check ran
                        pathlib.Path(os.environ["MYAPP_TEST_MARKER_DIR"], "wait.finally").touch()


            class Flood(Lister):
                \"\"\"List many numbers.\"\"\"

                def take_action(self, parsed_args):
                    return ("Number",), ((number,) for number in range(200_000))
        """,
    },
    entry_points={
        "myapp.commands": {
            "shout": "good_plugin.commands:Shout",
            "fail": "good_plugin.commands:Fail",
            "retval": "good_plugin.commands:Retval",
            "exit": "good_plugin.commands:Exit",
            "wait": "good_plugin.commands:Wait",
            "flood": "good_plugin.commands:Flood",
        }
    },
    metadata_extra=("Project-URL: Bug Tracker, https://example.invalid/good/issues",),
)

LAZY = Distribution(
    name="myapp-lazy",
    summary="writes a marker file when imported",
    files={
        "lazy_plugin/__init__.py": _MARKER,
        "lazy_plugin/commands.py": """
            from cliff.command import Command


            class Lazy(Command):
                \"\"\"Prove that this module was imported.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("lazy ran\\n")
        """,
    },
    entry_points={"myapp.commands": {"lazy": "lazy_plugin.commands:Lazy"}},
)

#: One broken entry point per way a plugin can fail to load.
BROKEN_KINDS = {
    "broken_import": "ModuleNotFoundError",
    "broken_syntax": "SyntaxError",
    "broken_attribute": "AttributeError",
    "broken_raise": "RuntimeError",
    "broken_exit": "SystemExit",
    "broken_type": "expected a subclass of cliff.command.Command, found function 'not_a_command'",
    "broken_init": "could not be created",
    "broken_parser": "could not build its arguments",
}

BROKEN = Distribution(
    name="myapp-broken",
    summary="every way of failing to load",
    files={
        "broken_plugin/__init__.py": "",
        "broken_plugin/import_error.py": "import not_a_real_module_for_myapp_tests\n" + _COMMAND,
        "broken_plugin/syntax_error.py": "def broken(:\n",
        "broken_plugin/raises.py": "raise RuntimeError('exploded at import')\n",
        "broken_plugin/exits.py": "import sys\nsys.exit(7)\n",
        "broken_plugin/noisy.py": "print('noise from import')\n" + _COMMAND,
        "broken_plugin/kinds.py": _COMMAND
        + """

def not_a_command():
    return 0


class InitFails(Cmd):
    def __init__(self, app, app_args, cmd_name=None):
        raise RuntimeError("cannot start")


class ParserFails(Cmd):
    def get_parser(self, prog_name):
        raise RuntimeError("no parser today")
""",
    },
    entry_points={
        "myapp.commands": {
            "broken_import": "broken_plugin.import_error:Cmd",
            "broken_syntax": "broken_plugin.syntax_error:Cmd",
            "broken_attribute": "broken_plugin.kinds:Missing",
            "broken_raise": "broken_plugin.raises:Cmd",
            "broken_exit": "broken_plugin.exits:Cmd",
            "broken_type": "broken_plugin.kinds:not_a_command",
            "broken_init": "broken_plugin.kinds:InitFails",
            "broken_parser": "broken_plugin.kinds:ParserFails",
            "noisy": "broken_plugin.noisy:Cmd",
        }
    },
)


def _clash(name: str, module: str, extra: dict[str, str]) -> Distribution:
    return Distribution(
        name=name,
        summary="registers a command name someone else has",
        files={
            f"{module}/__init__.py": f"""
                from cliff.command import Command


                class Twin(Command):
                    \"\"\"Say which plugin won the clash.\"\"\"

                    def take_action(self, parsed_args):
                        self.app.stdout.write("{name}\\n")
            """,
        },
        entry_points={"myapp.commands": {"twin": f"{module}:Twin", **extra}},
    )


#: Two plugins with the same command; the first also tries to replace ``help``,
#: the second adds ``hello world``, which hides the example plugin's ``hello world``.
CLASH_A = _clash("myapp-clash-a", "clash_a", {"help": "clash_a:Twin"})
CLASH_B = _clash("myapp-clash-b", "clash_b", {"hello_world": "clash_b:Twin"})

#: A plugin for a second tool built on the framework, named ``acme``.
ACME = Distribution(
    name="acme-ping",
    summary="a command for the acme tool",
    files={
        "acme_ping/__init__.py": """
            from cliff.command import Command


            class Ping(Command):
                \"\"\"Answer pong.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("pong\\n")
        """,
    },
    entry_points={"acme.commands": {"ping": "acme_ping:Ping"}},
)

ALL = (GOOD, LAZY, BROKEN, CLASH_A, CLASH_B, ACME)


def _hooks_plugin(name: str, module: str, source: str, entry_points: dict[str, dict[str, str]]) -> Distribution:
    return Distribution(
        name=name,
        summary="hooks for the tests",
        files={f"{module}/__init__.py": _SAY + source},
        entry_points=entry_points,
    )


#: Hooks print "<event>:<hook>" on stderr, so tests can read the order they ran in.
_SAY = """
import sys

from cliff.command import Command

from myapp import HookAbort
from myapp.hooks.context import hook


def say(context, text):
    sys.stderr.write(f"{context.event}:{text}\\n")
"""

HOOKS_A = _hooks_plugin(
    "myapp-hooks-a",
    "hooks_a",
    """
class Order(Command):
    \"\"\"Run between the hooks of the ordering tests.\"\"\"

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("--fail", action="store_true")
        parser.add_argument("--name", default="original")
        return parser

    def take_action(self, parsed_args):
        sys.stderr.write(f"command:name={parsed_args.name}\\n")
        return 1 if parsed_args.fail else 0


@hook(priority=10)
def a_first(context):
    say(context, "a_first")


@hook(after=["myapp-hooks-c"])
def a_after_c(context):
    say(context, "a_after_c")


async def a_async(context):
    say(context, "a_async")


def rename(context):
    context.parsed_args.name = "renamed-by-hook"


def a_post(context):
    say(context, f"a_post exit={context.exit_code} exception={type(context.exception).__name__}")


def veto(context):
    raise HookAbort("not today", hint="try tomorrow")
""",
    {
        "myapp.commands": {"order": "hooks_a:Order", "veto": "hooks_a:Order"},
        "myapp.hooks.pre_order": {
            "a_first": "hooks_a:a_first",
            "a_after_c": "hooks_a:a_after_c",
            "a_async": "hooks_a:a_async",
            "rename": "hooks_a:rename",
        },
        "myapp.hooks.post_order": {"a_post": "hooks_a:a_post"},
        "myapp.hooks.pre_veto": {"veto": "hooks_a:veto"},
        "myapp.hooks.post_veto": {"a_post": "hooks_a:a_post"},
    },
)

HOOKS_B = _hooks_plugin(
    "myapp-hooks-b",
    "hooks_b",
    """
@hook(before=["myapp-hooks-a:a_first"])
def b_before_a(context):
    say(context, "b_before_a")


def b_plain(context):
    say(context, "b_plain")
""",
    {"myapp.hooks.pre_order": {"b_before_a": "hooks_b:b_before_a", "b_plain": "hooks_b:b_plain"}},
)

HOOKS_C = _hooks_plugin(
    "myapp-hooks-c",
    "hooks_c",
    """
def c_plain(context):
    say(context, "c_plain")


def c_initialize(context):
    import os

    log = os.environ.get("MYAPP_TEST_INITIALIZE_LOG")
    if log:
        with open(log, "a") as stream:
            stream.write(f"{context.event} command={context.command} argv={list(context.argv)}\\n")
""",
    {
        "myapp.hooks.pre_order": {"c_plain": "hooks_c:c_plain"},
        "myapp.hooks.initialize": {"c_initialize": "hooks_c:c_initialize"},
    },
)

#: Hooks that fail in every way, each on the events of its own command.
HOOKS_BAD = _hooks_plugin(
    "myapp-hooks-bad",
    "hooks_bad",
    """
import time


class Ran(Command):
    \"\"\"Say that the command ran.\"\"\"

    def take_action(self, parsed_args):
        sys.stderr.write("command ran\\n")


def raises(context):
    raise ValueError("hook exploded")


def two_arguments(context, extra):
    pass


@hook(before=["myapp-hooks-bad:y"])
def x(context):
    pass


@hook(before=["myapp-hooks-bad:x"])
def y(context):
    pass


def sleepy(context):
    sys.stderr.write("ready\\n")
    sys.stderr.flush()
    time.sleep(60)


def told(context):
    say(context, f"exit={context.exit_code}")


def borrows(context):
    from good_plugin.commands import Fail

    Fail.take_action(None, None)  # raises inside myapp-good's code
""",
    {
        "myapp.commands": {
            name: "hooks_bad:Ran"
            for name in ("fragile", "badsig", "postfail", "cycle", "sleepy", "borrow", "postborrow")
        },
        "myapp.hooks.pre_fragile": {"raises": "hooks_bad:raises"},
        "myapp.hooks.post_fragile": {"told": "hooks_bad:told"},
        "myapp.hooks.pre_badsig": {"two_arguments": "hooks_bad:two_arguments"},
        "myapp.hooks.post_postfail": {"raises": "hooks_bad:raises"},
        "myapp.hooks.pre_cycle": {"x": "hooks_bad:x", "y": "hooks_bad:y"},
        "myapp.hooks.pre_sleepy": {"sleepy": "hooks_bad:sleepy"},
        "myapp.hooks.post_sleepy": {"told": "hooks_bad:told"},
        "myapp.hooks.pre_borrow": {"borrows": "hooks_bad:borrows"},
        "myapp.hooks.post_postborrow": {"borrows": "hooks_bad:borrows"},
    },
)

#: A hook whose module leaves a marker when imported: for an event that rarely fires.
HOOKS_LAZY = Distribution(
    name="myapp-hooks-lazy",
    summary="a hook that proves it was imported",
    files={"hooks_lazy/__init__.py": _MARKER + "\n\ndef noop(context):\n    pass\n"},
    entry_points={"myapp.hooks.post_lazy": {"noop": "hooks_lazy:noop"}},
)

ALL = (*ALL, HOOKS_A, HOOKS_B, HOOKS_C, HOOKS_BAD, HOOKS_LAZY)

#: Environment variable: how many seconds ``myapp-faulty``'s slow module sleeps at import (0 unless a test says).
SLOW_IMPORT_VARIABLE = "MYAPP_TEST_SLOW_IMPORT_SECONDS"

#: The fault kinds ``myapp-broken`` lacks; tests/helpers/faults.py lists what each should do.
FAULTY = Distribution(
    name="myapp-faulty",
    summary="more ways to misbehave, for the fault matrix",
    requires=("myapp-test-absent-dependency>=1",),
    files={
        "faulty_plugin/__init__.py": "",
        "faulty_plugin/import_name.py": "from os import not_a_real_name_for_myapp_tests\n" + _COMMAND,
        "faulty_plugin/needs_dependency.py": "import myapp_test_absent_dependency\n" + _COMMAND,
        "faulty_plugin/slow.py": _MARKER
        + f"\nimport time\n\ntime.sleep(float(os.environ.get('{SLOW_IMPORT_VARIABLE}', '0')))\n"
        + _COMMAND,
        "faulty_plugin/noisy_list.py": """
            import os

            from cliff.lister import Lister

            print("noise from the command module")
            os.system("echo noise from a program the command module started")


            class NoisyList(Lister):
                \"\"\"List two rows after noisy imports.\"\"\"

                def take_action(self, parsed_args):
                    return ("Name",), (("one",), ("two",))
        """,
        "faulty_plugin/noisy_hook.py": """
            import os

            print("noise from the hook module")


            def quiet(context):
                pass


            def chatty(context):
                print(f"noise from a hook as it runs ({context.event})")
                os.system(f"echo noise from a program a hook started '({context.event})'")


            async def chatty_async(context):
                print(f"noise from an async hook as it runs ({context.event})")
        """,
        "faulty_plugin/commands.py": """
            import sys

            from cliff.command import Command


            class Ran(Command):
                \"\"\"Say that the command ran.\"\"\"

                def take_action(self, parsed_args):
                    sys.stderr.write("command ran\\n")


            class Crash(Command):
                \"\"\"Raise an unexpected error in this plugin's own code.\"\"\"

                def take_action(self, parsed_args):
                    raise KeyError("crashed")


            class Delegate(Command):
                \"\"\"Call into another plugin's code, which raises.\"\"\"

                def take_action(self, parsed_args):
                    from good_plugin.commands import Fail

                    Fail.take_action(self, parsed_args)


            def exits(context):
                sys.exit(9)
        """,
    },
    entry_points={
        "myapp.commands": {
            "faulty_importname": "faulty_plugin.import_name:Cmd",
            "faulty_dependency": "faulty_plugin.needs_dependency:Cmd",
            "slow": "faulty_plugin.slow:Cmd",
            "noisy_list": "faulty_plugin.noisy_list:NoisyList",
            "quits": "faulty_plugin.commands:Ran",
            "crash": "faulty_plugin.commands:Crash",
            "delegate": "faulty_plugin.commands:Delegate",
        },
        "myapp.hooks.pre_noisy_list": {
            "quiet": "faulty_plugin.noisy_hook:quiet",
            "chatty": "faulty_plugin.noisy_hook:chatty",
        },
        "myapp.hooks.post_noisy_list": {"chatty_async": "faulty_plugin.noisy_hook:chatty_async"},
        "myapp.hooks.pre_quits": {"exits": "faulty_plugin.commands:exits"},
    },
    metadata_extra=("Home-page: https://example.invalid/faulty",),
)

ALL = (*ALL, FAULTY)

#: An extension point ("renderers") with its own implementation and the commands that use it in the three
#: patterns: ``render with NAME TEXT`` (driver), ``render all TEXT`` (iterator) and ``render some LETTERS TEXT``
#: (dispatcher: the renderers whose names start with one of LETTERS).
EXT_HOST = Distribution(
    name="myapp-ext-host",
    summary="declares an extension point",
    files={
        "ext_host/__init__.py": """
            import abc

            from cliff.command import Command

            from myapp import ExtensionPoint
            from myapp.app import app_of


            class Renderer(abc.ABC):
                @abc.abstractmethod
                def render(self, text):
                    \"\"\"The text, rendered.\"\"\"


            RENDERERS = ExtensionPoint("ext_host.renderers", Renderer)


            class Upper:
                def render(self, text):
                    return text.upper()


            class _Render(Command):
                takes_choice = True

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    if self.takes_choice:
                        parser.add_argument("choice")
                    parser.add_argument("text")
                    return parser

                def renderers(self):
                    return RENDERERS.select(app_of(self))

                def write(self, outcomes):
                    for extension, result in outcomes:
                        self.app.stdout.write(f"{extension.name}: {result}\\n")


            class RenderWith(_Render):
                \"\"\"Render the text with the renderer named CHOICE.\"\"\"

                def take_action(self, parsed_args):
                    renderer = self.renderers().driver(parsed_args.choice)
                    self.app.stdout.write(renderer.render(parsed_args.text) + "\\n")


            class RenderAll(_Render):
                \"\"\"Render the text with every renderer.\"\"\"

                takes_choice = False

                def take_action(self, parsed_args):
                    self.write(self.renderers().map("render", parsed_args.text))


            class RenderSome(_Render):
                \"\"\"Render the text with the renderers whose names start with one of the letters CHOICE.\"\"\"

                def take_action(self, parsed_args):
                    wanted = tuple(parsed_args.choice)
                    picked = self.renderers().dispatch(lambda e: e.name.startswith(wanted), "render", parsed_args.text)
                    self.write(picked)
        """,
    },
    entry_points={
        "myapp.commands": {
            "render_with": "ext_host:RenderWith",
            "render_all": "ext_host:RenderAll",
            "render_some": "ext_host:RenderSome",
        },
        "myapp.contracts": {"ext_host.renderers": "ext_host:RENDERERS"},
        "myapp.extensions.ext_host.renderers": {"upper": "ext_host:Upper"},
    },
)

#: Implementations of ``ext_host.renderers`` from another plugin: two good ones (one ordered first), one that
#: raises, one that does not fit the contract, one whose module cannot be imported.
EXT_IMPLS = Distribution(
    name="myapp-ext-impls",
    summary="implements another plugin's extension point",
    files={
        "ext_impls/__init__.py": """
            from myapp.hooks.context import hook


            class Lower:
                def render(self, text):
                    return text.lower()


            @hook(priority=10)
            class Reverse:
                def render(self, text):
                    return text[::-1]


            class Exploding:
                def render(self, text):
                    raise ValueError("renderer exploded")


            class NoRender:
                def draw(self, text):
                    return text
        """,
    },
    entry_points={
        "myapp.extensions.ext_host.renderers": {
            "lower": "ext_impls:Lower",
            "reverse": "ext_impls:Reverse",
            "exploding": "ext_impls:Exploding",
            "norender": "ext_impls:NoRender",
            "unimportable": "ext_impls_nowhere:Renderer",
        },
    },
)

#: A command without take_action and a hook whose signature cannot take the context, for ``plugin check``.
CONTRACT_BREAKER = Distribution(
    name="myapp-contract-breaker",
    summary="targets that do not fit their contracts",
    files={
        "contract_breaker/__init__.py": """
            from cliff.command import Command


            class NoTakeAction(Command):
                \"\"\"Forgets to implement take_action.\"\"\"


            class Fine(Command):
                \"\"\"Runs, if its hook lets it.\"\"\"

                def take_action(self, parsed_args):
                    return 0


            def needs_two(context, extra):
                pass
        """,
    },
    entry_points={
        "myapp.commands": {"incomplete": "contract_breaker:NoTakeAction", "hooked": "contract_breaker:Fine"},
        "myapp.hooks.pre_hooked": {"needs_two": "contract_breaker:needs_two"},
    },
)

#: The one-line reports of EXT_IMPLS's broken implementations of ``ext_host.renderers``.
EXT_NORENDER_REPORT = (
    "renderer 'norender' (myapp-ext-impls 1.0, entry point norender = ext_impls:NoRender): "
    "method 'render' missing; expected render(self, text)"
)
EXT_EXPLODING_REPORT = (
    "renderer 'exploding' (myapp-ext-impls 1.0, entry point exploding = ext_impls:Exploding) "
    "failed in 'render' (ValueError: renderer exploded)"
)

ALL = (*ALL, EXT_HOST, EXT_IMPLS, CONTRACT_BREAKER)


def _thing_version(number: int) -> str:
    return (
        _MARKER
        + f"""

from cliff.command import Command


class Thing(Command):
    \"\"\"Say which version of thing ran (version {number}).\"\"\"

    def take_action(self, parsed_args):
        self.app.stdout.write("thing v{number}\\n")
"""
    )


#: ``thing`` in three versions, each in a module that leaves a marker when imported: v1 and v3 are
#: deprecated in favour of v2, so v2 runs by default; ``old_thing`` is its old name; a hook on ``pre_thing``.
VERSIONED = Distribution(
    name="myapp-versioned",
    summary="a command in several versions",
    files={
        "versioned_plugin/__init__.py": "",
        **{f"versioned_plugin/thing_v{number}.py": _thing_version(number) for number in (1, 2, 3)},
        "versioned_plugin/hooks.py": """
            import sys


            def say_pre(context):
                sys.stderr.write(f"{context.event} for '{context.command}'\\n")
        """,
    },
    entry_points={
        "myapp.commands": {f"thing.v{number}": f"versioned_plugin.thing_v{number}:Thing" for number in (1, 2, 3)},
        "myapp.deprecated": {"thing.v1": "thing.v2", "thing.v3": "thing.v2", "old_thing": "thing"},
        "myapp.hooks.pre_thing": {"say_pre": "versioned_plugin.hooks:say_pre"},
    },
)

#: Version names and deprecations ``plugin check`` must report.
VERSIONED_BAD = Distribution(
    name="myapp-versioned-bad",
    summary="badly named versions and deprecations that point nowhere",
    files={
        "versioned_bad/__init__.py": """
            from cliff.command import Command


            class Gizmo(Command):
                \"\"\"Do nothing, in every version.\"\"\"

                def take_action(self, parsed_args):
                    return 0
        """,
    },
    entry_points={
        "myapp.commands": {
            "gizmo": "versioned_bad:Gizmo",
            "gizmo.v1": "versioned_bad:Gizmo",
            "gizmo.v0": "versioned_bad:Gizmo",
        },
        "myapp.deprecated": {"gizmo.v1": "gizmo.v7", "gadget": "gizmos"},
    },
)

ALL = (*ALL, VERSIONED, VERSIONED_BAD)

#: A command that declares a value completer: its KEY arguments complete as configuration keys.
#: Importing it leaves a marker: a Tab press must never do so.
COMPLETION_KEYS = Distribution(
    name="myapp-completion-keys",
    summary="explains configuration keys",
    files={
        "completion_keys/__init__.py": _MARKER,
        "completion_keys/commands.py": """
            from cliff.command import Command


            class Explain(Command):
                \"\"\"Explain configuration keys.\"\"\"

                value_completers = {"keys": "settings"}

                def get_parser(self, prog_name):
                    parser = super().get_parser(prog_name)
                    parser.add_argument("keys", nargs="+", metavar="KEY", help="configuration keys")
                    return parser

                def take_action(self, parsed_args):
                    return 0
        """,
    },
    entry_points={"myapp.commands": {"explain_setting": "completion_keys.commands:Explain"}},
)

ALL = (*ALL, COMPLETION_KEYS)


# Plugins that only some tests install, each in a folder of its own (not in ALL).

#: A plugin someone left in a folder: it must never be indexed from the current directory.
PLANTED_PLUGIN = Distribution(
    name="myapp-planted",
    files={
        "planted_plugin.py": """
            from cliff.command import Command


            class Planted(Command):
                \"\"\"Say that the planted plugin ran.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("planted plugin ran\\n")
        """
    },
    entry_points={"myapp.commands": {"planted": "planted_plugin:Planted"}},
)

#: Modules myapp imports; planted in a folder, each ends the program if it is imported from there.
PLANTED_MODULES = ("cliff", "__future__", "pip")


def plant(folder: Path) -> Path:
    """Fill *folder* as someone else might: the modules of :data:`PLANTED_MODULES`, and :data:`PLANTED_PLUGIN`."""
    folder.mkdir(parents=True, exist_ok=True)
    for module in PLANTED_MODULES:
        (folder / f"{module}.py").write_text(f"raise SystemExit('planted {module}.py ran')\n")
    install_into(PLANTED_PLUGIN, folder)
    return folder


#: A plugin whose command and event names could be read as paths, next to one good command.
PATH_NAMES = Distribution(
    name="myapp-pathnames",
    files={
        "pathnames_plugin.py": """
            import pathlib
            import os

            from cliff.command import Command


            class Tidy(Command):
                \"\"\"Say that the good command ran.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("tidy\\n")


            def sneak(context):
                pathlib.Path(os.environ["MYAPP_TEST_MARKER_DIR"], "sneak hook ran").touch()
        """
    },
    entry_points={
        "myapp.commands": {
            "tidy": "pathnames_plugin:Tidy",
            "x/../../escape": "pathnames_plugin:Tidy",
            ".hidden": "pathnames_plugin:Tidy",
            "bell\x07": "pathnames_plugin:Tidy",
            "long" * 30: "pathnames_plugin:Tidy",
        },
        "myapp.hooks.pre_x/../../escape": {"sneak": "pathnames_plugin:sneak"},
    },
)

#: Leaves one more ``x`` in the module's marker file at each import (closed at once: ``os._exit`` flushes nothing).
_COUNTED_MARKER = f"""
import os

with open(os.path.join(os.environ["{MARKER_DIR_VARIABLE}"], __name__ + ".imported"), "a") as marker:
    marker.write("x")
"""

#: A plugin with a module that ends the process at import (``os._exit(3)``), one that never returns from its
#: import (named by two commands), and a good command; each module leaves a marker per import.
RUDE = Distribution(
    name="myapp-rude",
    files={
        "rude_plugin/__init__.py": "",
        "rude_plugin/exits.py": _COUNTED_MARKER + "\nos._exit(3)\n" + _COMMAND,
        "rude_plugin/hangs.py": _COUNTED_MARKER
        + "\nimport threading\n\nthreading.Event().wait()\n"
        + _COMMAND
        + "\n\nclass Other(Cmd):\n    pass\n",
        "rude_plugin/fine.py": """
            from cliff.command import Command


            class Fine(Command):
                \"\"\"Say that the rude plugin's good command ran.\"\"\"

                def take_action(self, parsed_args):
                    self.app.stdout.write("fine\\n")
        """,
    },
    entry_points={
        "myapp.commands": {
            "rude_exit": "rude_plugin.exits:Cmd",
            "rude_hang": "rude_plugin.hangs:Cmd",
            "rude_hang_again": "rude_plugin.hangs:Other",
            "rude_fine": "rude_plugin.fine:Fine",
        },
    },
)
