"""A short-lived, per-process memory of API token owners, so a script's requests do not each
cost a token look-up.

Invariants:
- Entries are keyed by the store's URL and the token's SHA-256, never the clear token, and live
  ``TTL_SECONDS``; at most ``MAX_ENTRIES`` are kept.
- Revoking a token, disabling an account or changing its role empties the memory of the process
  that did it at once (``forget_all``, after the change commits). Other processes (other
  uvicorn workers, another server) notice within ``TTL_SECONDS``: that is the documented bound
  on how long a revoked token or a lowered role can keep working there.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # users.py imports this module to clear it
    from armtrace.accounts.users import User

TTL_SECONDS = 2.0
MAX_ENTRIES = 1024


class TokenOwners:
    """(store URL, token digest) -> owner, each remembered for ``ttl`` seconds."""

    def __init__(self, ttl: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], tuple[float, User]] = {}

    def get(self, key: tuple[str, str]) -> User | None:
        """The remembered owner, or None when unknown or older than ``ttl``."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] > self.ttl:
            self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, key: tuple[str, str], owner: User) -> None:
        """Remember ``owner``; a full memory is emptied first (simple, and bounded)."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), owner)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


OWNERS = TokenOwners()


def forget_all() -> None:
    """Forget every remembered owner (call after a revocation or an account change commits)."""
    OWNERS.clear()
