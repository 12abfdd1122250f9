"""The second table of the fault matrix: surroundings, files, signals and plugins that end or stall the process.

Each row names the functional test that proves it; tests/functional/test_faults.py
checks that docs/fault-matrix.rst lists exactly these rows, in this order, and
that every named test exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Situation:
    """One hostile situation, the command the row shows, its documented status, and the test behind it."""

    kind: str
    #: the command line as the docs show it (``myapp ...``)
    command: str
    exit_code: int
    #: ``<file in tests/functional>::<test function>``
    test: str


_HOMES = "test_homes_and_files.py::"
_SIGNALS = "test_signals.py::"
_CACHE = "test_cache.py::"
_STOPPING = "test_stopping_plugins.py::"

SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "No HOME and no password entry",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_no_home_and_no_password_entry_readers_run_and_writers_say_what_they_cannot_write",
    ),
    Situation(
        "Home folder that cannot be read",
        "myapp shout hi",
        0,
        _HOMES + "test_an_unreadable_home_costs_one_warning_and_writers_exit_2",
    ),
    Situation(
        "Config folder that cannot be read",
        "myapp plugin list",
        0,
        _HOMES + "test_an_unreadable_config_folder_costs_one_warning_and_writers_exit_2",
    ),
    Situation(
        "Home folder that does not exist",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_a_home_that_does_not_exist_is_never_created",
    ),
    Situation(
        "New config file under umask 077",
        "myapp plugin disable NAME",
        0,
        _HOMES + "test_a_new_config_file_honours_the_umask",
    ),
    Situation(
        "Read-only config file",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_a_read_only_config_file_is_refused_not_replaced",
    ),
    Situation(
        "Config path that is a link to nothing",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_a_config_path_that_is_a_dangling_link_is_reported_and_not_followed",
    ),
    Situation(
        "Config path that is a folder",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_a_config_path_that_is_a_folder_is_reported",
    ),
    Situation(
        "Log file name planted as another user's link",
        "myapp --log-file PATH shout hi",
        2,
        _HOMES + "test_a_log_file_is_created_private_and_never_through_a_planted_link",
    ),
    Situation(
        "Root with another user's HOME",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_root_with_another_users_home_leaves_no_file_there_and_keeps_their_config",
    ),
    Situation(
        "Config lock held by another process",
        "myapp plugin disable NAME",
        2,
        _HOMES + "test_a_config_lock_held_by_another_process_is_waited_for_then_reported",
    ),
    Situation(
        "Output encoding that cannot show a path",
        "myapp plugin disable NAME",
        0,
        _HOMES + "test_printing_what_changed_in_an_encoding_that_cannot_show_it_does_not_fail",
    ),
    Situation(
        "Config file nested 100 000 levels deep",
        "myapp --config FILE shout hi",
        2,
        _HOMES + "test_a_config_file_nested_too_deeply_fails_fast_with_its_position",
    ),
    Situation(
        "Config file with 10 000 unknown settings",
        "myapp --config FILE shout hi",
        0,
        _HOMES + "test_ten_thousand_unknown_keys_load_well_under_a_second_with_capped_warnings",
    ),
    Situation(
        "Config file with a byte-order mark",
        "myapp --config FILE plugin list",
        0,
        _HOMES + "test_a_config_file_with_a_byte_order_mark_loads",
    ),
    Situation(
        "SIGHUP during a command",
        "myapp wait",
        129,
        _SIGNALS + "test_sighup_runs_finally_blocks_and_post_hooks_then_exits_129",
    ),
    Situation(
        "A hook script that runs myapp again",
        "myapp shout once",
        4,
        _SIGNALS + "test_a_hook_script_that_runs_myapp_again_stops_at_the_documented_depth",
    ),
    Situation(
        "Tab on a command whose parser hangs",
        "myapp",
        0,
        "test_interactive.py::test_ctrl_c_interrupts_tab_on_a_command_whose_parser_hangs_and_the_shell_goes_on",
    ),
    Situation(
        "Cache folder reached through another user's link",
        "myapp shout hi",
        0,
        _CACHE + "test_a_cache_folder_reached_through_another_users_link_is_not_written_through",
    ),
    Situation(
        "Reinstall whose file times were normalised",
        "myapp printing",
        0,
        _CACHE + "test_a_reinstall_whose_file_times_were_normalised_is_seen",
    ),
    Situation(
        "python -m myapp in a deleted working directory",
        "python -m myapp shout hi",
        0,
        _CACHE + "test_python_m_myapp_in_a_deleted_working_directory_runs_like_the_console_script",
    ),
    Situation(
        "Plugin module that calls os._exit(3) at import",
        "myapp --help",
        0,
        _STOPPING + "test_help_lists_every_command_and_marks_plugins_that_end_or_stall_their_import_broken",
    ),
    Situation(
        "Plugin module that never returns from its import",
        "myapp --help",
        0,
        _STOPPING + "test_help_lists_every_command_and_marks_plugins_that_end_or_stall_their_import_broken",
    ),
    Situation(
        "The same two plugins under plugin check",
        "myapp plugin check",
        3,
        _STOPPING + "test_plugin_check_fails_naming_each_import_that_ends_or_stalls_and_checks_the_rest",
    ),
)
