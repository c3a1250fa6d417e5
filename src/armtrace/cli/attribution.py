"""armtrace attribute, link and serials: weapon-system attribution and linking."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
