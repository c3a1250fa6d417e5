"""Command-line interface: each command parses input, calls one library function, prints."""

from armtrace.cli import (  # noqa: F401 - registers commands
    analyse,
    demo,
    evidence,
    identify,
    sheets,
    status,
)
from armtrace.cli.app import app


def main() -> None:
    """Entry point of the ``armtrace`` console script."""
    app()
