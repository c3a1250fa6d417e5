"""Trace requests as read from the store, with their derived deadlines.

Invariants: these are plain read models; every value derived from a date (due dates, overdue, a
lapsed right of reply) is computed against the ``today`` the caller passes, never stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from armtrace.errors import NotFound
from armtrace.store import tables
from armtrace.store.tables_tracing import trace_answers, trace_request_components, trace_requests
from armtrace.tracing import states


@dataclass(frozen=True)
class ComponentRef:
    """A component a request asks about."""

    id: int
    item_key: str
    key: str
    marking: str | None
    description: str | None
    photo_sha256: str | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Answer:
    """What a recipient said, when, and the document that carries it."""

    id: int
    received_on: date
    text: str
    document_sha256: str | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "id": self.id,
            "received_on": self.received_on.isoformat(),
            "text": self.text,
            "document_sha256": self.document_sha256,
        }


@dataclass(frozen=True)
class TraceRequest:
    """One request to one recipient about one or more components."""

    id: int
    key: str
    recipient_name: str
    recipient_kind: str
    recipient_country: str | None
    manufacturer_id: str | None
    state: str
    questions: tuple[str, ...]
    exercise: bool
    sent_on: date | None
    acknowledged_on: date | None
    answered_on: date | None
    refused_on: date | None
    refusal_text: str | None
    reply_state: str | None
    reply_summary: str | None
    reply_sent_on: date | None
    replied_on: date | None
    reply_text: str | None
    reply_lapsed_on: date | None
    components: tuple[ComponentRef, ...]
    answers: tuple[Answer, ...]

    @property
    def answer_due(self) -> date | None:
        """The last day an answer is on time (None until the request is sent)."""
        return states.answer_due(self.sent_on) if self.sent_on else None

    @property
    def reply_due(self) -> date | None:
        """The last day of the right of reply (None until the summary is sent)."""
        return states.reply_due(self.reply_sent_on) if self.reply_sent_on else None

    def overdue(self, today: date) -> bool:
        """True when the request is past its 28 days without an answer or refusal."""
        return states.is_overdue(self.state, self.sent_on, today)

    def reply_status(self, today: date) -> str | None:
        """The right-of-reply state as of ``today`` (reply_lapsed once the 28 days ran out)."""
        return states.effective_reply_state(self.reply_state, self.reply_sent_on, today)

    def describe(self, today: date) -> str:
        """One line: exercise label, key, recipient, state, deadline, right of reply."""
        label = "EXERCISE " if self.exercise else ""
        due = f", answer due {self.answer_due}" if self.answer_due else ""
        late = ", OVERDUE" if self.overdue(today) else ""
        reply = f", right of reply: {self.reply_status(today)}" if self.reply_state else ""
        return f"{label}trace request {self.key} to {self.recipient_name}: {self.state}{due}" + (
            f"{late}{reply}"
        )

    def as_json(self, today: date) -> dict[str, Any]:
        """Plain JSON values, deadlines computed for ``today``."""
        return {
            "id": self.id,
            "key": self.key,
            "exercise": self.exercise,
            "recipient": {
                "name": self.recipient_name,
                "kind": self.recipient_kind,
                "country": self.recipient_country,
                "manufacturer_id": self.manufacturer_id,
            },
            "state": self.state,
            "overdue": self.overdue(today),
            "answer_due": _iso(self.answer_due),
            "questions": list(self.questions),
            "sent_on": _iso(self.sent_on),
            "acknowledged_on": _iso(self.acknowledged_on),
            "answered_on": _iso(self.answered_on),
            "refused_on": _iso(self.refused_on),
            "refusal_text": self.refusal_text,
            "reply": {
                "state": self.reply_status(today),
                "summary": self.reply_summary,
                "sent_on": _iso(self.reply_sent_on),
                "due": _iso(self.reply_due),
                "replied_on": _iso(self.replied_on),
                "text": self.reply_text,
                "lapsed_on": _iso(self.reply_lapsed_on),
            },
            "components": [c.as_json() for c in self.components],
            "answers": [a.as_json() for a in self.answers],
            "as_of": today.isoformat(),
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def snapshot(row: Any) -> dict[str, Any]:
    """The stored columns of a request row, for the audit trail."""
    skip = {"created_at", "updated_at"}
    return {k: v for k, v in dict(row).items() if k not in skip}


def find_row(conn: Connection, ref: str | int, *, for_update: bool = False) -> Any:
    """The request row with this key or numeric id, or NotFound."""
    query = select(trace_requests)
    text = str(ref)
    # ASCII digits only ("¹".isdigit() holds, int() refuses it), and at most 18 of them: no id
    # reaches 2**63, and a longer number would overflow the driver instead of finding nothing.
    if text.isascii() and text.isdigit() and len(text) <= 18:
        query = query.where(trace_requests.c.id == int(text))
    else:
        query = query.where(trace_requests.c.key == text)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"no trace request {ref!r}; list them with: armtrace trace list")
    return row


def load_request(conn: Connection, row: Any) -> TraceRequest:
    """A full request (components and answers) from its row."""
    c, i = tables.components, tables.items
    comps = conn.execute(
        select(
            c.c.id,
            i.c.key.label("item_key"),
            c.c.key,
            c.c.marking,
            c.c.description,
            c.c.photo_sha256,
        )
        .join(trace_request_components, trace_request_components.c.component_id == c.c.id)
        .join(i, i.c.id == c.c.item_id)
        .where(trace_request_components.c.request_id == row["id"])
        .order_by(i.c.key, c.c.id)
    ).mappings()
    answers = conn.execute(
        select(trace_answers)
        .where(trace_answers.c.request_id == row["id"])
        .order_by(trace_answers.c.received_on, trace_answers.c.id)
    ).mappings()
    return TraceRequest(
        id=int(row["id"]),
        key=row["key"],
        recipient_name=row["recipient_name"],
        recipient_kind=row["recipient_kind"],
        recipient_country=row["recipient_country"],
        manufacturer_id=row["manufacturer_id"],
        state=row["state"],
        questions=tuple(json.loads(row["questions"])),
        exercise=bool(row["exercise"]),
        sent_on=row["sent_on"],
        acknowledged_on=row["acknowledged_on"],
        answered_on=row["answered_on"],
        refused_on=row["refused_on"],
        refusal_text=row["refusal_text"],
        reply_state=row["reply_state"],
        reply_summary=row["reply_summary"],
        reply_sent_on=row["reply_sent_on"],
        replied_on=row["replied_on"],
        reply_text=row["reply_text"],
        reply_lapsed_on=row["reply_lapsed_on"],
        components=tuple(
            ComponentRef(
                int(r["id"]),
                r["item_key"],
                r["key"],
                r["marking"],
                r["description"],
                r["photo_sha256"],
            )
            for r in comps
        ),
        answers=tuple(
            Answer(int(r["id"]), r["received_on"], r["text"], r["document_sha256"]) for r in answers
        ),
    )
