"""armtrace: trace recovered weapons to the companies and countries that made their parts."""

__version__ = "0.1.0"

# Set by the console script (armtrace.entry) before armtrace.cli is imported: the one command
# module to register, or None for all of them.
cli_only: str | None = None
