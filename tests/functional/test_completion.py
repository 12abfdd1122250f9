"""Tab completion in real bash, zsh and fish, against the session venv's ``myapp``.

Each test loads the script ``myapp completion SHELL`` prints into the shell
and asks the shell's own completion machinery for the candidates: bash
through ``COMP_WORDS``/``COMP_CWORD`` and the registered function, zsh
through the function ``compinit`` registered (``compadd`` captured), fish
through ``complete -C``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.distributions import Distribution, install_into
from tests.helpers.plugins import ACME
from tests.helpers.programs import need_program
from tests.helpers.venvs import VirtualEnvironment

LATE = Distribution(
    name="myapp-late",
    summary="installed after the completion script was loaded",
    files={
        "late_plugin/__init__.py": """
            from cliff.command import Command


            class Zebra(Command):
                \"\"\"Arrive late.\"\"\"

                def take_action(self, parsed_args):
                    return 0
        """,
    },
    entry_points={"myapp.commands": {"zebra_crossing": "late_plugin:Zebra"}},
)

_BASH_DRIVER = """
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMPREPLY=()
_myapp_complete
printf '%s\\n' "${COMPREPLY[@]}"
"""

# compadd only works inside a completion widget: capture what the function hands it instead.
_ZSH_DRIVER = """
autoload -Uz compinit && compinit -u -d "$ZDOTDIR/.zcompdump"
source "$1"
shift
[[ $_comps[myapp] == _myapp_complete ]] || { print -u2 "compinit did not register _myapp_complete"; exit 9 }
compadd() {
    local -a __names
    local __displays=""
    while (( $# )); do
        case $1 in
            -d) __displays=$2; shift ;;
            -[JVXxPSpsiIWFMrRoEDOA]) shift ;;
            -*) ;;
            *) __names+=("$1") ;;
        esac
        shift
    done
    local __name
    for __name in $__names; do print -rl -- "${(@P)__name}"; done
    [[ -z $__displays ]] || print -rl -- "${(@P)__displays}" | sed 's/^/display: /'
}
_files() { print -r -- "<files>" }
words=("$@")
CURRENT=$#
_myapp_complete || true  # no candidates: the function fails, as completion functions do
"""


@pytest.fixture
def scripts(installed: VirtualEnvironment, tmp_path: Path) -> dict[str, Path]:
    """The completion script of each shell, as ``myapp completion SHELL`` prints it, in a file."""
    files = {}
    for shell in ("bash", "zsh", "fish"):
        result = installed.run("myapp", "completion", shell)
        assert (result.returncode, result.stderr) == (0, "")
        files[shell] = tmp_path / f"completion.{shell}"
        files[shell].write_text(result.stdout)
    return files


@pytest.fixture
def shell_env(installed: VirtualEnvironment, tmp_path: Path) -> dict[str, str]:
    """The venv's programs first on PATH, as for a user who activated it."""
    zdotdir = tmp_path / "zdotdir"
    zdotdir.mkdir()
    return {"PATH": f"{installed.bin}{os.pathsep}{os.environ['PATH']}", "ZDOTDIR": str(zdotdir)}


def bash(scripts: dict[str, Path], env: dict[str, str], *words: str, cwd: Path | None = None) -> list[str]:
    argv = [need_program("bash"), "--norc", "--noprofile", "-c", _BASH_DRIVER, "bash", str(scripts["bash"]), *words]
    result = VirtualEnvironment.command(argv, env=env, cwd=cwd)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return [line for line in result.stdout.splitlines() if line]


def zsh(scripts: dict[str, Path], env: dict[str, str], *words: str) -> list[str]:
    argv = [need_program("zsh"), "-f", "-c", _ZSH_DRIVER, "zsh", str(scripts["zsh"]), *words]
    result = VirtualEnvironment.command(argv, env=env)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout.splitlines()


def fish(scripts: dict[str, Path], env: dict[str, str], line: str) -> list[str]:
    command = f"source {scripts['fish']}; complete -C {line!r}"
    result = VirtualEnvironment.command([need_program("fish"), "--no-config", "-c", command], env=env)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout.splitlines()


# --- bash -----------------------------------------------------------------------------------------


def test_bash_completes_multi_word_command_names_word_by_word(scripts, shell_env) -> None:
    assert bash(scripts, shell_env, "myapp", "greet") == ["greeting"]
    assert {"list", "show"} <= set(bash(scripts, shell_env, "myapp", "greeting", ""))
    assert bash(scripts, shell_env, "myapp", "greeting", "li") == ["list"]
    assert bash(scripts, shell_env, "myapp", "plugin", "en") == ["enable"]
    assert bash(scripts, shell_env, "myapp", "hello", "w") == ["world"]  # 'hello world' of myapp-clash-b


@pytest.mark.parametrize(
    "first", [("hello", "Ada"), ("help", "hello"), ("plugin", "check")], ids=["a run", "help", "plugin check"]
)
def test_bash_completes_an_option_a_command_hook_adds_once_the_command_was_read(
    installed, scripts, shell_env, first
) -> None:
    assert bash(scripts, shell_env, "myapp", "hello", "--sh") == []  # never read: the global options only
    assert "--debug" in bash(scripts, shell_env, "myapp", "hello", "--")
    installed.run("myapp", *first, env=shell_env)  # plugin check fails on the broken plugins: still records
    assert bash(scripts, shell_env, "myapp", "hello", "--sh") == ["--shout"]
    assert "--debug" in bash(scripts, shell_env, "myapp", "hello", "--")


def test_a_plugin_installed_after_the_script_was_loaded_completes_at_once(scripts, shell_env, tmp_path) -> None:
    site = tmp_path / "later"
    env = {**shell_env, "PYTHONPATH": str(site)}
    assert bash(scripts, env, "myapp", "zeb") == []
    install_into(LATE, site)
    assert bash(scripts, env, "myapp", "zeb") == ["zebra"]
    assert bash(scripts, env, "myapp", "zebra", "") == ["crossing"]


def test_bash_completes_plugin_names_for_plugin_commands(scripts, shell_env) -> None:
    for command in ("enable", "disable", "show"):
        assert bash(scripts, shell_env, "myapp", "plugin", command, "myapp-goo") == ["myapp-good"]


def test_bash_completes_setting_names_for_config_show(installed, scripts, shell_env) -> None:
    assert bash(scripts, shell_env, "myapp", "config", "show", "hooks.") == [
        "hooks.on_failure",
        "hooks.order",
        "hooks.script_timeout",
    ]
    shown = installed.run("myapp", "config", "show", "hooks.order", "debug", "-f", "value", "-c", "Key", env=shell_env)
    assert (shown.returncode, shown.stdout) == (0, "debug\nhooks.order\n")


def test_a_tab_press_never_imports_plugin_code(installed, scripts, shell_env, marker_dir) -> None:
    marker = marker_dir / "completion_keys.imported"
    global_options = bash(scripts, shell_env, "myapp", "--")
    assert bash(scripts, shell_env, "myapp", "expl") == ["explain"]
    # never run: the global options only, and no values for its KEY arguments
    assert bash(scripts, shell_env, "myapp", "explain", "setting", "--") == global_options
    assert bash(scripts, shell_env, "myapp", "explain", "setting", "hooks.") == []
    assert not marker.exists()
    result = installed.run("myapp", "explain", "setting", "debug", env=shell_env)
    assert (result.returncode, result.stderr) == (0, "")
    assert marker.exists(), "the run was expected to import the command"
    marker.unlink()
    # the run recorded what the command's parser takes: offered now, still without importing it
    expected = ["hooks.on_failure", "hooks.order", "hooks.script_timeout"]
    assert bash(scripts, shell_env, "myapp", "explain", "setting", "hooks.") == expected
    assert bash(scripts, shell_env, "myapp", "explain", "setting", "--") == global_options
    assert not marker.exists()


def test_commands_of_disabled_plugins_are_not_offered(scripts, shell_env) -> None:
    assert "shout" in bash(scripts, shell_env, "myapp", "sh")
    assert "shout" not in bash(scripts, {**shell_env, "MYAPP_DISABLE_PLUGINS": "myapp-good"}, "myapp", "sh")
    assert bash(scripts, shell_env, "myapp", "--disable-plugin", "myapp-good", "sh") == ["shell-init"]
    assert bash(scripts, shell_env, "myapp", "--no-plugins", "greet") == []


def test_a_broken_plugin_does_not_break_completion(scripts, shell_env) -> None:
    global_options = bash(scripts, shell_env, "myapp", "--")
    assert bash(scripts, shell_env, "myapp", "broken", "import", "--") == global_options
    assert bash(scripts, shell_env, "myapp", "noisy", "--") == global_options  # prints at import: never imported
    assert "import" in bash(scripts, shell_env, "myapp", "broken", "")
    assert bash(scripts, shell_env, "myapp", "plugin", "en") == ["enable"]


def test_bash_completes_file_names_for_path_options(scripts, shell_env, tmp_path) -> None:
    (tmp_path / "settings.toml").write_text("")
    assert bash(scripts, shell_env, "myapp", "--config", "sett", cwd=tmp_path) == ["settings.toml"]


def test_bash_completes_command_versions_for_use(scripts, shell_env) -> None:
    # bash splits 'thing=2' at the '=' (COMP_WORDBREAKS) and replaces only what follows it
    assert bash(scripts, shell_env, "myapp", "--use", "th") == ["thing=1", "thing=2", "thing=3"]
    assert bash(scripts, shell_env, "myapp", "--use", "thing", "=") == ["1", "2", "3"]
    assert bash(scripts, shell_env, "myapp", "--use", "thing", "=", "3") == ["3"]
    assert bash(scripts, shell_env, "myapp", "--use", "=", "hel") == ["hello=1", "hello=2"]
    assert bash(scripts, shell_env, "myapp", "--log-format", "=", "j") == ["json"]
    disabled = {**shell_env, "MYAPP_DISABLE_PLUGINS": "myapp-plugins-example"}
    assert bash(scripts, disabled, "myapp", "--use", "hel") == []


def test_bash_completes_command_names_after_help(scripts, shell_env) -> None:
    assert bash(scripts, shell_env, "myapp", "help", "greet") == ["greeting"]
    assert bash(scripts, shell_env, "myapp", "help", "greeting", "li") == ["list"]
    assert bash(scripts, shell_env, "myapp", "help", "plugin", "en") == ["enable"]
    assert bash(scripts, shell_env, "myapp", "--no-plugins", "help", "greet") == []


def test_bash_completes_hook_events_for_hooks_run_and_list(scripts, shell_env) -> None:
    assert bash(scripts, shell_env, "myapp", "hooks", "run", "pre_hello") == ["pre_hello", "pre_hello_world"]
    assert bash(scripts, shell_env, "myapp", "hooks", "list", "ini") == ["initialize"]
    assert {"post_command", "post_plugin_list", "post_thing"} <= set(
        bash(scripts, shell_env, "myapp", "hooks", "list", "post_")
    )
    assert bash(scripts, {**shell_env, "MYAPP_NO_PLUGINS": "1"}, "myapp", "hooks", "run", "pre_hello_") == []


def test_a_second_tool_gets_a_working_script_under_its_own_name(installed, tmp_path, shell_env) -> None:
    site, bin_dir = tmp_path / "site", tmp_path / "bin"
    install_into(ACME, site)
    bin_dir.mkdir()
    acme = bin_dir / "acme"
    acme.write_text(
        f"#!{installed.python}\n"
        "import sys\nfrom myapp.app import main\nfrom myapp.identity import Identity\n"
        'sys.exit(main(identity=Identity("acme")))\n'
    )
    acme.chmod(0o755)
    env = {**shell_env, "PATH": f"{bin_dir}{os.pathsep}{shell_env['PATH']}", "PYTHONPATH": str(site)}
    result = VirtualEnvironment.command([str(acme), "completion", "bash"], env=env)
    assert result.returncode == 0 and "complete -F _acme_complete acme" in result.stdout
    script = tmp_path / "acme.bash"
    script.write_text(result.stdout)
    driver = _BASH_DRIVER.replace("_myapp_complete", "_acme_complete")
    argv = [need_program("bash"), "--norc", "--noprofile", "-c", driver, "bash", str(script), "acme", "pi"]
    completed = VirtualEnvironment.command(argv, env=env)
    assert completed.stdout.split() == ["ping"]
    argv[-2:] = ["acme", "hel"]  # myapp's plugins are not acme's
    assert VirtualEnvironment.command(argv, env=env).stdout.split() == ["help"]


# --- zsh ------------------------------------------------------------------------------------------


def test_zsh_completes_commands_options_and_values_with_help(installed, scripts, shell_env) -> None:
    assert zsh(scripts, shell_env, "myapp", "greeting", "li") == ["list", "display: list"]
    installed.run("myapp", "--help", env=shell_env)  # caches the descriptions, which completion then shows
    lines = zsh(scripts, shell_env, "myapp", "greeting", "li")
    assert lines == ["list", "display: list  -- List the greetings this plugin knows"]
    installed.run("myapp", "hello", env=shell_env)  # records its options, the hook's among them
    assert "--shout" in zsh(scripts, shell_env, "myapp", "hello", "--")
    assert zsh(scripts, shell_env, "myapp", "plugin", "disable", "myapp-goo")[0] == "myapp-good"
    assert "display: myapp-good  -- good commands for the tests" in zsh(
        scripts, shell_env, "myapp", "plugin", "disable", "myapp-goo"
    )
    installed.run("myapp", "help", "explain", "setting", env=shell_env)
    assert zsh(scripts, shell_env, "myapp", "explain", "setting", "no_")[:2] == ["no_color", "no_plugins"]
    assert zsh(scripts, shell_env, "myapp", "--log-file", "") == ["<files>"]


def test_zsh_leaves_out_disabled_plugins(scripts, shell_env) -> None:
    offered = zsh(scripts, {**shell_env, "MYAPP_DISABLE_PLUGINS": "myapp-plugins-example"}, "myapp", "gree")
    assert offered == []


# --- fish -----------------------------------------------------------------------------------------


def test_fish_completes_commands_options_and_values(installed, scripts, shell_env) -> None:
    assert fish(scripts, shell_env, "myapp plu") == ["plugin"]
    assert fish(scripts, shell_env, "myapp plugin sh") == ["show"]
    installed.run("myapp", "hello", env=shell_env)
    assert fish(scripts, shell_env, "myapp hello --sh") == ["--shout\tgreet in capitals (from a CommandHook)"]
    assert fish(scripts, shell_env, "myapp plugin enable myapp-goo") == ["myapp-good\tgood commands for the tests"]
    assert fish(scripts, shell_env, "myapp completion f") == ["fish"]
    assert fish(scripts, {**shell_env, "MYAPP_NO_PLUGINS": "1"}, "myapp gree") == []
