"""Command-line interface: each command parses input, calls one library function, prints."""

from armtrace.cli import (  # noqa: F401 - registers commands
    alerts,
    analyse,
    attribution,
    audit,
    backup,
    demo,
    evidence,
    identify,
    report,
    screening,
    serve,
    sheets,
    status,
    summary,
    tracing,
)
from armtrace.cli.app import app


def main() -> None:
    """Entry point of the ``armtrace`` console script."""
    app()
