"""Read functions for the reference pages: a manufacturer, a weapon system, and their lists.

Invariants:
- Reference facts come from the bundled registry and vocabulary, each with its sources; what
  the store adds (where parts turned up, when) is limited to items the audience may see.
- A manufacturer's sightings count components the machine attributed to it
  (``readings.manufacturer_id``); an analyst's different identification is shown on the item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from armtrace.refdata.manufacturers import Manufacturer, load_registry
from armtrace.refdata.vocabulary import WeaponSystem, load_weapon_systems, weapon_systems_for_text
from armtrace.store import Store, tables
from armtrace.web.visibility import Audience

inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings
MAX_SIGHTINGS = 200  # items listed on a manufacturer's page, most recent first


@dataclass(frozen=True)
class MakerSighting:
    """Components of one maker found in one item."""

    item: str
    incident: str
    incident_date: date | None
    place: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    exercise: bool
    components: int
    part_numbers: tuple[str, ...]


@dataclass(frozen=True)
class MakerView:
    """A manufacturer's record, its owners, and where its parts turned up."""

    maker: Manufacturer
    owners: tuple[Manufacturer, ...]  # successors in turn, the current owner last
    brands: tuple[Manufacturer, ...]  # makers it took over, directly or not
    sightings: tuple[MakerSighting, ...]  # the most recent MAX_SIGHTINGS items
    date_codes: tuple[tuple[date, int], ...]  # earliest day of each date code, by month
    total_components: int
    total_items: int


def maker_view(store: Store, audience: Audience, maker_id: str) -> MakerView:
    """The manufacturer page's content; raises ``NotFound`` for an unknown id.

    Every query aggregates in the database, so a maker with millions of identified components
    still costs a few bounded result sets."""
    registry = load_registry()
    maker = registry.get(maker_id)
    brands = tuple(
        other for other in registry
        if other.id != maker.id and maker in registry.owner_chain(other.id)
    )  # fmt: skip
    parts = rd.join(comp, comp.c.id == rd.c.component_id).join(it, it.c.id == comp.c.item_id)
    mine = (rd.c.manufacturer_id == maker_id, audience.item_filter())
    by_item = (
        select(it.c.key, inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country,
               inc.c.latitude, inc.c.longitude, inc.c.exercise, func.count())
        .select_from(parts.join(inc, inc.c.id == it.c.incident_id))
        .where(*mine)
        .group_by(it.c.id, inc.c.id)
        .order_by(inc.c.incident_date.desc(), it.c.key)
        .limit(MAX_SIGHTINGS)
    )  # fmt: skip
    by_day = select(rd.c.date_earliest, func.count()).select_from(parts).where(*mine)
    totals = select(func.count(), func.count(func.distinct(it.c.id))).select_from(parts)
    with store.engine.connect() as conn:
        rows = conn.execute(by_item).all()
        keys = [row[0] for row in rows]
        numbers = conn.execute(
            select(it.c.key, rd.c.part_number).distinct().select_from(parts)
            .where(*mine, it.c.key.in_(keys), rd.c.part_number.is_not(None))
        ).all()  # fmt: skip
        days = conn.execute(by_day.group_by(rd.c.date_earliest)).all()
        components, items = conn.execute(totals.where(*mine)).one()
    part_numbers: dict[str, set[str]] = {}
    for key, number in numbers:
        part_numbers.setdefault(key, set()).add(str(number))
    months: Counter[date] = Counter()
    for day, count in days:
        if day is not None:
            months[day.replace(day=1)] += int(count)
    sightings = tuple(_sighting(row, part_numbers, audience) for row in rows)
    owners = tuple(registry.owner_chain(maker_id)[1:])
    return MakerView(
        maker, owners, brands, sightings, tuple(sorted(months.items())), int(components),
        int(items),
    )  # fmt: skip


def _sighting(row: Any, part_numbers: dict[str, set[str]], audience: Audience) -> MakerSighting:
    return MakerSighting(
        row[0], row[1], row[2], row[3], row[4], audience.coordinate(row[5]),
        audience.coordinate(row[6]), bool(row[7]), int(row[8]),
        tuple(sorted(part_numbers.get(row[0], ()))),
    )  # fmt: skip


@dataclass(frozen=True)
class MakerLine:
    """A manufacturer in the list, with how many visible components it was found in."""

    id: str
    name: str
    country: str | None
    components: int
    items: int


def maker_lines(store: Store, audience: Audience) -> list[MakerLine]:
    """Manufacturers whose parts were found in visible items, most components first."""
    query = (
        select(rd.c.manufacturer_id, func.count(), func.count(func.distinct(comp.c.item_id)))
        .select_from(rd.join(comp, comp.c.id == rd.c.component_id)
                     .join(it, it.c.id == comp.c.item_id))
        .where(rd.c.manufacturer_id.is_not(None), audience.item_filter())
        .group_by(rd.c.manufacturer_id)
    )  # fmt: skip
    registry = load_registry()
    known = {maker.id: maker for maker in registry}
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    lines = [
        MakerLine(str(r[0]), known[r[0]].name if r[0] in known else str(r[0]),
                  known[r[0]].country if r[0] in known else None, int(r[1]), int(r[2]))
        for r in rows
    ]  # fmt: skip
    return sorted(lines, key=lambda line: (-line.components, line.name))


@dataclass(frozen=True)
class SystemView:
    """A weapon system's record and the visible items attributed to it by analysts."""

    system: WeaponSystem
    related: tuple[tuple[WeaponSystem, str], ...]
    names_in_store: tuple[str, ...]  # the weapon_system texts of items that name this system


def system_item_counts(store: Store, audience: Audience) -> dict[str, dict[str, int]]:
    """Weapon-system id -> {item ``weapon_system`` text naming it: visible items with it}."""
    query = (
        select(it.c.weapon_system, func.count())
        .where(it.c.weapon_system.is_not(None), audience.item_filter())
        .group_by(it.c.weapon_system)
    )
    with store.engine.connect() as conn:
        rows = [(str(text), int(count)) for text, count in conn.execute(query)]
    found: dict[str, dict[str, int]] = {}
    for text, count in rows:
        for system in weapon_systems_for_text(text):
            found.setdefault(system.id, {})[text] = count
    return found


def system_view(store: Store, audience: Audience, system_id: str) -> SystemView | None:
    """The weapon-system page's content, or None for an id not in the vocabulary."""
    systems = load_weapon_systems()
    system = systems.get(system_id)
    if system is None:
        return None
    related = tuple((systems[r.id], r.relation) for r in system.related if r.id in systems)
    names = system_item_counts(store, audience).get(system_id, {})
    return SystemView(system, related, tuple(sorted(names)))
