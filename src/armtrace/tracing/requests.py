"""Create, read and list trace requests.

Invariants:
- A request asks about at least one component, and every component named must exist; a request
  about exercise components is itself exercise data (and says so in its letter and listings).
- Creation is audited in the same transaction as the insert.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from armtrace.audit import record_change
from armtrace.refdata.countries import is_country_code
from armtrace.store import Store, tables
from armtrace.store.tables_tracing import trace_request_components, trace_requests
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import TraceRequest, find_row, load_request, snapshot
from armtrace.tracing.states import RECIPIENT_KINDS

DEFAULT_QUESTIONS = (
    "To whom did you sell or ship the components listed above (part number and lot or date code "
    "as marked), and on what date?",
    "What end user and end use were declared to you for that sale, and under which export "
    "licence or licence exception, if any, was it made?",
    "What else do you know about where these components went after that sale?",
)


@dataclass(frozen=True)
class Recipient:
    """Who a request goes to."""

    name: str
    kind: str
    country: str | None = None
    manufacturer_id: str | None = None


def create_request(
    store: Store,
    recipient: Recipient,
    *,
    actor: str,
    component_ids: Sequence[int] = (),
    item_key: str | None = None,
    component_keys: Sequence[str] = (),
    questions: Sequence[str] = (),
    key: str | None = None,
) -> TraceRequest:
    """Record a draft request to ``recipient`` about the given components."""
    _check_recipient(recipient)
    for attempt in range(3):
        try:
            return _create(
                store, recipient, actor, component_ids, item_key, component_keys, questions, key
            )
        except IntegrityError:
            # Another writer took the generated key between our read and our insert: retry.
            if key is not None or attempt == 2:
                raise TracingError(
                    "could not store the trace request: its key was taken at the same moment; "
                    "try again"
                ) from None
    raise AssertionError("unreachable")


def _create(
    store: Store,
    recipient: Recipient,
    actor: str,
    component_ids: Sequence[int],
    item_key: str | None,
    component_keys: Sequence[str],
    questions: Sequence[str],
    key: str | None,
) -> TraceRequest:
    with store.begin() as conn:
        ids = resolve_components(conn, component_ids, item_key, component_keys)
        key = key or _next_key(conn)
        if conn.execute(select(trace_requests.c.id).where(trace_requests.c.key == key)).first():
            raise TracingError(f"a trace request with key {key!r} already exists; pick another")
        now = datetime.now(UTC)
        request_id = conn.execute(
            insert(trace_requests)
            .values(
                key=key,
                recipient_name=recipient.name.strip(),
                recipient_kind=recipient.kind,
                recipient_country=recipient.country,
                manufacturer_id=recipient.manufacturer_id,
                state="draft",
                questions=json.dumps(list(questions or DEFAULT_QUESTIONS), ensure_ascii=False),
                exercise=_any_exercise(conn, ids),
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            .returning(trace_requests.c.id)
        ).scalar_one()
        conn.execute(
            insert(trace_request_components),
            [{"request_id": request_id, "component_id": cid} for cid in ids],
        )
        row = find_row(conn, request_id)
        after = snapshot(row) | {"component_ids": ids}
        record_change(
            conn, actor=actor, action="create", entity="trace_request", entity_key=key, after=after
        )
        return load_request(conn, row)


def get_request(store: Store, ref: str | int) -> TraceRequest:
    """One request by key (e.g. TR-0001) or numeric id."""
    with store.engine.connect() as conn:
        return load_request(conn, find_row(conn, ref))


def list_requests(
    store: Store,
    *,
    today: date | None = None,
    overdue_only: bool = False,
    state: str | None = None,
    item_key: str | None = None,
) -> list[TraceRequest]:
    """Requests oldest first, optionally only overdue ones (as of ``today``), one state or item."""
    today = today or date.today()
    query = select(trace_requests).order_by(trace_requests.c.id)
    if state is not None:
        query = query.where(trace_requests.c.state == state)
    if item_key is not None:
        c, i, trc = tables.components, tables.items, trace_request_components
        asked = (
            select(trc.c.request_id)
            .join(c, c.c.id == trc.c.component_id)
            .join(i, i.c.id == c.c.item_id)
            .where(i.c.key == item_key)
        )
        query = query.where(trace_requests.c.id.in_(asked))
    with store.engine.connect() as conn:
        found = [load_request(conn, row) for row in conn.execute(query).mappings()]
    if overdue_only:
        found = [r for r in found if r.overdue(today)]
    return found


def _check_recipient(recipient: Recipient) -> None:
    if not recipient.name.strip():
        raise TracingError("a trace request needs a recipient name")
    if recipient.kind not in RECIPIENT_KINDS:
        raise TracingError(
            f"recipient kind {recipient.kind!r} is not one of: {', '.join(RECIPIENT_KINDS)}"
        )
    if recipient.country is not None and not is_country_code(recipient.country):
        raise TracingError(
            f"recipient country {recipient.country!r} is not an ISO 3166-1 alpha-2 code (e.g. DE)"
        )


def resolve_components(
    conn: Connection, ids: Sequence[int], item_key: str | None, keys: Sequence[str]
) -> list[int]:
    """Component ids from ids and/or an item's component keys; every one must exist."""
    c, i = tables.components, tables.items
    found: list[int] = []
    if ids:
        known = set(conn.execute(select(c.c.id).where(c.c.id.in_(list(ids)))).scalars())
        missing = [str(x) for x in ids if x not in known]
        if missing:
            raise TracingError(f"no component with id {', '.join(missing)} in the store")
        found.extend(ids)
    if keys:
        if item_key is None:
            raise TracingError("component keys need the item they belong to (give item_key)")
        rows = conn.execute(
            select(c.c.key, c.c.id)
            .join(i, i.c.id == c.c.item_id)
            .where(i.c.key == item_key, c.c.key.in_(list(keys)))
        ).all()
        by_key = {r.key: int(r.id) for r in rows}
        missing = [k for k in keys if k not in by_key]
        if missing:
            raise TracingError(
                f"item {item_key}: no component {', '.join(missing)}; see its components with "
                f"armtrace summary {item_key}"
            )
        found.extend(by_key[k] for k in keys)
    unique = list(dict.fromkeys(found))
    if not unique:
        raise TracingError("a trace request must name at least one component")
    return unique


def _any_exercise(conn: Connection, ids: Sequence[int]) -> bool:
    c, i, n = tables.components, tables.items, tables.incidents
    flagged = conn.execute(
        select(func.count())
        .select_from(c.join(i, i.c.id == c.c.item_id).join(n, n.c.id == i.c.incident_id))
        .where(c.c.id.in_(list(ids)), n.c.exercise.is_(True))
    ).scalar_one()
    return bool(flagged)


def _next_key(conn: Connection) -> str:
    count = conn.execute(select(func.count()).select_from(trace_requests)).scalar_one()
    number = int(count) + 1
    while conn.execute(
        select(trace_requests.c.id).where(trace_requests.c.key == f"TR-{number:04d}")
    ).first():
        number += 1
    return f"TR-{number:04d}"
