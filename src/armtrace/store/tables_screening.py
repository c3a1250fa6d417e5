"""Sanctions lists, screening results and analysts' judgements.

Tables registered on the store's metadata (migration 0006 builds them).
"""

from __future__ import annotations

from armtrace.store.tables import BigId, metadata  # noqa: F401
