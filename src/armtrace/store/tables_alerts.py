"""Subscriptions and the delivery outbox.

Tables registered on the store's metadata (migration 0008 builds them).
"""

from __future__ import annotations

from armtrace.store.tables import BigId, metadata  # noqa: F401
