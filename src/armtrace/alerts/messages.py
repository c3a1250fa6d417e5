"""What a delivery says: the event as JSON for machines and one sentence for people.

Invariants:
- Every message carries the event's UUID so a receiver can drop a repeat.
- Exercise data says so in every message built from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from armtrace.alerts.outbox import AlertError


class DeliveryFailed(AlertError):
    """A send did not go through; ``permanent`` when retrying cannot help (e.g. HTTP 410)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Event:
    """One outbox event as read back from the store."""

    row_id: int
    event_id: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Event:
        """Build from a row with id, event_id, kind, payload (JSON text), created_at."""
        created = row["created_at"]
        created = created.replace(tzinfo=UTC) if created.tzinfo is None else created
        return cls(
            int(row["id"]), row["event_id"], row["kind"], json.loads(row["payload"]), created
        )

    def as_json(self) -> dict[str, Any]:
        """The event as receivers get it (built once per event; treat it as read-only)."""
        cached: dict[str, Any] | None = self.__dict__.get("_json")
        if cached is not None:
            return cached
        built = {
            "id": self.event_id,
            "kind": self.kind,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "summary": describe(self.kind, self.payload),
            "payload": self.payload,
        }
        object.__setattr__(self, "_json", built)  # frozen dataclass: cache beside the fields
        return built


def describe(kind: str, payload: dict[str, Any]) -> str:
    """One sentence a person can read in a subject line or a feed entry."""
    label = "EXERCISE DATA: " if payload.get("exercise") else ""
    item = payload.get("item") or "an item"
    if kind == "item.documented":
        what = ", ".join(
            str(v) for v in (payload.get("item_type"), payload.get("weapon_system")) if v
        )
        where = f" in {payload['country']}" if payload.get("country") else ""
        incident = f" (incident {payload['incident']})" if payload.get("incident") else ""
        makers = payload.get("manufacturers") or []
        tail = f"; parts by {len(makers)} identified maker(s)" if makers else ""
        what = f" ({what})" if what else ""
        return f"{label}New item {item}{what} documented{where}{incident}{tail}."
    if kind == "first_sighting":
        subject = payload.get("value") or payload.get("weapon_system") or "a weapon"
        if payload.get("aspect"):
            subject = f"{str(payload['aspect']).replace('_', ' ')} {subject}"
        where = f" in {payload['country']}" if payload.get("country") else ""
        return f"{label}First sighting of {subject}{where}: item {item}."
    if kind == "link.confirmed":
        items = payload.get("items") or []
        return f"{label}Link confirmed between items {' and '.join(map(str, items)) or '?'}."
    if kind == "sanctions.match":
        name = payload.get("company") or payload.get("name") or "a company"
        listed = payload.get("matched") or "a listed entity"
        return f"{label}Sanctions match: {name} matches {listed}."
    if kind == "trace.deadline":
        company = payload.get("company") or "a company"
        due = payload.get("due") or "soon"
        return f"{label}Trace request {payload.get('request') or ''} to {company} is due {due}."
    return f"{label}{kind} event."
