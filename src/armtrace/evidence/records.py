"""Evidence rows and the custody log in the store, written inside the caller's transaction."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select

from armtrace.errors import EvidenceError
from armtrace.evidence.files import EvidenceFile, EvidenceStore
from armtrace.store import tables

HOST = socket.gethostname()


@dataclass(frozen=True)
class CustodyEvent:
    """One line of an object's custody log."""

    sha256: str
    action: str
    actor: str
    at: datetime
    origin: str | None
    host: str | None
    detail: str | None


def add_evidence(
    conn: Connection,
    store: EvidenceStore,
    path: Path,
    *,
    actor: str,
    detail: str | None = None,
) -> EvidenceFile:
    """Store a file and record it with a custody event saying who added it, when, from where."""
    stored = store.put_file(path)
    exists = conn.execute(
        select(tables.evidence.c.sha256).where(tables.evidence.c.sha256 == stored.sha256)
    ).first()
    if exists is None:
        conn.execute(
            insert(tables.evidence).values(
                sha256=stored.sha256,
                size=stored.size,
                media_type=stored.media_type,
                original_name=path.name,
            )
        )
    log_custody(
        conn,
        stored.sha256,
        "added" if exists is None else "added-again",
        actor=actor,
        origin=str(path.resolve()),
        detail=detail,
    )
    return stored


def log_custody(
    conn: Connection,
    sha256: str,
    action: str,
    *,
    actor: str,
    origin: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one event to an object's custody log."""
    conn.execute(
        insert(tables.evidence_custody).values(
            sha256=sha256,
            action=action,
            actor=actor,
            at=datetime.now(UTC),
            origin=origin,
            host=HOST,
            detail=detail,
        )
    )


def custody_log(conn: Connection, sha256: str) -> list[CustodyEvent]:
    """Every custody event of one object, oldest first."""
    t = tables.evidence_custody
    rows = conn.execute(select(t).where(t.c.sha256 == sha256).order_by(t.c.id)).mappings()
    events = [
        CustodyEvent(
            sha256=r["sha256"],
            action=r["action"],
            actor=r["actor"],
            at=r["at"],
            origin=r["origin"],
            host=r["host"],
            detail=r["detail"],
        )
        for r in rows
    ]
    if not events:
        raise EvidenceError(f"no evidence with hash {sha256} in the store")
    return events


def verify_all(conn: Connection, store: EvidenceStore) -> list[str]:
    """Hashes of recorded evidence whose file is missing or altered (empty when all verify)."""
    bad: list[str] = []
    for (sha,) in conn.execute(select(tables.evidence.c.sha256).order_by(tables.evidence.c.sha256)):
        if not store.verify(sha):
            bad.append(sha)
    return bad
