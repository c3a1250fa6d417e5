"""Move a trace request along its states: send, acknowledge, answer, refuse, right of reply.

Invariants:
- Each function validates the transition (``armtrace.tracing.states``), checks the step's date
  (not in the future, not before the previous step), updates the row, stores any answer document
  as evidence and writes the audit entry, all in one transaction.
- ``today`` defaults to the real date; tests and back-dated entries pass their own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from armtrace.audit import record_change
from armtrace.evidence.records import add_evidence
from armtrace.store import Store, tables
from armtrace.store.tables_tracing import trace_answers, trace_requests
from armtrace.tracing import states
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import TraceRequest, find_row, load_request, snapshot


def send(
    store: Store, ref: str | int, *, actor: str, on: date | None = None, today: date | None = None
) -> TraceRequest:
    """Mark a draft request as sent on ``on``; its 28-day answer deadline starts then."""
    return _step(store, ref, "send", actor=actor, on=on, today=today, date_column="sent_on")


def acknowledge(
    store: Store, ref: str | int, *, actor: str, on: date | None = None, today: date | None = None
) -> TraceRequest:
    """Record that the recipient confirmed receipt."""
    return _step(
        store, ref, "acknowledge", actor=actor, on=on, today=today, date_column="acknowledged_on"
    )


def answer(
    store: Store,
    ref: str | int,
    *,
    text: str,
    actor: str,
    on: date | None = None,
    document: Path | None = None,
    document_sha256: str | None = None,
    today: date | None = None,
) -> TraceRequest:
    """Record what the recipient said (and the document it came in) on ``on``."""
    if not text.strip():
        raise TracingError("an answer needs its text: what the recipient said")
    today = today or date.today()
    received = on or today
    with store.begin() as conn:
        row = find_row(conn, ref, for_update=True)
        target = states.next_state("answer", row["key"], row["state"])
        states.check_step_date(
            row["key"],
            "answer",
            received,
            after=row["acknowledged_on"] or row["sent_on"],
            today=today,
        )
        sha = _document(conn, store, row["key"], document, document_sha256, actor)
        conn.execute(
            insert(trace_answers).values(
                request_id=row["id"],
                received_on=received,
                text=text.strip(),
                document_sha256=sha,
                recorded_by=actor,
                recorded_at=datetime.now(UTC),
            )
        )
        first = row["answered_on"] or received
        return _write(
            conn,
            row,
            actor,
            "answer",
            {"state": target, "answered_on": first},
            extra={
                "answer": {
                    "received_on": received.isoformat(),
                    "text": text,
                    "document_sha256": sha,
                }
            },
        )


def refuse(
    store: Store,
    ref: str | int,
    *,
    text: str,
    actor: str,
    on: date | None = None,
    today: date | None = None,
) -> TraceRequest:
    """Record that the recipient declined to answer, with what they said."""
    return _step(
        store,
        ref,
        "refuse",
        actor=actor,
        on=on,
        today=today,
        date_column="refused_on",
        values={"refusal_text": text.strip() or None},
    )


def send_for_reply(
    store: Store,
    ref: str | int,
    *,
    summary: str,
    actor: str,
    on: date | None = None,
    today: date | None = None,
) -> TraceRequest:
    """Send the recipient the summary the team will publish; their 28 days to reply start."""
    if not summary.strip():
        raise TracingError("the right of reply needs the summary the team will publish")
    return _reply_step(
        store,
        ref,
        "send_for_reply",
        actor=actor,
        on=on,
        today=today,
        date_column="reply_sent_on",
        values={"reply_summary": summary.strip()},
    )


def record_reply(
    store: Store,
    ref: str | int,
    *,
    text: str,
    actor: str,
    on: date | None = None,
    today: date | None = None,
) -> TraceRequest:
    """Record the recipient's reply to the summary (a late reply is kept, and shows as late)."""
    if not text.strip():
        raise TracingError("a reply needs its text: what the recipient said about the summary")
    return _reply_step(
        store,
        ref,
        "record_reply",
        actor=actor,
        on=on,
        today=today,
        date_column="replied_on",
        values={"reply_text": text.strip()},
    )


def lapse_reply(
    store: Store, ref: str | int, *, actor: str, today: date | None = None
) -> TraceRequest:
    """Record that the 28-day right of reply ran out without a reply."""
    today = today or date.today()
    with store.engine.connect() as conn:
        row = find_row(conn, ref)
    sent_on = row["reply_sent_on"]
    if row["reply_state"] == "reply_sent" and sent_on and today <= states.reply_due(sent_on):
        raise TracingError(
            f"trace request {row['key']}: the right of reply runs until "
            f"{states.reply_due(sent_on).isoformat()}; it cannot lapse before then"
        )
    return _reply_step(
        store, ref, "lapse_reply", actor=actor, on=today, today=today, date_column="reply_lapsed_on"
    )


def _step(
    store: Store,
    ref: str | int,
    action: str,
    *,
    actor: str,
    on: date | None,
    today: date | None,
    date_column: str,
    values: dict[str, Any] | None = None,
) -> TraceRequest:
    today = today or date.today()
    when = on or today
    with store.begin() as conn:
        row = find_row(conn, ref, for_update=True)
        target = states.next_state(action, row["key"], row["state"])
        previous = row["acknowledged_on"] or row["sent_on"]
        states.check_step_date(row["key"], action, when, after=previous, today=today)
        changes = {"state": target, date_column: when} | (values or {})
        return _write(conn, row, actor, action, changes)


def _reply_step(
    store: Store,
    ref: str | int,
    action: str,
    *,
    actor: str,
    on: date | None,
    today: date | None,
    date_column: str,
    values: dict[str, Any] | None = None,
) -> TraceRequest:
    today = today or date.today()
    when = on or today
    with store.begin() as conn:
        row = find_row(conn, ref, for_update=True)
        target = states.next_reply_state(action, row["key"], row["state"], row["reply_state"])
        previous = row["reply_sent_on"] or row["answered_on"] or row["refused_on"]
        states.check_step_date(
            row["key"], action.replace("_", " "), when, after=previous, today=today
        )
        changes = {"reply_state": target, date_column: when} | (values or {})
        return _write(conn, row, actor, action, changes)


def _write(
    conn: Connection,
    row: Any,
    actor: str,
    action: str,
    changes: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
) -> TraceRequest:
    conn.execute(
        update(trace_requests)
        .where(trace_requests.c.id == row["id"])
        .values(**changes, updated_at=datetime.now(UTC))
    )
    fresh = find_row(conn, row["id"])
    record_change(
        conn,
        actor=actor,
        action=action,
        entity="trace_request",
        entity_key=row["key"],
        before=snapshot(row),
        after=snapshot(fresh) | (extra or {}),
    )
    return load_request(conn, fresh)


def _document(
    conn: Connection,
    store: Store,
    key: str,
    document: Path | None,
    sha256: str | None,
    actor: str,
) -> str | None:
    if document is not None:
        stored = add_evidence(
            conn, store.evidence, document, actor=actor, detail=f"answer to trace request {key}"
        )
        return stored.sha256
    if sha256 is not None:
        known = conn.execute(
            select(tables.evidence.c.sha256).where(tables.evidence.c.sha256 == sha256)
        ).first()
        if known is None:
            raise TracingError(
                f"trace request {key}: no evidence {sha256} in the store; add the document with "
                "armtrace evidence add FILE first"
            )
    return sha256
