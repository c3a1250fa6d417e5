"""The audit trail: read entries and verify the hash chain (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from armtrace.audit import entries, verify_chain
from armtrace.web.deps import Admin, StoreDep

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("")
def read_audit(
    store: StoreDep, _: Admin, entity: str | None = None, entity_key: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[dict[str, Any]]:  # fmt: skip
    """Newest entries first, optionally for one entity kind or one record."""
    return [e.as_json() for e in entries(store, entity=entity, entity_key=entity_key, limit=limit)]


@router.get("/verify")
def verify_audit(store: StoreDep, _: Admin) -> dict[str, Any]:
    """Recompute every hash; ``ok`` false names the first broken entry and why."""
    check = verify_chain(store)
    return {"ok": check.ok, "entries": check.entries, "broken_at": check.broken_at,
            "reason": check.reason}  # fmt: skip
