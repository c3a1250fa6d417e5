"""The per-user Atom feed (RFC 4287) and the secret that opens it, plus the event history.

Invariants:
- A user's feed holds every event delivered to any of their subscriptions, newest first, each
  entry identified by ``urn:uuid:<event id>`` so feed readers drop repeats themselves.
- Feed readers cannot log in, so a feed may also be opened by a per-user secret; only its
  SHA-256 is stored, and making a new one replaces the old one (audited).
"""

from __future__ import annotations

import hashlib
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from armtrace.alerts.messages import Event, describe
from armtrace.audit import record_change
from armtrace.store import Store
from armtrace.store.tables_alerts import (
    alert_deliveries,
    alert_events,
    alert_feed_keys,
    alert_subscriptions,
)

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class HistoryEntry:
    """One event with how its deliveries stand."""

    event: Event
    dispatched: bool
    deliveries: dict[str, int]  # state -> count

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            **self.event.as_json(),
            "dispatched": self.dispatched,
            "deliveries": self.deliveries,
        }


def user_events(store: Store, user_name: str, *, limit: int = 100) -> list[Event]:
    """Events delivered to any of ``user_name``'s subscriptions, newest first."""
    d, e, s = alert_deliveries, alert_events, alert_subscriptions
    mine = (
        select(d.c.event_id)
        .join(s, s.c.id == d.c.subscription_id)
        .where(s.c.user_name == user_name)
        .distinct()
    )
    query = select(e).where(e.c.id.in_(mine)).order_by(e.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        return [Event.from_row(row._mapping) for row in conn.execute(query)]


def atom_feed(store: Store, user_name: str, *, base_url: str = "", limit: int = 100) -> str:
    """The user's Atom feed as XML text."""
    events = user_events(store, user_name, limit=limit)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"urn:armtrace:alerts:{hashlib.sha256(user_name.encode()).hexdigest()[:16]}")
    _text(feed, "title", f"armtrace alerts for {user_name}")
    updated = events[0].created_at if events else datetime(1970, 1, 1, tzinfo=UTC)
    _text(feed, "updated", _iso(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "armtrace")
    if base_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base_url)
    for event in events:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:uuid:{event.event_id}")
        _text(entry, "title", describe(event.kind, event.payload))
        _text(entry, "updated", _iso(event.created_at))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=event.kind)
        lines = [f"{k}: {v}" for k, v in sorted(event.payload.items())]
        _text(entry, "content", "\n".join(lines)).set("type", "text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def new_feed_key(store: Store, user_name: str, *, actor: str) -> str:
    """Make (or replace) the secret that opens ``user_name``'s feed; returned only now."""
    secret = secrets.token_urlsafe(24)
    with store.begin() as conn:
        conn.execute(delete(alert_feed_keys).where(alert_feed_keys.c.user_name == user_name))
        conn.execute(
            insert(alert_feed_keys).values(
                user_name=user_name, secret_sha256=_hash(secret), created_at=datetime.now(UTC)
            )
        )
        record_change(
            conn, actor=actor, action="new_feed_key", entity="alert_feed", entity_key=user_name
        )
    return secret


def user_for_feed_key(store: Store, secret: str) -> str | None:
    """The user whose feed this secret opens, or None."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(alert_feed_keys.c.user_name).where(
                alert_feed_keys.c.secret_sha256 == _hash(secret)
            )
        ).scalar_one_or_none()
    return str(found) if found is not None else None


def history(
    store: Store, *, user_name: str | None = None, kind: str | None = None, limit: int = 50
) -> list[HistoryEntry]:
    """Recent events, newest first, with delivery counts by state (of one user, optionally)."""
    d, e, s = alert_deliveries, alert_events, alert_subscriptions
    query = select(e).order_by(e.c.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(e.c.kind == kind)
    if user_name is not None:
        mine = select(d.c.event_id).join(s, s.c.id == d.c.subscription_id)
        query = query.where(e.c.id.in_(mine.where(s.c.user_name == user_name)))
    with store.engine.connect() as conn:
        rows = [row._mapping for row in conn.execute(query)]
        counts: dict[int, dict[str, int]] = {}
        ids = [int(row["id"]) for row in rows]
        if ids:
            tally = select(d.c.event_id, d.c.state, func.count()).where(d.c.event_id.in_(ids))
            if user_name is not None:
                tally = tally.join(s, s.c.id == d.c.subscription_id).where(
                    s.c.user_name == user_name
                )
            for event_id, state, n in conn.execute(tally.group_by(d.c.event_id, d.c.state)):
                counts.setdefault(int(event_id), {})[state] = int(n)
    return [
        HistoryEntry(
            Event.from_row(row), row["dispatched_at"] is not None, counts.get(int(row["id"]), {})
        )
        for row in rows
    ]


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    child.text = value
    return child


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
