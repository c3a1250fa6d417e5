"""Read functions for the list pages: incidents on the map, the item list, search.

Invariants:
- Every query applies the audience's item filter; incidents appear only through visible items.
- Text search is case-insensitive substring matching (LIKE with escaped wildcards), the same
  on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true

from armtrace.store import Store, tables
from armtrace.web.visibility import Audience

inc, it, comp = tables.incidents, tables.items, tables.components
MAX_INCIDENTS = 5000  # the map's limit: the most recent incidents


@dataclass(frozen=True)
class IncidentPoint:
    """An incident as the map shows it."""

    key: str
    incident_date: date | None
    place: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    exercise: bool
    item_count: int  # visible items documented there
    first_item: str  # the first of them by key, linked directly when it is the only one


@dataclass(frozen=True)
class ItemLine:
    """One item in a list: its incident, type, state and component count."""

    key: str
    incident: str
    incident_date: date | None
    place: str | None
    country: str | None
    item_type: str | None
    weapon_system: str | None
    state: str
    exercise: bool
    components: int


def incident_points(
    store: Store,
    audience: Audience,
    condition: ColumnElement[bool] | None = None,
    *,
    limit: int = MAX_INCIDENTS,
) -> list[IncidentPoint]:
    """Incidents with at least one visible item and how many, most recent ``limit``, oldest
    first (one row per incident, so a store of millions of items still gives a small map)."""
    query = (
        select(inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, inc.c.latitude,
               inc.c.longitude, inc.c.exercise, func.count(it.c.id), func.min(it.c.key))
        .select_from(inc.join(it, it.c.incident_id == inc.c.id))
        .where(audience.item_filter(), true() if condition is None else condition)
        .group_by(inc.c.id)
        .order_by(inc.c.incident_date.desc(), inc.c.key.desc())
        .limit(limit)
    )  # fmt: skip
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [_point(row, audience) for row in reversed(rows)]


def _point(r: Any, audience: Audience) -> IncidentPoint:
    return IncidentPoint(
        r[0], r[1], r[2], r[3], audience.coordinate(r[4]), audience.coordinate(r[5]),
        bool(r[6]), int(r[7]), str(r[8]),
    )  # fmt: skip


def item_lines(
    store: Store,
    audience: Audience,
    *,
    incident: str | None = None,
    weapon_system: str | None = None,
    limit: int = 500,
) -> list[ItemLine]:
    """Visible items, newest incident first, optionally of one incident or one weapon-system
    text (compared without regard to case)."""
    query = (
        select(it.c.key, inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country,
               it.c.item_type, it.c.weapon_system, it.c.state, inc.c.exercise,
               select(func.count()).where(comp.c.item_id == it.c.id).scalar_subquery())
        .select_from(it.join(inc, inc.c.id == it.c.incident_id))
        .where(audience.item_filter())
        .order_by(inc.c.incident_date.desc(), it.c.key)
        .limit(limit)
    )  # fmt: skip
    if incident:
        query = query.where(inc.c.key == incident)
    if weapon_system:
        query = query.where(func.lower(it.c.weapon_system) == weapon_system.lower())
    with store.engine.connect() as conn:
        return [
            ItemLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), int(r[9]))
            for r in conn.execute(query)
        ]


def any_exercise(store: Store, item_keys: set[str], incident_keys: set[str]) -> bool:
    """Whether any of these items or incidents is exercise data (for the page's banner)."""
    if not item_keys and not incident_keys:
        return False
    query = (
        select(inc.c.id)
        .select_from(inc.outerjoin(it, it.c.incident_id == inc.c.id))
        .where(inc.c.exercise, or_(it.c.key.in_(item_keys), inc.c.key.in_(incident_keys)))
        .limit(1)
    )
    with store.engine.connect() as conn:
        return conn.execute(query).first() is not None
