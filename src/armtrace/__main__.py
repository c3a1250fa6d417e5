"""``python -m armtrace`` runs the command line."""

from armtrace.cli import main

main()
