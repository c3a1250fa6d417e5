"""The Tally of a scope computed by DuckDB over a Parquet snapshot (large scopes).

Invariants:
- Same definitions as ``armtrace.analytics.tally.tally_facts`` (identified = a maker source is
  set; lower median; quarters of ``date_earliest``; counts largest first, ties by key), so the
  two paths give identical answers; a test holds them to it.
- Scope values reach DuckDB as bound parameters, never pasted into SQL text.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import duckdb

from armtrace.analytics.scope import Scope
from armtrace.analytics.tally import UNKNOWN, Tally, quarter
from armtrace.errors import NotFound
from armtrace.refdata.manufacturers import Registry, load_registry

_ITEMS = "items i JOIN incidents n ON n.incident_key = i.incident_key"


def item_filter(scope: Scope) -> tuple[list[str], list[Any]]:
    """Conditions on items joined with incidents for every item-level field of the scope."""
    clauses: list[str] = []
    params: list[Any] = []
    system = scope.weapon_system.strip().lower() if scope.weapon_system else None
    simple = (
        ("i.item_key = ?", scope.item_key),
        ("i.incident_key = ?", scope.incident_key),
        ("n.country = ?", scope.country.upper() if scope.country else None),
        ("n.incident_date >= ?", scope.since),
        ("n.incident_date <= ?", scope.until),
        ("lower(i.weapon_system) = ?", system),
    )
    for clause, value in simple:
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if scope.published_only:
        clauses.append("i.state = 'published'")
    return clauses, params


def scope_filter(scope: Scope, maker_profiles: list[int] | None) -> tuple[str, list[Any]]:
    """A WHERE clause over the ``components`` view and its parameters.

    Item-level fields select item ids from the small items table (a semi-join on an integer is
    far cheaper than testing text on every component row); the maker filter arrives as the
    profile codes whose maker, company or owner it names.
    """
    clauses, params = item_filter(scope)
    where: list[str] = []
    if clauses:
        where.append(f"item_id IN (SELECT i.item_id FROM {_ITEMS} WHERE {' AND '.join(clauses)})")
    if maker_profiles is not None:
        where.append("list_contains(?::INTEGER[], profile)")
        params.append(maker_profiles)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _items_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[int, int]:
    """Items with at least one component in scope, and their incidents, from the items table."""
    clauses, params = item_filter(scope)
    where = " AND ".join([*clauses, "i.components > 0"])
    row = con.execute(
        f"SELECT count(*), count(DISTINCT i.incident_id) FROM {_ITEMS} WHERE {where}", params
    ).fetchall()[0]
    return int(row[0]), int(row[1])


def _name(registry: Registry, key: str) -> str:
    # Facts take names from the same registry; a key it lacks is an analyst's text or an old id.
    try:
        return registry.get(key).name
    except NotFound:
        return key


def _largest_first(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def tally_duckdb(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, registry: Registry | None = None
) -> Tally:
    """Count a scope over the snapshot's views in two scans of the components.

    Rows are grouped by their profile code (a few hundred groups) and rolled up here, and the
    date statistics come from a per-day histogram: three narrow scans cost far less than one
    wide group-by per count, and an exact median over a few thousand distinct days is instant.
    """
    registry = registry or load_registry()
    profiles = {row[0]: row[1:] for row in con.execute("SELECT * FROM profiles").fetchall()}
    wanted = None
    if scope.manufacturer_id is not None:
        # maker_key is maker_id when known, so (maker_key, company, owner) is what Facts match.
        wanted = [
            code for code, p in profiles.items() if scope.manufacturer_id in (p[4], p[2], p[3])
        ]
    where, params = scope_filter(scope, wanted)
    source = f"(SELECT * FROM components{where}) AS scoped"

    def rows(sql: str) -> list[Any]:
        return con.execute(sql.replace("FROM scoped", f"FROM {source}"), params).fetchall()

    tally = Tally()
    if wanted is None:
        tally.items, tally.incidents = _items_in_scope(con, scope)
    else:  # a maker's parts: which items hold them is only known row by row
        distinct = "SELECT count(DISTINCT item_id), count(DISTINCT incident_id) FROM scoped"
        items, incidents = rows(distinct)[0]
        tally.items, tally.incidents = int(items), int(incidents)
    counters: dict[str, Counter[str]] = {k: Counter() for k in "scomnrt"}
    for code, n in rows("SELECT profile, count(*) FROM scoped GROUP BY 1"):
        exercise, source_, company, owner, maker, country, origin, tier = profiles[code]
        tally.components += n
        tally.exercise = tally.exercise or bool(exercise)
        counters["t"][tier or UNKNOWN] += n
        if origin is not None:
            counters["r"][origin] += n
        if source_ is None or company is None:
            continue
        tally.identified += n
        counters["s"][source_] += n
        counters["c"][company] += n
        counters["m"][maker] += n
        tally.company_country[company] = country
        if owner is not None:
            counters["o"][owner] += n
        if country is not None:
            counters["n"][country] += n
        else:
            tally.country_unknown += n
    tally.by_source, tally.by_company = _largest_first(counters["s"]), _largest_first(counters["c"])
    tally.by_owner, tally.by_maker = _largest_first(counters["o"]), _largest_first(counters["m"])
    tally.by_country, tally.by_origin = _largest_first(counters["n"]), _largest_first(counters["r"])
    tally.by_tier = _largest_first(counters["t"])
    tally.names = {key: _name(registry, key) for key in (*counters["c"], *counters["o"],
                                                          *counters["m"])}  # fmt: skip
    days = rows(
        "SELECT date_earliest, count(*) FROM scoped WHERE date_earliest IS NOT NULL "
        "GROUP BY 1 ORDER BY 1"
    )
    _date_spread(tally, [(day, int(n)) for day, n in days])
    return tally


def _date_spread(tally: Tally, days: list[tuple[datetime.date, int]]) -> None:
    """Dated count, first/last/lower-median day and quarters from a sorted day histogram."""
    tally.dated = sum(n for _, n in days)
    if not days:
        return
    tally.date_min, tally.date_max = days[0][0], days[-1][0]
    middle, seen = (tally.dated - 1) // 2, 0
    quarters: Counter[str] = Counter()
    for day, n in days:
        if tally.date_median is None and seen + n > middle:
            tally.date_median = day
        seen += n
        quarters[quarter(day)] += n
    tally.by_quarter = dict(sorted(quarters.items()))
