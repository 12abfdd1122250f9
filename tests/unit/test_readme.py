"""README.md's two commands: one line each; the first installs and proves the installed copy."""

from __future__ import annotations

from pathlib import PurePosixPath

from tests.helpers.readme import readme_commands, steps


def test_the_readme_gives_two_commands_of_one_line_each() -> None:
    commands = readme_commands()

    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_the_first_command_installs_both_packages_into_a_new_environment_and_runs_its_console_script() -> None:
    (make, *_, run) = first = steps(readme_commands()[0])
    assert make[:3] == ["python", "-m", "venv"]
    scripts = PurePosixPath(make[3]) / "bin"
    installs = [step for step in first if "install" in step]

    assert [step[step.index("install") + 1 :] for step in installs] == [[".", "./myapp_plugins_example"]]
    assert PurePosixPath(installs[0][0]).parent == scripts  # the new environment's pip or python
    # The environment's console script: its import path starts at its own folder, never at the source tree,
    # as 'python -m myapp' in the clone would.
    assert (PurePosixPath(run[0]), run[1:]) == (scripts / "myapp", ["hello"])


def test_no_readme_command_runs_myapp_as_a_module_of_the_current_directory() -> None:
    runs = [step for command in readme_commands() for step in steps(command)]

    assert not any(step[1:3] == ["-m", "myapp"] for step in runs)
