"""One row of facts per documented component: who made it, who owned the brand, where, when.

These rows are what every summary counts, whether it reads the store directly (small scopes) or
a Parquet snapshot through DuckDB (large scopes), so both give the same answers.

Invariants:
- The maker is an analyst's entry (``components.manufacturer``) resolved through the registry
  when there is one, otherwise the machine reading; an analyst's name the registry does not know
  still counts as identified, with its company named as entered and its country unknown.
- ``company`` is the company that owned the maker's brand on the incident date (the maker itself
  when undated or never taken over); ``owner`` is the brand's owner today. ``company_country`` is
  that company's headquarters; the country printed on the part (``origin_country``) is kept apart.
- Unknown stays None: no country, tier or date is filled in by guessing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select

from armtrace.analytics.scope import Scope
from armtrace.errors import NotFound
from armtrace.markings import origin as origin_names
from armtrace.markings.normalise import clean_text, split_lines, split_tokens
from armtrace.markings.origin import find_origin
from armtrace.refdata.manufacturers import Manufacturer, Registry, load_registry
from armtrace.refdata.vocabulary import chpl_tier, kind_for_text
from armtrace.store import Store, tables


class Fact(NamedTuple):
    """Everything a summary needs to know about one component."""

    component_id: int
    component_key: str
    item_key: str
    item_type: str | None
    weapon_system: str | None
    item_state: str
    incident_key: str
    incident_date: datetime.date | None
    incident_country: str | None
    exercise: bool
    part_number: str | None
    part_key: str | None
    maker_id: str | None  # registry id of the brand on the part
    maker_name: str | None  # registry name, or the analyst's text when the registry lacks it
    maker_source: str | None  # "analyst" | "machine" | None when unidentified
    company: str | None  # grouping key: registry id, or the analyst's text
    company_name: str | None
    company_country: str | None
    owner: str | None
    owner_name: str | None
    owner_country: str | None
    origin_text: str | None
    origin_country: str | None
    chpl_tier: str | None
    date_raw: str | None
    date_earliest: datetime.date | None
    date_latest: datetime.date | None
    item_id: int
    incident_id: int


FACT_COLUMNS: tuple[str, ...] = Fact._fields


def base_query() -> Select[Any]:
    """Components joined with their item, incident and machine reading, in component order."""
    comp, it, inc, r = tables.components, tables.items, tables.incidents, tables.readings
    columns = (
        comp.c.id, comp.c.key, it.c.key, it.c.item_type, it.c.weapon_system, it.c.state,
        inc.c.key, inc.c.incident_date, inc.c.country, inc.c.exercise,
        r.c.part_number, r.c.part_key, comp.c.manufacturer, r.c.manufacturer_id,
        comp.c.marking, comp.c.description, r.c.date_raw, r.c.date_earliest, r.c.date_latest,
        it.c.id, inc.c.id,
    )  # fmt: skip
    return (
        select(*columns)
        .select_from(
            comp.join(it, it.c.id == comp.c.item_id)
            .join(inc, inc.c.id == it.c.incident_id)
            .outerjoin(r, r.c.component_id == comp.c.id)
        )
        .order_by(comp.c.id)
    )


def scoped_query(scope: Scope) -> Select[Any]:
    """``base_query`` narrowed by every scope field the store can filter on (not the maker)."""
    it, inc = tables.items, tables.incidents
    query = base_query()
    if scope.item_key is not None:
        query = query.where(it.c.key == scope.item_key)
    if scope.incident_key is not None:
        query = query.where(inc.c.key == scope.incident_key)
    if scope.weapon_system is not None:
        query = query.where(func.lower(it.c.weapon_system) == scope.weapon_system.strip().lower())
    if scope.country is not None:
        query = query.where(inc.c.country == scope.country.upper())
    if scope.since is not None:
        query = query.where(inc.c.incident_date >= scope.since)
    if scope.until is not None:
        query = query.where(inc.c.incident_date <= scope.until)
    if scope.published_only:
        query = query.where(it.c.state == "published")
    return query


def matches_maker(fact: Fact, manufacturer_id: str | None) -> bool:
    """True when the scope names no maker, or this part's brand, company or owner is it."""
    if manufacturer_id is None:
        return True
    return manufacturer_id in (fact.maker_id, fact.company, fact.owner)


@lru_cache(maxsize=4096)
def tier_for_description(description: str) -> str | None:
    """The CHPL tier of the component kind a description names; None when unclear or none."""
    kind = kind_for_text(description)
    if kind is None or not kind.hs_codes:
        return None
    tiers = {chpl_tier(code) for code in kind.hs_codes}
    # A kind whose HS codes sit in different tiers (or none) has no single tier: say unknown.
    return tiers.pop() if len(tiers) == 1 else None


# Every word an origin phrase can contain (after armtrace.markings.origin's own normalisation:
# dots and apostrophes dropped, upper case). Non-ASCII text always takes the full path, since
# cleaning folds Cyrillic look-alike letters into Latin ones there.
_ORIGIN_WORDS = frozenset(
    word
    for phrase in (*origin_names._NAMES, *origin_names._ALPHA3, *origin_names._MADE_IN)
    for word in phrase.split()
)


@lru_cache(maxsize=200_000)
def origin_of(marking: str) -> tuple[str | None, str | None]:
    """(origin text, ISO country) printed on a marking, as ``parse_marking`` finds it.

    Only the origin step of the parser (the first line with an origin phrase wins), since the
    full parse costs ten times as much and a snapshot meets millions of distinct markings.
    """
    if marking.isascii() and not _ORIGIN_WORDS.intersection(
        re.findall(r"[A-Z]+", re.sub(r"[.'’]", "", marking.upper()))
    ):
        return None, None  # no word of any origin phrase: skip the tokeniser (most markings)
    for line in split_lines(clean_text(marking)):
        found = find_origin([text.upper() for text, _ in split_tokens(line)])
        if found is not None:
            return found.text, found.country
    return None, None


class Resolver:
    """Turns raw store rows into Facts, resolving makers through one registry."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or load_registry()
        self._names: dict[str, Manufacturer | None] = {}

    def _by_name(self, name: str) -> Manufacturer | None:
        if name not in self._names:
            self._names[name] = self.registry.resolve_name(name)
        return self._names[name]

    def _by_id(self, maker_id: str) -> Manufacturer | None:
        try:
            return self.registry.get(maker_id)
        except NotFound:  # a reading made with an older registry: keep the id, country unknown
            return None

    def fact(self, row: Any) -> Fact:
        """One Fact from a ``base_query`` row."""
        (cid, ckey, item, item_type, system, state, incident, when, where, exercise) = row[:10]
        part, pkey, analyst, machine_id, marking, description, raw, earliest, latest = row[10:19]
        analyst = (analyst or "").strip()
        maker: Manufacturer | None = None
        name: str | None = None
        source: str | None = None
        if analyst:
            maker, name, source = self._by_name(analyst), analyst, "analyst"
        elif machine_id:
            maker, name, source = self._by_id(machine_id), machine_id, "machine"
        company = owner = maker
        if maker is not None:
            company = self.registry.owner_on(maker.id, when) if when else maker
            owner = self.registry.current_owner(maker.id)
        origin_text, origin_country = origin_of(marking) if marking else (None, None)
        return Fact(
            int(cid), ckey, item, item_type, system, state, incident, when, where, bool(exercise),
            part, pkey,
            maker.id if maker else None, maker.name if maker else name, source,
            company.id if company else name, company.name if company else name,
            company.country if company else None,
            owner.id if owner else name, owner.name if owner else name,
            owner.country if owner else None,
            origin_text, origin_country,
            tier_for_description(description) if description else None,
            raw, earliest, latest, int(row[19]), int(row[20]),
        )  # fmt: skip


def iter_facts(
    store: Store, scope: Scope | None = None, *, batch_size: int = 20_000
) -> Iterator[list[Fact]]:
    """Facts for the scope in batches, streamed from the store (bounded memory)."""
    scope = scope or Scope()
    resolver = Resolver()
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
            scoped_query(scope)
        )
        for partition in result.partitions(batch_size):
            batch = [resolver.fact(row) for row in partition]
            yield [f for f in batch if matches_maker(f, scope.manufacturer_id)]
