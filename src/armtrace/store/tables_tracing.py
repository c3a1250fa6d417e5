"""Trace requests, answers, disclosure terms and custody chains.

Tables registered on the store's metadata (migration 0007 builds them).

Invariants:
- A request's ``state`` only moves along the transitions in ``armtrace.tracing.states``; the date
  of each step is kept in its own column, so the history survives later steps.
- Overdue and a lapsed right of reply are never stored as a deadline: they are derived from the
  step dates and a ``today``; ``reply_lapsed`` is stored only when an analyst records the lapse.
- Company names are kept as written; ``company_key`` is their normalised form for look-ups.
- A custody transfer names its source request when an answer documented it; none when an analyst
  entered it from another document.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    func,
)

from armtrace.store.tables import BigId, metadata

trace_requests = Table(
    "trace_requests",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(60), nullable=False, unique=True),
    Column("recipient_name", Text, nullable=False),
    Column("recipient_kind", String(30), nullable=False),
    Column("recipient_country", String(2)),
    Column("manufacturer_id", String(100)),  # registry id when the recipient is a maker
    Column("state", String(20), nullable=False, server_default="draft", index=True),
    Column("questions", Text, nullable=False),  # JSON list of the questions asked
    Column("exercise", Boolean, nullable=False, server_default="0"),
    Column("sent_on", Date),
    Column("acknowledged_on", Date),
    Column("answered_on", Date),
    Column("refused_on", Date),
    Column("refusal_text", Text),
    # Right of reply on the summary the team will publish: null until the summary is sent.
    Column("reply_state", String(20)),
    Column("reply_summary", Text),
    Column("reply_sent_on", Date),
    Column("replied_on", Date),
    Column("reply_text", Text),
    Column("reply_lapsed_on", Date),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

trace_request_components = Table(
    "trace_request_components",
    metadata,
    Column("request_id", BigId, ForeignKey("trace_requests.id"), primary_key=True),
    Column("component_id", BigId, ForeignKey("components.id"), primary_key=True, index=True),
)

trace_answers = Table(
    "trace_answers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("request_id", BigId, ForeignKey("trace_requests.id"), nullable=False, index=True),
    Column("received_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("document_sha256", String(64), ForeignKey("evidence.sha256")),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

disclosure_terms = Table(
    "disclosure_terms",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("company_key", String(300), nullable=False, index=True),
    Column("company_name", Text, nullable=False),
    Column("company_kind", String(30)),
    Column("company_country", String(2)),
    Column("request_id", BigId, ForeignKey("trace_requests.id")),
    Column("may_name_publicly", Boolean, nullable=False),
    Column("may_name_after", Date),
    Column("answer_confidential", Boolean, nullable=False),
    Column("public_label", Text),  # e.g. "a distributor in Hong Kong"; derived when empty
    Column("note", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

custody_transfers = Table(
    "custody_transfers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("from_company", Text, nullable=False),
    Column("from_country", String(2)),
    Column("to_company", Text, nullable=False),
    Column("to_country", String(2)),
    Column("transfer_date", Date),  # unknown stays null
    Column("lot", Text),
    Column("document_sha256", String(64), ForeignKey("evidence.sha256")),
    Column("request_id", BigId, ForeignKey("trace_requests.id"), index=True),
    Column("exercise", Boolean, nullable=False, server_default="0"),
    Column("note", Text),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

transfer_components = Table(
    "transfer_components",
    metadata,
    Column("transfer_id", BigId, ForeignKey("custody_transfers.id"), primary_key=True),
    Column("component_id", BigId, ForeignKey("components.id"), primary_key=True, index=True),
)

# An analyst's mark of where a chain left legitimate trade; the system's suggestion is not stored.
diversion_marks = Table(
    "diversion_marks",
    metadata,
    Column("transfer_id", BigId, ForeignKey("custody_transfers.id"), primary_key=True),
    Column("last_legitimate_custodian", Text, nullable=False),
    Column("note", Text),
    Column("marked_by", Text, nullable=False),
    Column("marked_at", DateTime(timezone=True), nullable=False),
)
