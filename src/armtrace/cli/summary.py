"""armtrace summary and sightings: supply-chain roll-ups, item dating, first sightings."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
