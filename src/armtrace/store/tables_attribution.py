"""Link judgements and other attribution state.

Tables registered on the store's metadata (migration 0004 builds them).
"""

from __future__ import annotations

from armtrace.store.tables import BigId, metadata  # noqa: F401
