"""Read functions for one item and one component, as their pages show them.

Invariants:
- An item the audience may not see reads as missing (None), the same as one that does not exist,
  so a viewer cannot probe for draft keys.
- The analyst's identification (``components.manufacturer``) and the machine's reading are
  kept apart; both are shown, the analyst's first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from armtrace.errors import NotFound
from armtrace.refdata.countries import country_name
from armtrace.refdata.manufacturers import load_registry
from armtrace.store import Store, tables
from armtrace.web.visibility import Audience

inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings


@dataclass(frozen=True)
class ComponentView:
    """One component with the machine's reading of its marking."""

    key: str
    marking: str | None
    description: str | None
    analyst_manufacturer: str | None
    notes: str | None
    photo_sha256: str | None
    part_number: str | None
    manufacturer_id: str | None
    manufacturer: str | None  # the registry name of manufacturer_id
    parent: str | None  # the current owner's name, when different
    country: str | None  # headquarters country of the maker
    date_raw: str | None
    date_earliest: date | None
    date_latest: date | None
    confidence: float | None
    why: str | None
    source: str | None


@dataclass(frozen=True)
class ItemView:
    """One item, its incident and its components."""

    key: str
    item_type: str | None
    item_markings: str | None
    weapon_system: str | None
    notes: str | None
    state: str
    incident: str
    incident_date: date | None
    place: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    exercise: bool
    components: tuple[ComponentView, ...]

    @property
    def photos(self) -> list[ComponentView]:
        """Components that have a stored photo."""
        return [c for c in self.components if c.photo_sha256]


def _names(manufacturer_id: str | None) -> tuple[str | None, str | None]:
    if not manufacturer_id:
        return None, None
    registry = load_registry()
    try:
        maker = registry.get(manufacturer_id)
        owner = registry.current_owner(manufacturer_id)
    except NotFound:
        return manufacturer_id, None
    return maker.name, (owner.name if owner.id != maker.id else None)


def _component(r: tuple[Any, ...], audience: Audience) -> ComponentView:
    maker, parent = _names(r[7])
    return ComponentView(
        r[0], r[1], r[2], r[3], audience.private(r[4]), r[5], r[6], r[7], maker, parent,
        r[8], r[9], r[10], r[11], r[12], r[13], r[14],
    )  # fmt: skip


def item_view(
    store: Store, audience: Audience, key: str, *, component: str | None = None
) -> ItemView | None:
    """The item with this key as the audience may see it (None when missing or not visible);
    with ``component``, only that component is read."""
    head = (
        select(it.c.id, it.c.key, it.c.item_type, it.c.item_markings, it.c.weapon_system,
               it.c.notes, it.c.state, inc.c.key, inc.c.incident_date, inc.c.place,
               inc.c.country, inc.c.latitude, inc.c.longitude, inc.c.exercise)
        .select_from(it.join(inc, inc.c.id == it.c.incident_id))
        .where(it.c.key == key, audience.item_filter())
    )  # fmt: skip
    parts = (
        select(comp.c.key, comp.c.marking, comp.c.description, comp.c.manufacturer, comp.c.notes,
               comp.c.photo_sha256, rd.c.part_number, rd.c.manufacturer_id, rd.c.country,
               rd.c.date_raw, rd.c.date_earliest, rd.c.date_latest, rd.c.confidence, rd.c.why,
               rd.c.source)
        .select_from(comp.outerjoin(rd, rd.c.component_id == comp.c.id))
        .order_by(comp.c.id)
    )  # fmt: skip
    with store.engine.connect() as conn:
        row = conn.execute(head).first()
        if row is None:
            return None
        parts = parts.where(comp.c.item_id == row[0])
        if component is not None:
            parts = parts.where(comp.c.key == component)
        component_rows = conn.execute(parts).all()
    views = tuple(_component(tuple(r), audience) for r in component_rows)
    return ItemView(
        row[1], row[2], row[3], row[4], audience.private(row[5]), row[6], row[7], row[8],
        row[9], row[10], audience.coordinate(row[11]), audience.coordinate(row[12]),
        bool(row[13]), views,
    )  # fmt: skip


def photo_visible(store: Store, audience: Audience, sha256: str) -> str | None:
    """The media type of a stored photo when it belongs to a component the audience may see."""
    query = (
        select(tables.evidence.c.media_type)
        .select_from(
            tables.evidence.join(comp, comp.c.photo_sha256 == tables.evidence.c.sha256).join(
                it, it.c.id == comp.c.item_id
            )
        )
        .where(tables.evidence.c.sha256 == sha256, audience.item_filter())
        .limit(1)
    )
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return str(found) if found is not None else None


def _ranked(counts: Counter[str], top: int) -> list[tuple[str, float]]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows: list[tuple[str, float]] = [(label, float(n)) for label, n in ranked[:top]]
    rest = sum(n for _, n in ranked[top:])
    if rest:
        rows.append((f"{len(ranked) - top} others", float(rest)))
    return rows


def country_label(code: str | None) -> str:
    """A country code with its name, e.g. "United States (US)"; "unknown" for None."""
    if not code:
        return "unknown"
    try:
        return f"{country_name(code)} ({code})"
    except KeyError:
        return code


def country_rows(
    item: ItemView, by_country: Mapping[str, int] | None = None, *, top: int = 12
) -> list[tuple[str, float]]:
    """Identified components per headquarters country (the summary's counts when given)."""
    counts: Counter[str] = Counter()
    if by_country is not None:
        counts.update({country_label(code): int(n) for code, n in by_country.items()})
    else:
        counts.update(country_label(c.country) for c in item.components if c.country)
    return _ranked(counts, top)


def company_rows(
    item: ItemView | None, by_company: Mapping[str, int] | None = None, *, top: int = 15
) -> list[tuple[str, float]]:
    """Components per maker: the summary's counts when given, else the item's components
    (the analyst's identification first)."""
    counts: Counter[str] = Counter()
    if by_company is not None:
        counts.update({maker_name(str(key)): int(n) for key, n in by_company.items()})
    elif item is not None:
        counts.update(
            name for c in item.components if (name := c.analyst_manufacturer or c.manufacturer)
        )
    return _ranked(counts, top)


def date_code_points(item: ItemView) -> list[tuple[date, int]]:
    """Date codes by month of their earliest possible day."""
    months = Counter(c.date_earliest.replace(day=1) for c in item.components if c.date_earliest)
    return sorted(months.items())


def maker_name(key: str) -> str:
    """A registry id as its company name (other keys are already names)."""
    try:
        return load_registry().get(key).name
    except NotFound:
        return key
