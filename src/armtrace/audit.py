"""The audit trail: who changed what, when, with the state before and after.

Invariants:
- Every change an interface makes is recorded with ``record_change`` in the same transaction as
  the change itself, so a change and its audit entry land together or not at all.
- Entry n stores the hash of entry n-1 (``prev_hash``) and its own hash over its content and that
  link. Editing, deleting or re-ordering any past entry breaks the chain; ``verify_chain`` finds
  the first entry where it breaks.
- ``prev_hash`` is unique, so two writers that read the same last entry cannot both append: the
  second fails instead of forking the chain. PostgreSQL writers also take an advisory lock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from armtrace.store import Store, tables
from armtrace.store.dialect import is_postgres

GENESIS = "0" * 64
_LOCK_KEY = 0x61726D74  # "armt": the advisory lock that serialises appends on PostgreSQL

Snapshot = Mapping[str, Any] | None


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, Any]:
        """The entry as plain JSON values."""
        return {
            "id": self.id,
            "at": _iso(self.at),
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "entity_key": self.entity_key,
            "before": self.before,
            "after": self.after,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class ChainCheck:
    """The result of verifying the chain: how many entries, and the first broken one if any."""

    entries: int
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def canonical(value: Snapshot) -> str | None:
    """Stable JSON for a snapshot: sorted keys, no spaces, dates and decimals as strings."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_change(
    conn: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before: Snapshot = None,
    after: Snapshot = None,
) -> str:
    """Append one audit entry inside the caller's transaction and return its hash."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = conn.execute(
        select(tables.audit_log.c.hash).order_by(tables.audit_log.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev_hash = last or GENESIS
    at = datetime.now(UTC)
    fields = _fields(at, actor, action, entity, entity_key, canonical(before), canonical(after))
    digest = _digest(prev_hash, fields)
    conn.execute(
        insert(tables.audit_log).values(
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_key=entity_key,
            before=fields["before"],
            after=fields["after"],
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    return digest


def entries(
    store: Store, *, entity: str | None = None, entity_key: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The newest entries first, optionally for one entity or one record."""
    log = tables.audit_log
    query = select(log).order_by(log.c.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(log.c.entity == entity)
    if entity_key is not None:
        query = query.where(log.c.entity_key == entity_key)
    with store.engine.connect() as conn:
        return [_entry(row._mapping) for row in conn.execute(query)]


def verify_chain(store: Store) -> ChainCheck:
    """Recompute every hash in order; report the first entry whose hash or link is wrong."""
    count = 0
    prev_hash = GENESIS
    for entry in _all_entries(store):
        count += 1
        if entry.prev_hash != prev_hash:
            return ChainCheck(count, entry.id, "it does not point at the entry before it")
        fields = _fields(
            entry.at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.entity_key,
            canonical(entry.before),
            canonical(entry.after),
        )
        if _digest(prev_hash, fields) != entry.hash:
            return ChainCheck(count, entry.id, "its content does not match its hash")
        prev_hash = entry.hash
    return ChainCheck(count, None, None)


def _all_entries(store: Store) -> Iterator[AuditEntry]:
    log = tables.audit_log
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(
            select(log).order_by(log.c.id)
        )
        for row in result:
            yield _entry(row._mapping)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=int(row["id"]),
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_key=row["entity_key"],
        before=json.loads(row["before"]) if row["before"] is not None else None,
        after=json.loads(row["after"]) if row["after"] is not None else None,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def _iso(at: datetime) -> str:
    # SQLite hands back naive datetimes (stored in UTC), PostgreSQL aware ones: hash the same text.
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _fields(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    before: str | None,
    after: str | None,
) -> dict[str, Any]:
    return {
        "at": _iso(at),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": entity_key,
        "before": before,
        "after": after,
    }


def _digest(prev_hash: str, fields: Mapping[str, Any]) -> str:
    payload = prev_hash + json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
