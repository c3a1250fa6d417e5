"""The transactional outbox: events written in the caller's transaction.

Invariants:
- ``emit`` never commits: the event lands with the change that caused it, or not at all, so a
  crash can never lose an event for a committed change nor announce a rolled-back one.
- Every event has a UUID (``event_id``) that receivers use to drop repeats.
- The payload is a JSON object; dates and other values JSON lacks are written as strings.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, text

from armtrace.errors import ArmtraceError
from armtrace.store.dialect import is_postgres
from armtrace.store.tables_alerts import alert_events

# What an event can announce; subscriptions match on the fields each kind's payload carries.
KINDS = (
    "item.documented",  # item, incident, country, weapon_system, item_type, manufacturers, parts
    "first_sighting",  # item, weapon_system (or item_type), country, incident
    "link.confirmed",  # items: [item_a, item_b], verdict
    "sanctions.match",  # name, matched entity, score, manufacturer / company
    "trace.deadline",  # request key, company, item, due date
)

# PostgreSQL wakes a listening worker at commit; SQLite workers poll.
NOTIFY_CHANNEL = "armtrace_alerts"


class AlertError(ArmtraceError):
    """An alert, subscription or delivery request is malformed or cannot be carried out."""


def emit(conn: Connection, kind: str, payload: Mapping[str, Any]) -> None:
    """Write one event into the outbox inside the caller's open transaction."""
    emit_many(conn, [(kind, payload)])


def emit_many(conn: Connection, events: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
    """Write several events in one statement (the import path); returns how many."""
    now = datetime.now(UTC)
    rows = [
        {
            "event_id": str(uuid.uuid4()),
            "kind": _checked_kind(kind),
            "payload": _payload_json(kind, payload),
            "created_at": now,
        }
        for kind, payload in events
    ]
    if not rows:
        return 0
    conn.execute(insert(alert_events), rows)
    if is_postgres(conn):
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})
    return len(rows)


def _checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise AlertError(f"unknown alert kind {kind!r}: use one of {', '.join(KINDS)}")
    return kind


def _payload_json(kind: str, payload: Mapping[str, Any]) -> str:
    if not isinstance(payload, Mapping):
        raise AlertError(f"the payload of a {kind} event must be a JSON object (a dict)")
    return json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, default=str)
