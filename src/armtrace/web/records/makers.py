"""Manufacturers as the API shows them: registry facts with sources, and where parts turned up.

Invariant: registry facts are shown as recorded, each with its source URLs; sightings come from
the store's machine readings, limited to items the audience may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from armtrace.refdata.manufacturers import Manufacturer, load_registry
from armtrace.store import Store, tables
from armtrace.web.records.connection import reading
from armtrace.web.visibility import Audience

inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings


def _summary(maker: Manufacturer) -> dict[str, Any]:
    return {"id": maker.id, "name": maker.name, "short": maker.short, "country": maker.country,
            "kinds": list(maker.kinds)}  # fmt: skip


def registry_page(*, country: str | None, limit: int, offset: int) -> dict[str, Any]:
    """A page of registry manufacturers by id, optionally for one headquarters country."""
    makers = sorted(load_registry(), key=lambda m: m.id)
    if country:
        makers = [m for m in makers if m.country == country.upper()]
    page = makers[offset : offset + limit]
    more = offset + limit < len(makers)
    return {
        "manufacturers": [_summary(m) for m in page],
        "total": len(makers),
        "next_offset": offset + limit if more else None,
    }


def maker_json(maker_id: str) -> dict[str, Any]:
    """A manufacturer's registry record: names, owner chain, successor, sources."""
    registry = load_registry()
    maker = registry.get(maker_id)
    owner = registry.current_owner(maker.id)
    return _summary(maker) | {
        "aliases": list(maker.aliases),
        "former_names": [{"name": n, "until": d} for n, d in maker.former_names],
        "current_owner": None if owner.id == maker.id else _summary(owner),
        "successor": maker.successor.__dict__ if maker.successor else None,
        "sources": [{"url": s.url, "supports": list(s.supports)} for s in maker.sources],
    }


def maker_sightings(
    store: Store, audience: Audience, maker_id: str, *, limit: int = 200
) -> list[dict[str, Any]]:
    """Incidents and items whose components were identified as this maker's, newest first."""
    query = (
        select(inc.c.key, inc.c.incident_date, inc.c.country, it.c.key, func.count())
        .select_from(rd.join(comp, comp.c.id == rd.c.component_id)
                     .join(it, it.c.id == comp.c.item_id).join(inc, inc.c.id == it.c.incident_id))
        .where(rd.c.manufacturer_id == maker_id, audience.item_filter())
        .group_by(inc.c.key, inc.c.incident_date, inc.c.country, it.c.key)
        .order_by(inc.c.incident_date.desc(), it.c.key)
        .limit(limit)
    )  # fmt: skip
    with reading(store) as conn:
        rows = conn.execute(query).all()
    return [
        {"incident": r[0], "incident_date": r[1], "country": r[2], "item": r[3], "components": r[4]}
        for r in rows
    ]
