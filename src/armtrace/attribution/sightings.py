"""First sightings: an item type, weapon system, maker or production year seen first in a country.

Invariants:
- The theatre is the country where the item was documented (ISO alpha-2) for now; the output
  says so. Items with no country are grouped under "unknown", never assigned one.
- The first sighting is the earliest dated incident (ties: incident key, then item key); undated
  incidents count only when nothing of that kind is dated, and then ``first_seen`` is None.
- Exercise data and real data are kept apart: an exercise item is never the first sighting of
  something in real data, and the reverse.
- Makers are resolved as in summaries (an analyst's entry through the registry, else the machine
  reading); a production year counts only when the item's markings give one year unambiguously.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from armtrace.dating.years import decode_item_year
from armtrace.errors import NotFound
from armtrace.refdata.manufacturers import load_registry
from armtrace.store import Store, tables

ASPECTS = ("item_type", "weapon_system", "manufacturer", "production_year")
THEATRE_NOTE = "theatre is the country of documentation for now"


@dataclass(frozen=True)
class FirstSighting:
    """The first documented item of one kind (``aspect``: value) in one country."""

    aspect: str  # "item_type" | "weapon_system" | "manufacturer" | "production_year"
    value: str
    country: str | None
    theatre: str | None
    first_seen: datetime.date | None
    item_key: str
    incident_key: str
    exercise: bool
    later_sightings: int  # other items of the same kind in the same country
    why: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        data = asdict(self)
        data["first_seen"] = self.first_seen.isoformat() if self.first_seen else None
        return data


@dataclass(frozen=True)
class _Seen:
    day: datetime.date | None
    incident: str
    item: str
    country: str | None
    exercise: bool


def _order(seen: _Seen) -> tuple[bool, datetime.date, str, str]:
    return (seen.day is None, seen.day or datetime.date.max, seen.incident, seen.item)


def _item_values(store: Store) -> list[tuple[str, str, _Seen]]:
    """(aspect, value, sighting) for every item's type, system and marked production year."""
    it, inc = tables.items, tables.incidents
    query = select(
        it.c.key, it.c.item_type, it.c.weapon_system, it.c.item_markings,
        inc.c.key, inc.c.incident_date, inc.c.country, inc.c.exercise,
    ).select_from(it.join(inc, inc.c.id == it.c.incident_id))  # fmt: skip
    found: list[tuple[str, str, _Seen]] = []
    with store.engine.connect() as conn:
        for item, kind, system, markings, incident, day, country, exercise in conn.execute(query):
            seen = _Seen(day, incident, item, country, bool(exercise))
            if kind and kind.strip():
                found.append(("item_type", kind.strip(), seen))
            if system and system.strip():
                found.append(("weapon_system", system.strip(), seen))
            year = decode_item_year(markings, documented_on=day) if markings else None
            if year is not None and not year.ambiguous:
                found.append(("production_year", str(year.earliest.year), seen))
    return found


def _maker_values(store: Store) -> list[tuple[str, str, _Seen]]:
    """(aspect, maker name, sighting) once per item and maker."""
    comp, it, inc, r = tables.components, tables.items, tables.incidents, tables.readings
    query = (
        select(it.c.key, inc.c.key, inc.c.incident_date, inc.c.country, inc.c.exercise,
               comp.c.manufacturer, r.c.manufacturer_id)
        .select_from(comp.join(it, it.c.id == comp.c.item_id)
                     .join(inc, inc.c.id == it.c.incident_id)
                     .outerjoin(r, r.c.component_id == comp.c.id))
        .distinct()
    )  # fmt: skip
    registry = load_registry()
    found: list[tuple[str, str, _Seen]] = []
    with store.engine.connect() as conn:
        for item, incident, day, country, exercise, analyst, machine_id in conn.execute(query):
            name: str | None = None
            if analyst and analyst.strip():
                maker = registry.resolve_name(analyst.strip())
                name = maker.name if maker else analyst.strip()
            elif machine_id:
                try:
                    name = registry.get(machine_id).name
                except NotFound:  # read with an older registry: keep the id itself
                    name = machine_id
            if name:
                found.append(("manufacturer", name, _Seen(day, incident, item, country,
                                                           bool(exercise))))  # fmt: skip
    return found


def first_sightings(store: Store, *, since: datetime.date | None = None) -> list[FirstSighting]:
    """Every first sighting (first documented in a country), oldest first; ``since`` filters."""
    groups: dict[tuple[str, str, str | None, bool], list[tuple[str, _Seen]]] = {}
    for aspect, value, seen in _item_values(store) + _maker_values(store):
        key = (aspect, value.casefold(), seen.country, seen.exercise)
        groups.setdefault(key, []).append((value, seen))
    result: list[FirstSighting] = []
    for (aspect, _, country, exercise), sightings in groups.items():
        value, first = min(sightings, key=lambda pair: _order(pair[1]))
        items = {seen.item for _, seen in sightings}
        if since is not None and (first.day is None or first.day < since):
            continue
        where = country or "an unknown country"
        when = first.day.isoformat() if first.day else "an undated incident"
        why = (
            f"{aspect.replace('_', ' ')} '{value}' first documented in {where} on {when} "
            f"(item {first.item}, incident {first.incident}); {len(items) - 1} later item(s); "
            f"{THEATRE_NOTE}."
        )
        if exercise:
            why = "EXERCISE DATA: " + why
        result.append(
            FirstSighting(aspect, value, country, country, first.day, first.item, first.incident,
                          exercise, len(items) - 1, why)
        )  # fmt: skip
    result.sort(key=lambda s: (s.first_seen is None, s.first_seen or datetime.date.max,
                               s.country or "", ASPECTS.index(s.aspect), s.value))  # fmt: skip
    return result
