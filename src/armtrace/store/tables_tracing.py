"""Trace requests, answers and custody chains.

Tables registered on the store's metadata (migration 0007 builds them).
"""

from __future__ import annotations

from armtrace.store.tables import BigId, metadata  # noqa: F401
