"""Digests: deliveries of one period batched into one message per subscription.

Invariants:
- A digest delivery is due at the end of its period (the next full hour, or the next midnight
  UTC); until then it waits as ``pending``, so a restart loses nothing.
- A digest message lists every event it carries with its own id: receivers de-duplicate per
  event, whether the events came singly or in a digest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from armtrace.alerts.messages import Event, describe


def due_at(digest: str, now: datetime) -> datetime:
    """When a delivery made ``now`` goes out: now, or the end of its digest period."""
    now = now.astimezone(UTC)
    if digest == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if digest == "daily":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return now


def webhook_body(events: list[Event], subscription: dict[str, Any], digest: str) -> bytes:
    """The JSON a webhook receives: one event, or a digest of several."""
    sub = {k: subscription[k] for k in ("id", "user", "topic", "values")}
    if digest == "none" and len(events) == 1:
        body: dict[str, Any] = {**events[0].as_json(), "subscription": sub}
    else:
        ids = [e.event_id for e in events]
        body = {
            "id": "digest-" + hashlib.sha256(",".join(ids).encode()).hexdigest()[:32],
            "kind": "digest",
            "period": digest,
            "events": [e.as_json() for e in events],
            "subscription": sub,
        }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def email_text(events: list[Event], subscription: dict[str, Any], digest: str) -> tuple[str, str]:
    """Subject and plain-text body of an e-mail carrying one event or a digest."""
    follows = f"{subscription['topic']} {', '.join(subscription['values'])}".strip()
    if digest == "none" and len(events) == 1:
        event = events[0]
        subject = f"[armtrace] {describe(event.kind, event.payload)}"
        lines = [describe(event.kind, event.payload), ""]
        lines += _event_lines(event)
    else:
        subject = f"[armtrace] {digest} digest: {len(events)} new event(s) for {follows}"
        lines = [f"{len(events)} event(s) for your subscription to {follows}:", ""]
        for event in events:
            lines += [
                f"- {describe(event.kind, event.payload)}",
                *[f"  {x}" for x in _event_lines(event)],
            ]
    lines += ["", f"You get this because you follow {follows} (subscription {subscription['id']})."]
    lines += ["A part in a weapon is context, not proof of wrongdoing by its maker."]
    return subject[:200], "\n".join(lines) + "\n"


def _event_lines(event: Event) -> list[str]:
    lines = [
        f"event id: {event.event_id}",
        f"kind: {event.kind}",
        f"at: {event.created_at.isoformat()}",
    ]
    for key in sorted(event.payload):
        value = event.payload[key]
        if isinstance(value, list):
            value = ", ".join(map(str, value)) if value else "(none identified yet)"
        lines.append(f"{key}: {value if value not in (None, '') else '(unknown)'}")
    return lines
