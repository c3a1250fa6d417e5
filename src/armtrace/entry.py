"""The ``armtrace`` console script: it loads only the command the user typed.

Loading every command module pulls in the web server, the report and alert machinery and their
libraries, about a second before any command starts. The script finds the command's name in
its arguments, tells ``armtrace.cli`` to register that command's module alone, and runs the
application. Without a known command (``armtrace``, ``armtrace --help``, a typo) everything is
registered, so help and "no such command" answers list every command as before. Importing
``armtrace.cli`` any other way (tests, ``python -m armtrace.cli.reference``) registers all.
"""

from __future__ import annotations

import sys

import armtrace

# Top-level command or group name -> the armtrace.cli module that registers it. A test checks
# this against the application with every module registered.
COMMAND_MODULES: dict[str, str] = {
    "alerts": "alerts",
    "analyse": "analyse",
    "seen": "analyse",
    "attribute": "attribution",
    "link": "attribution",
    "serials": "attribution",
    "audit": "audit",
    "backup": "backup",
    "restore": "backup",
    "demo": "demo",
    "evidence": "evidence",
    "identify": "identify",
    "report": "report",
    "screen": "screening",
    "serve": "serve",
    "users": "serve",
    "tokens": "serve",
    "import": "sheets",
    "export": "sheets",
    "status": "status",
    "summary": "summary",
    "dating": "summary",
    "sightings": "summary",
    "snapshot": "summary",
    "trace": "tracing",
}

# Options of the application itself, given before the command name, that take a value.
_VALUED_OPTIONS = ("--db", "--evidence")


def command_name(args: list[str]) -> str | None:
    """The command's name: the first argument that is neither a global option nor its value."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """Entry point of the ``armtrace`` console script."""
    armtrace.cli_only = COMMAND_MODULES.get(command_name(sys.argv[1:]) or "")
    from armtrace.cli import main as run

    run()
