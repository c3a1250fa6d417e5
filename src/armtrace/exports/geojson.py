"""GeoJSON (RFC 7946) of incidents and items, for GIS tools.

Invariants:
- One Point feature per incident and one per item (at its incident's place); a place without
  coordinates gives a feature with ``geometry: null``, which RFC 7946 allows.
- Coordinates are [longitude, latitude] in WGS 84; public exports round them to 0.1 degree and
  carry only incidents that have a published item.
- Every feature says whether it is exercise data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from armtrace.exports import ExportResult
from armtrace.exports.scope import coordinate, only_published
from armtrace.store import Store, tables


def _item_rows(store: Store, public: bool) -> list[dict[str, Any]]:
    inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings
    query = (
        select(
            inc.c.key.label("incident"), inc.c.incident_date, inc.c.place, inc.c.country,
            inc.c.latitude, inc.c.longitude, inc.c.exercise, it.c.key.label("item"),
            it.c.item_type, it.c.weapon_system, it.c.state,
            func.count(comp.c.id).label("components"),
            func.count(rd.c.manufacturer_id).label("identified"),
            func.count(rd.c.date_latest).label("dated"),
        )
        .select_from(
            it.join(inc, inc.c.id == it.c.incident_id)
            .outerjoin(comp, comp.c.item_id == it.c.id)
            .outerjoin(rd, rd.c.component_id == comp.c.id)
        )
        .group_by(inc.c.id, it.c.id)
        .order_by(inc.c.incident_date, inc.c.key, it.c.key)
    )  # fmt: skip
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(only_published(query, public)).mappings()]


def _point(row: dict[str, Any], public: bool) -> dict[str, Any] | None:
    lat, lon = coordinate(row["latitude"], public), coordinate(row["longitude"], public)
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def features(store: Store, *, public: bool = False) -> list[dict[str, Any]]:
    """The incident and item features of the store (published only when public)."""
    rows = _item_rows(store, public)
    by_incident: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_incident[row["incident"]].append(row)
    found: list[dict[str, Any]] = []
    for key, items in by_incident.items():
        first = items[0]
        common = {
            "incident_key": key,
            "incident_date": _date(first["incident_date"]),
            "place": first["place"],
            "country": first["country"],
            "exercise": bool(first["exercise"]),
        }
        found.append({
            "type": "Feature",
            "id": f"incident:{key}",
            "geometry": _point(first, public),
            "properties": {
                "kind": "incident", **common,
                "items": len(items),
                "item_types": sorted({i["item_type"] for i in items if i["item_type"]}),
                "weapon_systems": sorted({i["weapon_system"] for i in items if i["weapon_system"]}),
                "components": sum(int(i["components"]) for i in items),
                "identified": sum(int(i["identified"]) for i in items),
            },
        })  # fmt: skip
        for item in items:
            found.append({
                "type": "Feature",
                "id": f"item:{item['item']}",
                "geometry": _point(item, public),
                "properties": {
                    "kind": "item", **common,
                    "item_key": item["item"],
                    "item_type": item["item_type"],
                    "weapon_system": item["weapon_system"],
                    "state": item["state"],
                    "components": int(item["components"]),
                    "identified": int(item["identified"]),
                    "dated": int(item["dated"]),
                },
            })  # fmt: skip
    return found


def write_geojson(store: Store, path: Path, *, public: bool = False) -> ExportResult:
    """Write a FeatureCollection of incidents and items to ``path``."""
    found = features(store, public=public)
    collection = {"type": "FeatureCollection", "features": found}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ExportResult(str(path), ".geojson", len(found), public)
