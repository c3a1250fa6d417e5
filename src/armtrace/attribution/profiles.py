"""Item profiles: what attribution and linking compare (part keys, makers, dates, markings).

Invariants:
- A component's part key comes from its stored reading (``armtrace analyse``); a component with
  no reading yet is identified on the fly from its marking, so nothing depends on run order.
- The maker is the analyst's identification when the registry knows that name, else the
  machine reading's; unknown makers are left out, never guessed.
- Weapon-system names are folded to the vocabulary's name ("Geran-2" -> "Shahed-136 / Geran-2")
  when the vocabulary names exactly one system; other text is kept as the analyst typed it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select

from armtrace.dating import decode_item_year
from armtrace.errors import NotFound
from armtrace.markings.identify import identify
from armtrace.markings.readings import part_key
from armtrace.refdata.manufacturers import load_registry
from armtrace.refdata.vocabulary import weapon_system_for_text
from armtrace.store import Store, tables


@dataclass
class ItemProfile:
    """One documented item as the comparisons see it."""

    id: int
    key: str
    incident_key: str
    incident_date: datetime.date | None
    item_type: str | None
    item_markings: str | None
    weapon_system: str | None
    parts: set[str] = field(default_factory=set)
    part_names: dict[str, str] = field(default_factory=dict)  # part key -> part number as read
    makers: Counter[str] = field(default_factory=Counter)
    dates: list[datetime.date] = field(default_factory=list)  # latest end of each date code
    marked_years: list[int] = field(default_factory=list)  # production years on the item itself
    components: int = 0


@dataclass(frozen=True)
class _Reading:
    part_number: str | None
    part_key: str | None
    maker_id: str | None
    date_latest: datetime.date | None


def canonical_system(text: str | None) -> str | None:
    """The vocabulary's name for an analyst's attribution, or the text itself, or None."""
    if not text or not text.strip():
        return None
    system = weapon_system_for_text(text)
    return system.name if system else text.strip()


@lru_cache(maxsize=100_000)
def _identify_marking(marking: str) -> _Reading:
    found = identify(marking)
    part = found.parsed.part_number
    return _Reading(
        part,
        part_key(part) if part else None,
        found.manufacturer.id if found.manufacturer else None,
        found.date_code.latest if found.date_code else None,
    )


@lru_cache(maxsize=10_000)
def _maker_id(name: str) -> str | None:
    maker = load_registry().resolve_name(name)
    return maker.id if maker else None


def _marked_years(markings: str | None, documented_on: datetime.date | None) -> list[int]:
    window = decode_item_year(markings, documented_on=documented_on) if markings else None
    if window is None or window.ambiguous:
        return []  # two readings of the year: do not pick one
    return [window.earliest.year]


def load_profiles(
    store: Store, *, keys: Iterable[str] | None = None, reference_only: bool = False
) -> dict[str, ItemProfile]:
    """Profiles of the given items (all, or the reference library), keyed by item key."""
    it, inc, comp, rd = tables.items, tables.incidents, tables.components, tables.readings
    item_query = select(
        it.c.id, it.c.key, inc.c.key, inc.c.incident_date, it.c.item_type, it.c.item_markings,
        it.c.weapon_system,
    ).select_from(it.join(inc, inc.c.id == it.c.incident_id))  # fmt: skip
    wanted = None if keys is None else sorted(set(keys))
    if wanted is not None:
        item_query = item_query.where(it.c.key.in_(wanted))
    if reference_only:
        item_query = item_query.where(func.length(func.trim(it.c.weapon_system)) > 0)
    profiles: dict[int, ItemProfile] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(item_query):
            profile = ItemProfile(
                row[0], row[1], row[2], row[3], row[4], row[5], canonical_system(row[6])
            )
            profile.marked_years = _marked_years(row[5], row[3])
            profiles[row[0]] = profile
        if wanted is not None and len(profiles) < len(wanted):
            missing = sorted(set(wanted) - {p.key for p in profiles.values()})
            raise NotFound(f"no item {', '.join(missing)} in the store (check the item_id)")
        comp_query = select(
            comp.c.item_id, comp.c.marking, comp.c.manufacturer, rd.c.component_id,
            rd.c.part_number, rd.c.part_key, rd.c.manufacturer_id, rd.c.date_latest,
        ).select_from(comp.outerjoin(rd, rd.c.component_id == comp.c.id))  # fmt: skip
        if wanted is not None or reference_only:
            comp_query = comp_query.where(comp.c.item_id.in_(list(profiles)))
        for found_row in conn.execute(comp_query):
            item_id, marking, analyst_maker, read_id, number, key, maker_id, latest = found_row
            profile = profiles[item_id]
            profile.components += 1
            if read_id is None and marking:
                found = _identify_marking(marking)
                number, key, maker_id, latest = (
                    found.part_number,
                    found.part_key,
                    found.maker_id,
                    found.date_latest,
                )
            maker = (_maker_id(analyst_maker) if analyst_maker else None) or maker_id
            if key:
                profile.parts.add(key)
                profile.part_names.setdefault(key, number or key)
            if maker:
                profile.makers[maker] += 1
            if latest:
                profile.dates.append(latest)
    return {p.key: p for p in profiles.values()}
