"""armtrace report: HTML and PDF reports."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
