"""armtrace backup and restore: the store and its evidence, verified by a round trip."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
