"""armtrace screen: sanctions screening against FollowTheMoney lists."""

from __future__ import annotations

from armtrace.cli.app import app  # noqa: F401
