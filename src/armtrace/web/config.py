"""Settings of the web application, read from the environment in this one place.

``ARMTRACE_SECURE_COOKIES``  ``1`` marks the session cookie Secure (set it behind HTTPS).
``ARMTRACE_SESSION_HOURS``   how long a login lasts (default 12).
``ARMTRACE_MAX_UPLOAD_MB``   the largest request body accepted, sheets and photos (default 100).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from armtrace.errors import ConfigError


@dataclass(frozen=True)
class WebConfig:
    """Resolved web settings."""

    secure_cookies: bool = False
    session_lifetime: timedelta = timedelta(hours=12)
    max_upload_bytes: int = 100 * 1024 * 1024


def load_web_config() -> WebConfig:
    """Web settings from the environment, with defaults for a laptop."""
    return WebConfig(
        secure_cookies=os.environ.get("ARMTRACE_SECURE_COOKIES", "") in ("1", "true", "yes"),
        session_lifetime=timedelta(hours=_number("ARMTRACE_SESSION_HOURS", 12)),
        max_upload_bytes=int(_number("ARMTRACE_MAX_UPLOAD_MB", 100) * 1024 * 1024),
    )


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be above zero")
    return value
