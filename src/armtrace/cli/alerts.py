"""armtrace alerts: subscriptions and deliveries."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
