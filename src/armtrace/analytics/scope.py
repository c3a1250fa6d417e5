"""Which documented components a summary covers: one item, an incident, a system, a window...

Invariants:
- Every field narrows the scope; an empty Scope is every component in the store.
- ``country`` is where the item was documented (the incident's country), never a maker's country;
  ``manufacturer_id`` matches the brand on the part, the company that owned it at the time, or
  its current owner, so "analog-devices" includes Linear Technology parts.
- ``since``/``until`` bound the incident date, both ends included; undated incidents fall outside
  any window that has a bound.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    """A filtered set of components; every given field narrows it."""

    item_key: str | None = None
    incident_key: str | None = None
    weapon_system: str | None = None
    manufacturer_id: str | None = None
    country: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    published_only: bool = False

    def is_item(self) -> bool:
        """True when the scope is one item, so the summary can date it."""
        return self.item_key is not None

    def describe(self) -> str:
        """The scope in words, e.g. "item EX-MSL-001" or "everything documented in UA"."""
        parts = []
        if self.item_key:
            parts.append(f"item {self.item_key}")
        if self.incident_key:
            parts.append(f"incident {self.incident_key}")
        if self.weapon_system:
            parts.append(f"weapon system {self.weapon_system}")
        if self.manufacturer_id:
            parts.append(f"parts of {self.manufacturer_id}")
        if self.country:
            parts.append(f"documented in {self.country}")
        if self.since:
            parts.append(f"from {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.published_only:
            parts.append("published items only")
        return ", ".join(parts) or "every documented item"

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict (dates as ISO text)."""
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in asdict(self).items()
        }
