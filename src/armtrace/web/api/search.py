"""Search across markings (part numbers), serials, makers and places."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from armtrace.errors import ArmtraceError
from armtrace.web.deps import AudienceDep, Reader, StoreDep
from armtrace.web.records.search import KINDS, search
from armtrace.web.visibility import public_view

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("")
def search_everything(
    store: StoreDep, audience: AudienceDep, _: Reader,
    q: str = Query(min_length=1, max_length=200),
    kinds: str = Query(",".join(KINDS), description="comma-separated: " + ", ".join(KINDS)),
    limit: int = Query(20, ge=1, le=200),
) -> dict[str, Any]:  # fmt: skip
    """Hits by kind, in items you may see."""
    asked = tuple(k.strip() for k in kinds.split(",") if k.strip())
    unknown = [k for k in asked if k not in KINDS]
    if unknown:
        raise ArmtraceError(f"unknown search kind {unknown[0]!r}: use {', '.join(KINDS)}")
    return public_view(search(store, audience, q, kinds=asked, limit=limit), audience)
