"""Read incidents, items and components for an audience, as plain JSON-ready mappings.

Invariants:
- Every query joins through ``items`` and applies ``audience.item_filter()``: an incident is
  visible only through a visible item, a component only through its visible item.
- Results are raw (exact coordinates, notes); callers pass them through
  ``visibility.public_view`` before they leave the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, select

from armtrace.errors import NotFound
from armtrace.store import Store, tables
from armtrace.web.records.connection import read_rows, reading
from armtrace.web.visibility import Audience

inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings
MAX_PAGE = 500
# Past any real store, and inside the 64-bit integers SQLite and PostgreSQL bind an OFFSET to:
# a larger offset from a client must be a 422, not an overflow in the driver (a 500).
MAX_OFFSET = 1_000_000_000

INCIDENT_COLUMNS = (inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, inc.c.latitude,
                    inc.c.longitude, inc.c.exercise)  # fmt: skip
ITEM_COLUMNS = (it.c.key, it.c.item_type, it.c.item_markings, it.c.weapon_system, it.c.notes,
                it.c.state, it.c.created_at)  # fmt: skip


@dataclass(frozen=True)
class ItemFilter:
    """What an item list is narrowed to; every field optional."""

    incident: str | None = None
    state: str | None = None
    item_type: str | None = None
    weapon_system: str | None = None
    country: str | None = None


def _incident(row: Any) -> dict[str, Any]:
    return _incident_fields(row._mapping)


def _incident_fields(m: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": m["incident_key"], "incident_date": m["incident_date"], "place": m["place"],
        "country": m["country"], "latitude": m["latitude"], "longitude": m["longitude"],
        "exercise": bool(m["exercise"]),
    }  # fmt: skip


def _item(row: Any) -> dict[str, Any]:
    return _item_fields(row._mapping)


def _item_fields(m: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": m["key"], "item_type": m["item_type"], "item_markings": m["item_markings"],
        "weapon_system": m["weapon_system"], "notes": m["notes"], "state": m["state"],
        "incident": _incident_fields(m),
    }  # fmt: skip


def _item_query() -> Any:
    return select(
        *ITEM_COLUMNS, inc.c.key.label("incident_key"), *INCIDENT_COLUMNS[1:]
    ).select_from(it.join(inc, inc.c.id == it.c.incident_id))


def list_items(
    store: Store, audience: Audience, where: ItemFilter, *, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """One page of visible items, by key; ``next_offset`` is None on the last page."""
    limit = max(1, min(limit, MAX_PAGE))
    query = _item_query().where(audience.item_filter())
    if where.incident:
        query = query.where(inc.c.key == where.incident)
    if where.state:
        query = query.where(it.c.state == where.state)
    if where.item_type:
        query = query.where(it.c.item_type == where.item_type)
    if where.weapon_system:
        query = query.where(it.c.weapon_system == where.weapon_system)
    if where.country:
        query = query.where(inc.c.country == where.country.upper())
    query = query.order_by(it.c.key).limit(limit + 1).offset(max(0, offset))
    with reading(store) as conn:
        rows = conn.execute(query).all()
    more = len(rows) > limit
    return {
        "items": [_item(row) for row in rows[:limit]],
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if more else None,
    }


def _build_item_read(full: bool) -> Any:
    """The statement of ``get_item`` for a full or a public audience, key as a bound value."""
    audience = Audience(full=full)
    # One query, one round trip: item and incident columns repeat on each component row.
    return (
        _item_query()
        .add_columns(
            comp.c.id.label("component_id"), comp.c.key.label("component_key"), comp.c.marking,
            comp.c.description, comp.c.manufacturer, comp.c.photo, comp.c.photo_sha256,
            comp.c.notes.label("component_notes"), rd.c.part_number, rd.c.manufacturer_id,
            rd.c.parent_id, rd.c.country.label("maker_country"), rd.c.date_raw,
            rd.c.date_earliest, rd.c.date_latest, rd.c.confidence, rd.c.why,
        )
        .outerjoin(comp, comp.c.item_id == it.c.id)
        .outerjoin(rd, rd.c.component_id == comp.c.id)
        .where(it.c.key == bindparam("item_key"), audience.item_filter())
        .order_by(comp.c.id)
    )  # fmt: skip


# Built once: constructing the statement cost about as much CPU as running it (item reads are
# the API's hottest route); SQLAlchemy's compiled cache then serves both.
_ITEM_READS = {full: _build_item_read(full) for full in (False, True)}


def get_item(store: Store, audience: Audience, item_key: str) -> dict[str, Any]:
    """A visible item with its incident and its components (with machine readings)."""
    rows = read_rows(store, _ITEM_READS[audience.full], {"item_key": item_key})
    if not rows:
        raise NotFound(f"no item {item_key!r} (or it is not published)")
    item = _item_fields(rows[0])
    item["components"] = [_component(row) for row in rows if row["component_id"] is not None]
    return item


def _component(m: Mapping[str, Any]) -> dict[str, Any]:
    reading = None
    if m["confidence"] is not None:
        reading = {
            "part_number": m["part_number"], "manufacturer": m["manufacturer_id"],
            "parent": m["parent_id"], "country": m["maker_country"],
            "date_code": {"raw": m["date_raw"], "earliest": m["date_earliest"],
                          "latest": m["date_latest"]} if m["date_raw"] else None,
            "confidence": m["confidence"], "why": m["why"],
        }  # fmt: skip
    return {
        "key": m["component_key"], "marking": m["marking"], "description": m["description"],
        "manufacturer": m["manufacturer"], "photo": m["photo"],
        "photo_sha256": m["photo_sha256"], "notes": m["component_notes"], "reading": reading,
    }  # fmt: skip


def get_component(
    store: Store, audience: Audience, item_key: str, component_key: str
) -> dict[str, Any]:
    """One component of a visible item, with its reading and its item's key and state."""
    item = get_item(store, audience, item_key)
    for part in item["components"]:
        if part["key"] == component_key:
            return {**part, "item": item_key, "item_state": item["state"]}
    raise NotFound(f"item {item_key!r} has no component {component_key!r}")


def list_incidents(
    store: Store, audience: Audience, *, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """One page of incidents that hold at least one visible item, newest first."""
    limit = max(1, min(limit, MAX_PAGE))
    visible = exists().where(it.c.incident_id == inc.c.id, audience.item_filter())
    query = (
        select(inc.c.key.label("incident_key"), *INCIDENT_COLUMNS[1:])
        .where(visible)
        .order_by(inc.c.incident_date.desc(), inc.c.key)
        .limit(limit + 1)
        .offset(max(0, offset))
    )
    with reading(store) as conn:
        rows = conn.execute(query).all()
    return {
        "incidents": [_incident(row) for row in rows[:limit]],
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if len(rows) > limit else None,
    }


def get_incident(store: Store, audience: Audience, incident_key: str) -> dict[str, Any]:
    """An incident with the keys, types and states of its visible items."""
    with reading(store) as conn:
        rows = conn.execute(
            _item_query()
            .where(inc.c.key == incident_key, audience.item_filter())
            .order_by(it.c.key)
        ).all()
    if not rows:
        # One message for both cases, so the public cannot probe for unpublished incidents.
        raise NotFound(f"no incident {incident_key!r} (or none of its items is published)")
    incident = _incident(rows[0])
    incident["items"] = [
        {"key": r.key, "item_type": r.item_type, "weapon_system": r.weapon_system, "state": r.state}
        for r in rows
    ]
    return incident


def visible_item_keys(store: Store, audience: Audience, keys: set[str]) -> set[str]:
    """The subset of ``keys`` naming items this audience may see."""
    if audience.full or not keys:
        return set(keys)
    with reading(store) as conn:
        rows = conn.execute(select(it.c.key).where(it.c.key.in_(keys), audience.item_filter()))
        return {row[0] for row in rows}


def require_visible(store: Store, audience: Audience, item_key: str) -> None:
    """NotFound unless ``item_key`` names an item this audience may see."""
    with reading(store) as conn:
        found = conn.execute(
            select(it.c.id).where(it.c.key == item_key, audience.item_filter())
        ).first()
    if found is None:
        raise NotFound(f"no item {item_key!r} (or it is not published)")
