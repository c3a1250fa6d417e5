"""``python -m armtrace`` runs the command line."""

from armtrace.entry import main

main()
