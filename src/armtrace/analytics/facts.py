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
from armtrace.markings.normalise import clean_text, split_lines, split_tokens
from armtrace.markings.origin import ORIGIN_WORDS, find_origin
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
    marking: str | None  # as typed (or read by OCR into the reading, not here)
    description: str | None  # the analyst's words: HS codes and CHPL tiers come from it


FACT_COLUMNS: tuple[str, ...] = Fact._fields
# maker_id, maker_name, maker_source, company, company_name, company_country, owner, owner_name,
# owner_country: what a maker entry or reading resolves to on a date.
Maker = tuple[
    str | None, str | None, str | None, str | None, str | None, str | None, str | None,
    str | None, str | None,
]  # fmt: skip
MAX_CACHED = 200_000  # distinct values remembered per run; a bound on memory, not on correctness


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


_LETTERS = re.compile(r"[A-Z]+")
_ELIDED = re.compile(r"[.'’]")  # origin.py drops these before matching ("P.R. CHINA")


def _may_hold_origin(text: str) -> bool:
    """False only for ASCII text with no word of any origin phrase (cannot hold one)."""
    # Non-ASCII text always may: cleaning folds Cyrillic look-alike letters into Latin ones.
    if not text.isascii():
        return True
    return not ORIGIN_WORDS.isdisjoint(_LETTERS.findall(_ELIDED.sub("", text.upper())))


@lru_cache(maxsize=200_000)
def origin_of(marking: str) -> tuple[str | None, str | None]:
    """(origin text, ISO country) printed on a marking, as ``parse_marking`` finds it.

    Only the origin step of the parser (the first line with an origin phrase wins), since the
    full parse costs ten times as much and a snapshot meets millions of distinct markings. Lines
    are looked up once each (``_line_origin``): markings are mostly distinct, but their origin
    lines ("MYS", "MADE IN CHINA") repeat.
    """
    if not _may_hold_origin(marking):
        return None, None  # most markings: no tokenising at all
    # For ASCII text, cleaning only collapses whitespace, which splitting ignores anyway.
    for line in split_lines(marking if marking.isascii() else clean_text(marking)):
        found = _line_origin(line)
        if found is not None:
            return found
    return None, None


@lru_cache(maxsize=100_000)
def _line_origin(line: str) -> tuple[str, str | None] | None:
    """(origin text, ISO country) on one printed line, or None when it has no origin phrase."""
    if not _may_hold_origin(line):
        return None
    found = find_origin([text.upper() for text, _ in split_tokens(line)])
    return None if found is None else (found.text, found.country)


class Resolver:
    """Turns raw store rows into Facts, resolving makers through one registry."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or load_registry()
        self._names: dict[str, Manufacturer | None] = {}
        self._makers: dict[tuple[str, str | None, datetime.date | None], Maker] = {}

    def _by_name(self, name: str) -> Manufacturer | None:
        if name not in self._names:
            self._names[name] = self.registry.resolve_name(name)
        return self._names[name]

    def _by_id(self, maker_id: str) -> Manufacturer | None:
        try:
            return self.registry.get(maker_id)
        except NotFound:  # a reading made with an older registry: keep the id, country unknown
            return None

    def _maker(self, analyst: str, machine_id: str | None, when: datetime.date | None) -> Maker:
        """The nine maker fields of a Fact, computed once per distinct (entry, reading, date)."""
        key = (analyst, machine_id, when)
        found = self._makers.get(key)
        if found is not None:
            return found
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
        found = (
            maker.id if maker else None, maker.name if maker else name, source,
            company.id if company else name, company.name if company else name,
            company.country if company else None,
            owner.id if owner else name, owner.name if owner else name,
            owner.country if owner else None,
        )  # fmt: skip
        if len(self._makers) < MAX_CACHED:
            self._makers[key] = found
        return found

    def fact(self, row: Any) -> Fact:
        """One Fact from a ``base_query`` row."""
        (cid, ckey, item, item_type, system, state, incident, when, where, exercise) = row[:10]
        part, pkey, analyst, machine_id, marking, description, raw, earliest, latest = row[10:19]
        return Fact(
            int(cid), ckey, item, item_type, system, state, incident, when, where, bool(exercise),
            part, pkey,
            *self._maker((analyst or "").strip(), machine_id, when),
            *(origin_of(marking) if marking else (None, None)),
            tier_for_description(description) if description else None,
            raw, earliest, latest, int(row[19]), int(row[20]), marking, description,
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
