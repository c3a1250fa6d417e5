"""Accounts, sessions and API tokens (web application).

Tables registered on the store's metadata (migration 0005 builds them).
"""

from __future__ import annotations

from armtrace.store.tables import BigId, metadata  # noqa: F401
