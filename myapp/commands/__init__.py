"""The command table: entries, versions, descriptions and argument records of every command."""
