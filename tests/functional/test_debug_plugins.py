"""--debug-plugins: what was discovered, selected, imported and run, with durations, on stderr."""

from __future__ import annotations

import re

from tests.helpers.venvs import VirtualEnvironment

PREFIX = "myapp: plugins: "
MILLISECONDS = r"\d+\.\d ms"


def trace_of(stderr: str) -> list[str]:
    return [line[len(PREFIX) :] for line in stderr.splitlines() if line.startswith(PREFIX)]


def test_the_trace_lists_discovered_plugins_and_why_one_is_skipped(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug-plugins", "--disable-plugin", "myapp-lazy", "shout", "hi")

    assert result.returncode == 0
    assert result.stdout == "HI\n"  # the trace never touches the data
    trace = trace_of(result.stderr)
    assert re.fullmatch(r"discovered \d+ plugin distributions with \d+ entry points", trace[0])
    assert any(re.fullmatch(r"  myapp-good \S+: 6 entry points; runs", line) for line in trace)
    assert any(
        line.startswith("  myapp-lazy ") and "skipped: disabled by config (" in line and "--disable-plugin" in line
        for line in trace
    )


def test_the_trace_times_each_import_and_imports_only_what_runs(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug-plugins", "shout", "hi")

    imports = [line for line in trace_of(result.stderr) if line.startswith(("imported", "import failed"))]
    assert any(
        re.fullmatch(
            rf"imported 'shout = good_plugin.commands:Shout' \(myapp.commands\) of myapp-good in {MILLISECONDS}", line
        )
        for line in imports
    )
    assert not any("lazy_plugin" in line or "broken_plugin" in line for line in imports)


def test_the_trace_says_which_import_failed(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug-plugins", "broken_import")

    assert result.returncode == 3
    assert any(
        re.fullmatch(
            rf"import failed: 'broken_import = broken_plugin.import_error:Cmd' \(myapp.commands\) of myapp-broken "
            rf"in {MILLISECONDS} \(ModuleNotFoundError\)",
            line,
        )
        for line in trace_of(result.stderr)
    )
    assert result.stderr.splitlines()[-2].startswith("myapp: error: plugin 'myapp-broken' could not load")


def test_the_trace_times_each_hook_in_running_order(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug-plugins", "order")

    hooks = [line for line in trace_of(result.stderr) if line.startswith("hook ")]
    labels = [re.fullmatch(rf"hook (\S+): (\S+): ok in {MILLISECONDS}", line).groups() for line in hooks]  # type: ignore[union-attr]
    pre_order = [label for event, label in labels if event == "pre_order"]
    assert pre_order.index("myapp-hooks-b:b_before_a") < pre_order.index("myapp-hooks-a:a_first")
    assert ("post_order", "myapp-hooks-a:a_post") in labels


def test_a_failing_hook_is_traced_as_failed(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "--debug-plugins", "fragile")

    assert result.returncode == 3
    assert any(
        line.startswith("hook pre_fragile: myapp-hooks-bad:raises: failed: ") for line in trace_of(result.stderr)
    )


def test_the_environment_variable_turns_the_trace_on(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "shout", "hi", env={"MYAPP_DEBUG_PLUGINS": "1"})

    assert trace_of(result.stderr)


def test_without_the_option_there_is_no_trace(installed: VirtualEnvironment) -> None:
    result = installed.run("myapp", "-vv", "order")

    assert result.returncode == 0
    assert trace_of(result.stderr) == []


def test_source_hooks_are_traced_too(installed: VirtualEnvironment, tmp_path) -> None:
    source_file = tmp_path / "source.sh"
    result = installed.run("myapp", "--debug-plugins", "hello", "Ada", env={"MYAPP_SOURCE_FILE": str(source_file)})

    assert result.stdout == "Hello, Ada!\n"
    assert any(
        re.fullmatch(rf"hook post_hello_source: myapp-plugins-example:remember_greeted: ok in {MILLISECONDS}", line)
        for line in trace_of(result.stderr)
    )
    assert "Ada" in source_file.read_text()
