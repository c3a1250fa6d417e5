"""Trace-request deadlines as alert events, found by a periodic check.

Invariants:
- One event per request, due date and stage ("due_soon", then "overdue"): a notice already in
  the outbox is never emitted again, however often the check runs.
- The tracing library is imported lazily: alerts work without it, and the check says so.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from armtrace.alerts.outbox import emit_many
from armtrace.store import Store
from armtrace.store.tables_alerts import alert_events

WARN_DAYS = 3


def check_trace_deadlines(store: Store, *, today: date | None = None) -> int:
    """Emit trace.deadline events for requests due within WARN_DAYS or overdue; returns count."""
    try:
        from armtrace.tracing.requests import list_requests
    except ImportError:  # the tracing module is optional for alerts
        return 0
    today = today or date.today()
    notices: list[dict[str, Any]] = []
    for request in list_requests(store, today=today):
        due = request.answer_due
        if due is None or request.state not in ("sent", "acknowledged"):
            continue
        stage = "overdue" if request.overdue(today) else "due_soon"
        if stage == "due_soon" and due - today > timedelta(days=WARN_DAYS):
            continue
        notices.append(
            {
                "notice": f"{request.key}:{due.isoformat()}:{stage}",
                "request": request.key,
                "stage": stage,
                "due": due.isoformat(),
                "company": request.recipient_name,
                "manufacturer": request.manufacturer_id,
                "recipient_country": request.recipient_country,
                "exercise": request.exercise,
            }
        )
    if not notices:
        return 0
    with store.begin() as conn:
        seen = {
            json.loads(payload).get("notice")
            for payload in conn.execute(
                select(alert_events.c.payload).where(alert_events.c.kind == "trace.deadline")
            ).scalars()
        }
        fresh = [n for n in notices if n["notice"] not in seen]
        return emit_many(conn, [("trace.deadline", n) for n in fresh])
