"""Random tokens and their stored digests, shared by sessions and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime


def new_token(prefix: str) -> str:
    """A fresh 256-bit random token, URL-safe, with a prefix saying what it is."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_for(session_token: str) -> str:
    """The CSRF token of a session: an HMAC of a fixed label keyed by the session token.

    Derived rather than stored, so it needs no table and changes whenever the session does;
    knowing it does not reveal the session token.
    """
    return hmac.new(session_token.encode("utf-8"), b"armtrace-csrf", hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two tokens."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def utc(moment: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive UTC values)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
