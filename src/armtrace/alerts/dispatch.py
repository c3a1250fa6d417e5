"""Fan-out: claim outbox events and write one delivery per matching subscription.

Invariants:
- Claiming events, enriching them, writing their deliveries and marking them dispatched happen
  in ONE transaction: a worker killed half-way leaves the events undispatched and no deliveries,
  and the next worker does the whole batch again. Nothing is lost and nothing is doubled (the
  (subscription, event) unique constraint would refuse a second delivery anyway).
- PostgreSQL workers claim with ``FOR UPDATE SKIP LOCKED`` so several run side by side; SQLite
  has one writer at a time and the claiming UPDATE is the first statement, taking the write lock.
- Feed deliveries are ``sent`` at once: the feed reads them from the store.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Connection, insert, select, update

from armtrace.alerts.digest import due_at
from armtrace.alerts.matching import KeyIndex, event_keys, match_events
from armtrace.alerts.messages import Event
from armtrace.markings.identify import identify
from armtrace.store import Store, tables
from armtrace.store.tables_alerts import alert_deliveries, alert_events, alert_subscriptions


def dispatch(
    store: Store, *, worker_id: str, batch: int = 200, index: KeyIndex | None = None
) -> int:
    """Fan out up to ``batch`` undispatched events; returns how many were dispatched.

    With ``index`` (a worker's in-memory copy of the match keys) matching costs no query.
    """
    now = datetime.now(UTC)
    with store.begin() as conn:
        events = _claim(conn, worker_id, batch)
        if not events:
            return 0
        events = _enrich(conn, events)
        keyed = [(e.row_id, event_keys(e.kind, e.payload)) for e in events]
        reached = index.match(conn, keyed) if index is not None else match_events(conn, keyed)
        plans = _subscription_plans(conn, {s for subs in reached.values() for s in subs})
        rows = []
        for event in events:
            for subscription_id in sorted(reached.get(event.row_id, ())):
                if subscription_id not in plans:
                    continue  # cancelled while this batch was matched
                channel, digest = plans[subscription_id]
                feed_only = channel == "feed"
                rows.append(
                    {
                        "subscription_id": subscription_id,
                        "event_id": event.row_id,
                        "state": "sent" if feed_only else "pending",
                        "attempts": 0,
                        "next_attempt_at": due_at(digest, now),
                        "created_at": now,
                        "sent_at": now if feed_only else None,
                    }
                )
        if rows:
            conn.execute(insert(alert_deliveries), rows)
        conn.execute(
            update(alert_events)
            .where(alert_events.c.id.in_([e.row_id for e in events]))
            .values(dispatched_at=now)
        )
    return len(events)


def _claim(conn: Connection, worker_id: str, batch: int) -> list[Event]:
    t = alert_events
    pending = (
        select(t.c.id)
        .where(t.c.dispatched_at.is_(None))
        .order_by(t.c.id)
        .limit(batch)
        .with_for_update(skip_locked=True)  # SQLite ignores it: its write lock serialises
    )
    claimed = conn.execute(
        update(t)
        .where(t.c.id.in_(pending.scalar_subquery()))
        .values(dispatched_by=worker_id)
        .returning(t.c.id, t.c.event_id, t.c.kind, t.c.payload, t.c.created_at)
    )
    return sorted((Event.from_row(row._mapping) for row in claimed), key=lambda e: e.row_id)


def _subscription_plans(conn: Connection, ids: set[int]) -> dict[int, tuple[str, str]]:
    t = alert_subscriptions
    plans: dict[int, tuple[str, str]] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        query = select(t.c.id, t.c.channel, t.c.digest).where(
            t.c.id.in_(ordered[start : start + 900]), t.c.cancelled_at.is_(None)
        )
        plans.update({int(i): (channel, digest) for i, channel, digest in conn.execute(query)})
    return plans


@lru_cache(maxsize=50_000)
def _identify(marking: str) -> tuple[str | None, str | None]:
    found = identify(marking)
    maker = found.manufacturer.id if found.manufacturer is not None else None
    return maker, found.parsed.part_number


def _enrich(conn: Connection, events: list[Event]) -> list[Event]:
    """Add the makers and part numbers identified so far to item.documented events.

    The import emits these events without them, to keep its hot path at one row per item; one
    indexed query per batch here fills them in from components and readings.
    """
    wanted = {
        str(e.payload.get("item")): e
        for e in events
        if e.kind == "item.documented" and "manufacturers" not in e.payload
    }
    if not wanted:
        return events
    comp, it, inc, rd = tables.components, tables.items, tables.incidents, tables.readings
    query = (
        select(
            it.c.key,
            inc.c.exercise,
            comp.c.marking,
            comp.c.manufacturer,
            rd.c.component_id,
            rd.c.manufacturer_id,
            rd.c.part_number,
        )
        .select_from(
            it.join(inc, inc.c.id == it.c.incident_id)
            .outerjoin(comp, comp.c.item_id == it.c.id)
            .outerjoin(rd, rd.c.component_id == comp.c.id)
        )
        .where(it.c.key.in_(list(wanted)))
    )
    makers: dict[str, set[str]] = {key: set() for key in wanted}
    parts: dict[str, set[str]] = {key: set() for key in wanted}
    exercise: set[str] = set()
    for key, is_exercise, marking, typed_maker, read, maker_id, part_number in conn.execute(query):
        if is_exercise:
            exercise.add(key)  # the stored label wins over a sheet that left it out
        if read is None and marking:
            # Not identified yet (a fresh import): read the typed marking the way
            # identify_components will, so makers and part numbers can be followed at once.
            maker_id, part_number = _identify(marking)
        makers[key].update(m for m in (typed_maker, maker_id) if m)
        if part_number:
            parts[key].add(part_number)
    enriched: list[Event] = []
    for event in events:
        key = str(event.payload.get("item"))
        if key not in wanted or wanted[key] is not event:
            enriched.append(event)
            continue
        payload = {
            **event.payload,
            "manufacturers": sorted(makers[key]),
            "part_numbers": sorted(parts[key]),
            "exercise": bool(event.payload.get("exercise")) or key in exercise,
        }
        conn.execute(
            update(alert_events)
            .where(alert_events.c.id == event.row_id)
            .values(payload=json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))
        )
        enriched.append(Event(event.row_id, event.event_id, event.kind, payload, event.created_at))
    return enriched
