"""FollowTheMoney entities, one JSON object per line, for Aleph, yente and other FtM tools.

What maps, and how:
- a manufacturer (registry) -> ``Company`` with name, headquarters ``country``, aliases, former
  names (``previousName``), kinds (``sector``) and its sources (``sourceUrl``);
- an acquisition -> ``Ownership`` (owner = successor, asset = maker, ``startDate`` at the
  precision the registry knows); a merger, renaming or spin-off -> ``Succession``;
- an incident -> ``Event`` (name, date, country, place as ``location``) with an ``Address``
  holding its coordinates;
- a maker whose parts were documented at an incident -> ``UnknownLink`` whose ``role`` says
  exactly that and that it is context, not proof of wrongdoing.
Not mapped: items and components (FtM has no schema for a weapon or a part; forcing them into
``Thing`` subtypes such as ``Asset`` would claim ownership or value that is not there), date
codes and readings (no FtM property for a production window), and the analyst's weapon-system
attribution (kept in the event summary as text, since FtM has no judgement schema).

Invariants: ids are stable hashes of armtrace keys (re-exporting gives the same ids); every
manufacturer an entity refers to is itself written; exercise incidents say so in name and notes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from armtrace.exports import ExportResult
from armtrace.exports.scope import coordinate, only_published, public_namer
from armtrace.refdata.manufacturers import Manufacturer, load_registry
from armtrace.store import Store, tables

CONTEXT_ROLE = (
    "parts made by this company were documented in remnants recovered at this event "
    "(context, not proof of wrongdoing by the company)"
)
OWNERSHIP_EVENTS = frozenset({"acquired"})

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy


def _entity(schema: str, *key: str) -> EntityProxy:
    # Imported here: loading FtM's model costs every armtrace command ~0.4 s at start-up.
    from followthemoney import model

    proxy = model.make_entity(schema)
    proxy.make_id("armtrace", *key)
    return proxy


def _dated(value: date | None, precision: str) -> str | None:
    """A registry date at the precision it is known ("2001", "2008-06", "2017-03-10")."""
    if value is None or precision == "unknown":
        return None
    return {"year": value.isoformat()[:4], "month": value.isoformat()[:7]}.get(
        precision, value.isoformat()
    )


def company(maker: Manufacturer, name: str) -> EntityProxy:
    """The FtM Company for one registry record."""
    proxy = _entity("Company", "manufacturer", maker.id)
    proxy.add("name", name)
    proxy.add("country", maker.country)
    proxy.add("sector", list(maker.kinds))
    if name == maker.name:  # a withheld company keeps its label only: aliases and sources name it
        proxy.add("alias", [a for a in (maker.short, *maker.aliases) if a and a != maker.name])
        proxy.add("previousName", [former for former, _ in maker.former_names])
        proxy.add("sourceUrl", [source.url for source in maker.sources])
    return proxy


def succession(maker: Manufacturer, *, cite: bool = True) -> EntityProxy | None:
    """Ownership or Succession for a maker that was taken over, or None."""
    step = maker.successor
    if step is None:
        return None
    when = _dated(step.date, step.date_precision)
    urls = [s.url for s in maker.sources if "successor" in s.supports] if cite else []
    if step.event in OWNERSHIP_EVENTS:
        proxy = _entity("Ownership", "ownership", maker.id, step.successor_id)
        proxy.add("owner", _entity("Company", "manufacturer", step.successor_id).id)
        proxy.add("asset", _entity("Company", "manufacturer", maker.id).id)
        proxy.add("startDate", when)
        proxy.add("ownershipType", "acquisition")
    else:
        proxy = _entity("Succession", "succession", maker.id, step.successor_id)
        proxy.add("predecessor", _entity("Company", "manufacturer", maker.id).id)
        proxy.add("successor", _entity("Company", "manufacturer", step.successor_id).id)
        proxy.add("date", when)
        proxy.add("role", step.event)
    proxy.add("sourceUrl", urls)
    return proxy


def _incident_rows(store: Store, public: bool) -> dict[str, dict[str, Any]]:
    inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings
    query = only_published(
        select(
            inc.c.key, inc.c.incident_date, inc.c.place, inc.c.country, inc.c.latitude,
            inc.c.longitude, inc.c.exercise, it.c.key.label("item"), it.c.item_type,
            it.c.weapon_system, rd.c.manufacturer_id,
        )
        .select_from(
            it.join(inc, inc.c.id == it.c.incident_id)
            .outerjoin(comp, comp.c.item_id == it.c.id)
            .outerjoin(rd, rd.c.component_id == comp.c.id)
        )
        .distinct(),
        public,
    )  # fmt: skip
    found: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            fresh = {**row, "items": defaultdict(str), "makers": set()}
            entry = found.setdefault(row["key"], fresh)
            entry["items"][row["item"]] = " ".join(
                part for part in (row["item_type"], row["weapon_system"]) if part
            )
            if row["manufacturer_id"]:
                entry["makers"].add(row["manufacturer_id"])
    return found


def _event(key: str, row: dict[str, Any], public: bool) -> Iterator[EntityProxy]:
    label = " (EXERCISE DATA)" if row["exercise"] else ""
    address = _entity("Address", "incident-place", key)
    address.add("full", row["place"] or key)
    address.add("country", row["country"])
    for axis in ("latitude", "longitude"):
        # A string, because FtM formats a float argument to two decimals.
        value = coordinate(row[axis], public)
        address.add(axis, None if value is None else repr(value))
    event = _entity("Event", "incident", key)
    event.add("name", f"{row['place'] or key}{label}")
    event.add("recordId", key)
    event.add("date", row["incident_date"].isoformat() if row["incident_date"] else None)
    event.add("country", row["country"])
    event.add("location", row["place"])
    event.add("addressEntity", address.id)
    items = "; ".join(f"{k} {v}".strip() for k, v in sorted(row["items"].items()))
    event.add("summary", f"Items documented: {items}.")
    if row["exercise"]:
        event.add("notes", "EXERCISE DATA: invented for training and testing, not a real event.")
        event.add("keywords", "exercise data")
    yield address
    yield event


def entities(store: Store, *, public: bool = False) -> tuple[list[EntityProxy], tuple[str, ...]]:
    """Every entity of the export, and notes on what could not be applied."""
    registry = load_registry()
    name_for, notes = public_namer(store, public)
    incidents = _incident_rows(store, public)
    found: list[EntityProxy] = []
    makers: set[str] = set()
    for key, row in sorted(incidents.items()):
        found.extend(_event(key, row, public))
        for maker_id in sorted(row["makers"]):
            makers.update(m.id for m in registry.owner_chain(maker_id))
            link = _entity("UnknownLink", "documented-at", maker_id, key)
            link.add("subject", _entity("Company", "manufacturer", maker_id).id)
            link.add("object", _entity("Event", "incident", key).id)
            link.add("role", CONTEXT_ROLE)
            found.append(link)
    for maker_id in sorted(makers):
        maker = registry.get(maker_id)
        found.append(company(maker, name_for(maker.name)))
        named = name_for(maker.name) == maker.name
        if maker.successor is not None:
            successor = registry.get(maker.successor.successor_id)
            named = named and name_for(successor.name) == successor.name
        if (step := succession(maker, cite=named)) is not None:
            found.append(step)
    return found, notes


def write_ftm(store: Store, path: Path, *, public: bool = False) -> ExportResult:
    """Write the store's FtM entities to ``path``, one JSON object per line."""
    found, notes = entities(store, public=public)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for proxy in found:
            handle.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return ExportResult(str(path), ".ftm.json", len(found), public, notes=notes)
