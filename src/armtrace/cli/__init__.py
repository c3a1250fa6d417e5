"""Command-line interface: each command parses input, calls one library function, prints."""

import importlib

import armtrace
from armtrace.cli.app import app
from armtrace.entry import COMMAND_MODULES

# Every module that registers commands on ``app``: those the console script's table names.
MODULES = tuple(sorted(set(COMMAND_MODULES.values())))

# The console script (armtrace.entry) names the one module the typed command needs; any other
# import of this package registers every command.
for _module in (armtrace.cli_only,) if armtrace.cli_only else MODULES:
    importlib.import_module(f"armtrace.cli.{_module}")


def main() -> None:
    """Run the application (the console script goes through ``armtrace.entry.main``)."""
    app()
