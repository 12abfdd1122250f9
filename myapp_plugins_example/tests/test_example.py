"""The example plugin's own tests, written as any plugin author would write them.

The fixtures come with myapp (``myapp.pytest_plugin``): ``myapp_run`` runs myapp
in-process in a private home folder, with the installed plugins or with
in-memory ones; ``myapp_plugin_env`` installs throw-away plugins with pip and
runs myapp as a program.
"""

from __future__ import annotations

import json

from myapp_plugins_example.commands import HelloV2
from myapp_plugins_example.hooks import refuse_control_characters

from myapp.testing import Distribution, FakePlugin


def test_hello_defaults_to_the_world(myapp_run) -> None:
    result = myapp_run(["hello"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, World!\n", "")


def test_hello_takes_a_name(myapp_run) -> None:
    assert myapp_run(["hello", "Grace"]).stdout == "Hello, Grace!\n"


def test_hello_version_2_capitalizes_and_repeats(myapp_run) -> None:
    result = myapp_run(["hello", "ada", "--times", "2"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, Ada!\nHello, Ada!\n", "")


def test_hello_version_2_refuses_a_count_below_one(myapp_run) -> None:
    result = myapp_run(["hello", "--times", "0"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "expected a whole number from 1, found '0'" in result.stderr


def test_hello_version_1_still_runs_when_pinned_with_a_deprecation_warning(myapp_run) -> None:
    result = myapp_run(["--use", "hello=1", "hello"])
    assert (result.exit_code, result.stdout) == (0, "Hello, world!\n")
    assert result.stderr == (
        "myapp: warning: 'hello' version 1 is deprecated; use version 2 ('--use hello=2', or drop the pin)\n"
    )


def test_hello_version_1_has_no_times_option(myapp_run) -> None:
    result = myapp_run(["--use", "hello=1", "hello", "--times", "2"])
    assert (result.exit_code, result.stdout) == (2, "")


def test_greet_is_the_old_name_of_hello(myapp_run) -> None:
    result = myapp_run(["greet", "Ada"])
    assert (result.exit_code, result.stdout) == (0, "Hello, Ada!\n")
    assert result.stderr == "myapp: warning: 'greet' was renamed 'hello'; run 'myapp hello' instead\n"


def test_help_lists_the_versions_of_hello(myapp_run) -> None:
    result = myapp_run(["help", "hello"])
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "Versions of 'hello' (newest first):\n"
        "  2  runs: the newest version\n"
        "  1  deprecated in favour of version 2\n"
        "Run another with 'myapp --use hello=N hello'.\n"
    )


def test_plugin_check_finds_nothing_wrong_with_the_versions(myapp_run) -> None:
    result = myapp_run(["plugin", "check"])
    assert result.exit_code == 0
    assert "hello" not in result.stdout + result.stderr


def test_greeting_list_is_machine_readable(myapp_run) -> None:
    result = myapp_run(["greeting", "list", "-f", "json"])
    assert result.exit_code == 0
    assert {"Code": "de", "Language": "German", "Greeting": "Hallo"} in json.loads(result.stdout)


def test_greeting_show_rejects_an_unknown_code_with_a_hint(myapp_run) -> None:
    result = myapp_run(["greeting", "show", "tlh"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "myapp: error: unknown language code 'tlh'\nhint: known codes: de, en, es, fr, ja\n"


def test_the_hook_stops_a_greeting_with_control_characters(myapp_run) -> None:
    guarded = FakePlugin(commands={"hello": HelloV2}, hooks={"pre_hello": [refuse_control_characters]})
    result = myapp_run(["hello", "Ada\x1b[2J"], plugins=[guarded])
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr.startswith("myapp: error: hook 'fake-plugin:refuse_control_characters' stopped the command")


def test_without_the_hook_the_same_command_greets_anyone(myapp_run) -> None:
    result = myapp_run(["hello", "Ada"], plugins=[FakePlugin(commands={"hello": HelloV2})])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Hello, Ada!\n", "")


#: Another plugin that also registers ``hello``: clashes are settled by distribution name.
RIVAL = Distribution(
    name="aaa-rival-greeter",
    files={
        "rival_greeter.py": """
        from cliff.command import Command


        class Hello(Command):
            \"\"\"Greet rivalrously.\"\"\"

            def take_action(self, parsed_args):
                self.app.stdout.write("Rival hello!\\n")
    """
    },
    entry_points={"myapp.commands": {"hello": "rival_greeter:Hello"}},
)


def test_a_rival_plugin_that_sorts_first_takes_hello_with_a_warning(myapp_plugin_env) -> None:
    myapp_plugin_env.install(RIVAL)
    result = myapp_plugin_env.run("hello")
    assert (result.exit_code, result.stdout) == (0, "Rival hello!\n")
    assert "command 'hello' is also provided by 'myapp-plugins-example'" in result.stderr
    disabled = myapp_plugin_env.run("--disable-plugin", "aaa-rival-greeter", "hello", "Ada")
    assert (disabled.exit_code, disabled.stdout, disabled.stderr) == (0, "Hello, Ada!\n", "")
