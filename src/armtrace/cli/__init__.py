"""Command-line interface: each command parses input, calls one library function, prints."""

from armtrace.cli import demo, evidence, identify, sheets, status  # noqa: F401 - registers commands
from armtrace.cli.app import app


def main() -> None:
    """Entry point of the ``armtrace`` console script."""
    app()
