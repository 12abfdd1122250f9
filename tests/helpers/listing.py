"""Reading the command list that ``--help``, ``help`` and a group of commands print."""

from __future__ import annotations


def command_rows(help_text: str) -> dict[str, str]:
    """The rows under 'Commands:', by command name; a description wrapped over several lines is joined again."""
    rows: dict[str, str] = {}
    name = ""
    for line in help_text.split("\nCommands:\n", 1)[1].splitlines():
        if not line.startswith("  "):  # the list has ended (an error line may follow it on stderr)
            break
        if line.startswith("   "):  # the description of the row above goes on
            rows[name] += " " + line.strip()
        else:
            name, _, text = line[2:].partition("  ")
            rows[name] = text.strip()
    return rows
