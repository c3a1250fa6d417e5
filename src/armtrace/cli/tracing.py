"""armtrace trace: trace requests and custody chains."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
