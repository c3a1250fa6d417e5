"""Manufacturers from the reference registry, and where their parts turned up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from armtrace.markings.readings import where_seen
from armtrace.web.deps import AudienceDep, Reader, StoreDep
from armtrace.web.records.makers import maker_json, maker_sightings, registry_page
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.visibility import public_view

router = APIRouter(prefix="/api", tags=["manufacturers"])


@router.get("/manufacturers")
def list_manufacturers(
    _: Reader, country: str | None = None,
    limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
) -> dict[str, Any]:  # fmt: skip
    """The registry's manufacturers (with headquarters country and sources), by id."""
    return registry_page(country=country, limit=limit, offset=offset)


@router.get("/manufacturers/{maker_id}")
def get_manufacturer(
    maker_id: str, store: StoreDep, audience: AudienceDep, _: Reader
) -> dict[str, Any]:
    """One manufacturer: names, owner, sources, and the items its parts were found in."""
    return maker_json(maker_id) | {"found_in": maker_sightings(store, audience, maker_id)}


@router.get("/where-seen")
def where_seen_marking(
    store: StoreDep, audience: AudienceDep, _: Reader, marking: str = Query(min_length=2)
) -> list[dict[str, Any]]:
    """Stored components with the same or a near-identical part number, best first."""
    sightings = where_seen(store, marking)
    visible = visible_item_keys(store, audience, {s.item for s in sightings})
    return [public_view(s.__dict__, audience) for s in sightings if s.item in visible]
