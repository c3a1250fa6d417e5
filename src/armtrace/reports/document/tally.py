"""Count a report's components once, streaming: companies, countries, date codes, places.

The rows are the analytics facts (``armtrace.analytics.facts``: the same resolver every summary
uses), so a report and ``armtrace summary`` never disagree on who made a part.

Invariants:
- Companies are grouped by the company that owned the brand on the incident date (``company``);
  the current owner is shown beside it; headquarters unknown stays None.
- HS codes come from the component kind its description names (refdata vocabulary); a kind
  without codes, or no description, adds none.
- Photos are kept only as (sha256, caption) references here; they are read (hash-checked) later.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from armtrace.analytics.facts import Fact, Resolver, base_query, matches_maker, scoped_query
from armtrace.analytics.scope import Scope
from armtrace.refdata.vocabulary import kind_for_text
from armtrace.store import Store, tables

BATCH = 20_000
TIER_ORDER = ("1", "2", "3.A", "3.B", "4.A", "4.B")


@dataclass
class CompanyTally:
    """Counts for one company."""

    name: str
    registry_id: str | None
    owner: str | None
    headquarters: str | None
    components: int = 0
    tiers: set[str] = field(default_factory=set)
    hs_codes: set[str] = field(default_factory=set)


@dataclass
class Place:
    """Where an incident was documented."""

    key: str
    date: datetime.date | None
    latitude: float | None
    longitude: float | None
    place: str | None
    exercise: bool


@dataclass
class Tally:
    """Everything counted over a report's scope."""

    components: int = 0
    identified: int = 0
    exercise: bool = False
    companies: dict[str, CompanyTally] = field(default_factory=dict)
    countries: Counter[str] = field(default_factory=Counter)
    date_codes: Counter[datetime.date] = field(default_factory=Counter)
    items: dict[str, str | None] = field(default_factory=dict)  # item key -> weapon system
    incidents: dict[str, Place] = field(default_factory=dict)
    photos: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    registry_versions: set[str] = field(default_factory=set)


@lru_cache(maxsize=4096)
def hs_codes_for(description: str) -> tuple[str, ...]:
    """The HS codes of the component kind a description names."""
    kind = kind_for_text(description)
    return kind.hs_codes if kind else ()


def _add(tally: Tally, fact: Fact, description: str | None) -> None:
    tally.components += 1
    tally.exercise = tally.exercise or fact.exercise
    tally.items.setdefault(fact.item_key, fact.weapon_system)
    if fact.date_latest is not None:
        tally.date_codes[fact.date_latest.replace(day=1)] += 1
    if fact.company is None:
        return
    tally.identified += 1
    tally.countries[fact.company_country or "unknown"] += 1
    entry = tally.companies.get(fact.company)
    if entry is None:
        owner = fact.owner_name if fact.owner and fact.owner != fact.company else None
        entry = CompanyTally(
            fact.company_name or fact.company, fact.maker_id and fact.company, owner,
            fact.company_country,
        )  # fmt: skip
        tally.companies[fact.company] = entry
    entry.components += 1
    if fact.chpl_tier:
        entry.tiers.add(fact.chpl_tier)
    if description:
        entry.hs_codes.update(hs_codes_for(description))


def fill_places(store: Store, tally: Tally) -> None:
    """Fill in each counted incident's coordinates and place name from the store."""
    inc = tables.incidents
    keys = sorted({key for key in tally.incidents})
    with store.engine.connect() as conn:
        for start in range(0, len(keys), 500):
            query = select(inc.c.key, inc.c.latitude, inc.c.longitude, inc.c.place).where(
                inc.c.key.in_(keys[start : start + 500])
            )
            for key, lat, lon, place in conn.execute(query):
                found = tally.incidents[key]
                found.latitude, found.longitude, found.place = lat, lon, place


def _position(column: object) -> int:
    """Where a store column sits in the analytics base query's rows."""
    return next(i for i, c in enumerate(base_query().selected_columns) if c is column)


def tally_store(store: Store, scope: Scope) -> Tally:
    """Count every component in ``scope`` straight from the store, in batches."""
    comp, rd = tables.components, tables.readings
    width = len(base_query().selected_columns)  # our own columns come after the base ones
    description, marking = _position(comp.c.description), _position(comp.c.marking)
    query = scoped_query(scope).add_columns(comp.c.photo_sha256, rd.c.registry_version)
    resolver, tally = Resolver(), Tally()
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for rows in result.partitions(BATCH):
            for row in rows:
                fact = resolver.fact(row[:width])
                if not matches_maker(fact, scope.manufacturer_id):
                    continue
                _add(tally, fact, row[description])
                photo, version = row[width], row[width + 1]
                if photo:
                    caption = f"{fact.part_number or row[marking] or 'unread marking'}"
                    rank = TIER_ORDER.index(fact.chpl_tier) if fact.chpl_tier else 9
                    tally.photos.append((rank, photo, fact.item_key, fact.component_key, caption))
                if version:
                    tally.registry_versions.add(version)
                if fact.incident_key not in tally.incidents:
                    tally.incidents[fact.incident_key] = Place(
                        fact.incident_key, fact.incident_date, None, None, None, fact.exercise
                    )
    fill_places(store, tally)
    return tally
