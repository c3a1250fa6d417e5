"""Custody transfers from trace answers, the companies in them, and analysts' diversion marks.

Invariants:
- A transfer moves named components (or a batch of them) from one company to another; its date
  stays unknown (None) when no document gives it. One documented by an answer names its request,
  which must be answered; its components default to the request's components.
- A diversion mark is an analyst's decision about one transfer, kept apart from the system's
  suggestion (``armtrace.tracing.chains``); the last legitimate custodian it names is one of the
  two parties of that transfer. Every write is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from armtrace.audit import record_change
from armtrace.errors import NotFound
from armtrace.evidence.records import add_evidence
from armtrace.refdata.countries import is_country_code
from armtrace.refdata.names import normalise_company_name
from armtrace.store import Store, tables
from armtrace.store.tables_tracing import (
    custody_transfers,
    diversion_marks,
    trace_request_components,
    transfer_components,
)
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import find_row
from armtrace.tracing.requests import resolve_components


@dataclass(frozen=True)
class ChainCompany:
    """A company that appears in a custody chain, for sanctions screening."""

    name: str
    country: str | None
    key: str
    received_on: date | None = None  # the latest documented date it received goods, if known

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        received = self.received_on.isoformat() if self.received_on else None
        return {
            "name": self.name,
            "country": self.country,
            "key": self.key,
            "received_on": received,
        }


@dataclass(frozen=True)
class Transfer:
    """One documented change of custody."""

    id: int
    from_company: str
    from_country: str | None
    to_company: str
    to_country: str | None
    transfer_date: date | None
    lot: str | None
    document_sha256: str | None
    request_id: int | None
    request_key: str | None
    exercise: bool
    note: str | None
    component_ids: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        value = dict(self.__dict__)
        value["transfer_date"] = self.transfer_date.isoformat() if self.transfer_date else None
        value["component_ids"] = list(self.component_ids)
        return value


@dataclass(frozen=True)
class TransferSpec:
    """What an analyst read in an answer or document: who passed what to whom, when."""

    from_company: str
    to_company: str
    from_country: str | None = None
    to_country: str | None = None
    transfer_date: date | None = None
    lot: str | None = None
    note: str | None = None


def company_key(name: str, country: str | None) -> str:
    """The identity of a company in chains and screening: its folded name and its country."""
    return f"{normalise_company_name(name)}|{(country or '').upper()}"


def add_transfer(
    store: Store,
    spec: TransferSpec,
    *,
    actor: str,
    request: str | int | None = None,
    component_ids: Sequence[int] = (),
    item_key: str | None = None,
    component_keys: Sequence[str] = (),
    document: Path | None = None,
    document_sha256: str | None = None,
) -> Transfer:
    """Record a transfer; with ``request`` it is documented by that request's answer."""
    _check_spec(spec)
    with store.begin() as conn:
        request_row = find_row(conn, request) if request is not None else None
        if request_row is not None and request_row["state"] != "answered":
            raise TracingError(
                f"trace request {request_row['key']} is {request_row['state']}: a transfer can "
                "cite only an answered request; record the answer first"
            )
        if component_ids or component_keys:
            ids = resolve_components(conn, component_ids, item_key, component_keys)
        else:
            ids = _request_components(conn, request_row)
        if not ids:
            raise TracingError("a transfer must name the components it moved (or cite a request)")
        sha = document_sha256
        if document is not None:
            sha = add_evidence(
                conn, store.evidence, document, actor=actor, detail="custody transfer document"
            ).sha256
        values = dict(spec.__dict__) | {
            "document_sha256": sha,
            "request_id": request_row["id"] if request_row is not None else None,
            "exercise": bool(request_row["exercise"]) if request_row is not None else False,
            "created_by": actor,
            "created_at": datetime.now(UTC),
        }
        transfer_id = conn.execute(
            insert(custody_transfers).values(**values).returning(custody_transfers.c.id)
        ).scalar_one()
        conn.execute(
            insert(transfer_components),
            [{"transfer_id": transfer_id, "component_id": cid} for cid in ids],
        )
        after = {k: v for k, v in values.items() if k != "created_at"} | {"component_ids": ids}
        record_change(
            conn,
            actor=actor,
            action="create",
            entity="custody_transfer",
            entity_key=str(transfer_id),
            after=after,
        )
        return load_transfers(conn, [transfer_id])[0]


def load_transfers(conn: Connection, ids: Sequence[int] | None = None) -> list[Transfer]:
    """Transfers by id (all when ``ids`` is None), oldest date first, undated last."""
    t, links = custody_transfers, transfer_components
    req = tables.metadata.tables["trace_requests"]
    query = select(t, req.c.key.label("request_key")).outerjoin(req, req.c.id == t.c.request_id)
    if ids is not None:
        query = query.where(t.c.id.in_(list(ids)))
    rows = list(conn.execute(query).mappings())
    comps: dict[int, list[int]] = {}
    wanted = [int(r["id"]) for r in rows]
    for link in conn.execute(select(links).where(links.c.transfer_id.in_(wanted))).mappings():
        comps.setdefault(int(link["transfer_id"]), []).append(int(link["component_id"]))
    found = [_transfer(r, comps.get(int(r["id"]), [])) for r in rows]
    return sorted(found, key=lambda x: (x.transfer_date or date.max, x.id))


def transfers_for_request(store: Store, request_id: int) -> list[Transfer]:
    """The transfers a request's answer documents, oldest first."""
    with store.engine.connect() as conn:
        ids = (
            conn.execute(
                select(custody_transfers.c.id).where(custody_transfers.c.request_id == request_id)
            )
            .scalars()
            .all()
        )
        return load_transfers(conn, [int(x) for x in ids])


def chain_companies(store: Store) -> list[ChainCompany]:
    """Every company named in a custody transfer, once each (by folded name and country)."""
    with store.engine.connect() as conn:
        transfers = load_transfers(conn)
    found: dict[str, ChainCompany] = {}
    for tr in transfers:
        for name, country, received in (
            (tr.from_company, tr.from_country, None),
            (tr.to_company, tr.to_country, tr.transfer_date),
        ):
            key = company_key(name, country)
            known = found.get(key)
            latest = max((d for d in (received, known and known.received_on) if d), default=None)
            found[key] = ChainCompany(name if known is None else known.name, country, key, latest)
    return sorted(found.values(), key=lambda c: (c.name.casefold(), c.country or ""))


def mark_diversion(
    store: Store,
    transfer_id: int,
    *,
    last_legitimate_custodian: str,
    actor: str,
    note: str | None = None,
) -> None:
    """Record an analyst's point of diversion at a transfer, replacing an earlier mark there."""
    with store.begin() as conn:
        transfer = _one(conn, transfer_id)
        parties = {transfer.from_company, transfer.to_company}
        if last_legitimate_custodian not in parties:
            raise TracingError(
                f"transfer {transfer_id}: the last legitimate custodian must be one of its "
                f"parties ({' or '.join(sorted(parties))}), not {last_legitimate_custodian!r}"
            )
        before = _mark(conn, transfer_id)
        conn.execute(delete(diversion_marks).where(diversion_marks.c.transfer_id == transfer_id))
        after = {
            "transfer_id": transfer_id,
            "last_legitimate_custodian": last_legitimate_custodian,
            "note": note,
        }
        conn.execute(
            insert(diversion_marks).values(**after, marked_by=actor, marked_at=datetime.now(UTC))
        )
        record_change(
            conn,
            actor=actor,
            action="mark",
            entity="diversion_mark",
            entity_key=str(transfer_id),
            before=before,
            after=after,
        )


def unmark_diversion(store: Store, transfer_id: int, *, actor: str) -> None:
    """Withdraw an analyst's diversion mark at a transfer."""
    with store.begin() as conn:
        before = _mark(conn, transfer_id)
        if before is None:
            raise NotFound(f"transfer {transfer_id} has no diversion mark to withdraw")
        conn.execute(delete(diversion_marks).where(diversion_marks.c.transfer_id == transfer_id))
        record_change(
            conn,
            actor=actor,
            action="unmark",
            entity="diversion_mark",
            entity_key=str(transfer_id),
            before=before,
        )


def _mark(conn: Connection, transfer_id: int) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(
                diversion_marks.c.transfer_id,
                diversion_marks.c.last_legitimate_custodian,
                diversion_marks.c.note,
            ).where(diversion_marks.c.transfer_id == transfer_id)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _one(conn: Connection, transfer_id: int) -> Transfer:
    found = load_transfers(conn, [transfer_id])
    if not found:
        raise NotFound(
            f"no custody transfer {transfer_id}; see them with armtrace trace chain ITEM"
        )
    return found[0]


def _transfer(row: Any, component_ids: list[int]) -> Transfer:
    return Transfer(
        id=int(row["id"]),
        from_company=row["from_company"],
        from_country=row["from_country"],
        to_company=row["to_company"],
        to_country=row["to_country"],
        transfer_date=row["transfer_date"],
        lot=row["lot"],
        document_sha256=row["document_sha256"],
        request_id=row["request_id"],
        request_key=row["request_key"],
        exercise=bool(row["exercise"]),
        note=row["note"],
        component_ids=tuple(sorted(component_ids)),
    )


def _check_spec(spec: TransferSpec) -> None:
    for field in ("from_company", "to_company"):
        if not getattr(spec, field).strip():
            raise TracingError(f"a transfer needs {field.replace('_', ' ')}")
    for field in ("from_country", "to_country"):
        value = getattr(spec, field)
        if value is not None and not is_country_code(value):
            raise TracingError(f"transfer {field} {value!r} is not an ISO 3166-1 alpha-2 code")
    if company_key(spec.from_company, spec.from_country) == company_key(
        spec.to_company, spec.to_country
    ):
        raise TracingError(f"a transfer from {spec.from_company} to itself is not a transfer")


def _request_components(conn: Connection, request_row: Any) -> list[int]:
    if request_row is None:
        return []
    trc = trace_request_components
    return [
        int(x)
        for x in conn.execute(
            select(trc.c.component_id).where(trc.c.request_id == request_row["id"])
        ).scalars()
    ]
