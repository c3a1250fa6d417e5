"""First sightings as alert events, found by a periodic check of the attribution library.

Invariants:
- One event per first sighting (aspect, value, country, first item): a notice already in the
  outbox is never emitted again, however often the check runs.
- The first run on a store with history announces every first sighting it finds once; later
  runs announce only new ones.
- The attribution library is imported lazily: alerts work without it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from armtrace.alerts.outbox import emit_many
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_events

# The payload field each aspect fills, so followers of that subject hear of it.
_FIELD = {
    "weapon_system": "weapon_system",
    "manufacturer": "manufacturer",
    "item_type": "item_type",
}


def check_first_sightings(store: Store) -> int:
    """Emit first_sighting events not yet announced; returns how many."""
    try:
        from armtrace.attribution.sightings import first_sightings
    except ImportError:  # the attribution module is optional for alerts
        return 0
    notices: list[dict[str, Any]] = []
    for sighting in first_sightings(store):
        data = sighting.as_json()
        payload: dict[str, Any] = {
            "notice": f"{sighting.aspect}:{sighting.value.casefold()}:{sighting.country}:"
            f"{sighting.item_key}",
            "aspect": sighting.aspect,
            "value": sighting.value,
            "item": sighting.item_key,
            "incident": sighting.incident_key,
            "country": sighting.country,
            "first_seen": data["first_seen"],
            "exercise": sighting.exercise,
            "why": sighting.why,
        }
        if sighting.aspect in _FIELD:
            payload[_FIELD[sighting.aspect]] = sighting.value
        notices.append(payload)
    if not notices:
        return 0
    with store.begin() as conn:
        seen = {
            json.loads(payload).get("notice")
            for payload in conn.execute(
                select(alert_events.c.payload).where(alert_events.c.kind == "first_sighting")
            ).scalars()
        }
        fresh = [n for n in notices if n["notice"] not in seen]
        return emit_many(conn, [("first_sighting", n) for n in fresh])
