"""armtrace serve and users: the web application and its accounts."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
