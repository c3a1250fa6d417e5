"""Campaign analytics: how a weapon system's supply chain changes over time, in DuckDB.

The input is a Parquet file (or glob) with one row per component in the analytics fact layout
(``REQUIRED_COLUMNS``), written from the store by the analytics snapshot or the Parquet export.
DuckDB scans it in parallel and out of core, so tens of millions of rows take seconds.

Invariants:
- Periods come from the incident date (when the item was documented); undated incidents are
  left out of every per-period figure and counted in ``undated_components``.
- A "maker" is the brand on the part (``maker_id``), or the company as entered when the registry
  does not know it; a maker is *new* in the first period it appears in the filtered rows.
- Country shares are of identified components and use the headquarters country of the company
  that owned the brand on the incident date (``company_country``); unknown stays "unknown".
- Date-code lag = incident date - latest possible production date (``date_latest``): a lower
  bound on the time between making a part and its use. Negative lags (a code read as later
  than the incident) are excluded and counted in ``lag_excluded``.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from armtrace.errors import ArmtraceError

Period = Literal["month", "quarter", "year"]
REQUIRED_COLUMNS = (
    "incident_date", "incident_country", "weapon_system", "maker_id", "company",
    "company_country", "date_latest", "exercise", "item_state",
)  # fmt: skip


class CampaignError(ArmtraceError):
    """Campaign analytics could not read its input or was given a bad filter."""


@dataclass(frozen=True)
class CampaignFilter:
    """Which components a campaign covers; every given field narrows it."""

    weapon_system: str | None = None
    country: str | None = None  # where items were documented (incident country)
    since: datetime.date | None = None
    until: datetime.date | None = None
    published_only: bool = False

    def describe(self) -> str:
        """The filter in words, for the report's provenance."""
        parts = [
            f"weapon system {self.weapon_system}" if self.weapon_system else "",
            f"documented in {self.country}" if self.country else "",
            f"from {self.since.isoformat()}" if self.since else "",
            f"until {self.until.isoformat()}" if self.until else "",
            "published items only" if self.published_only else "",
        ]
        return ", ".join(p for p in parts if p) or "every documented item"


@dataclass(frozen=True)
class PeriodFigures:
    """One period's supply-chain figures."""

    period: datetime.date
    components: int
    identified: int
    makers: int
    new_makers: tuple[str, ...]
    country_share: dict[str, float]  # headquarters country -> share of identified components
    lag_days_median: float | None
    lag_days_p25: float | None
    lag_days_p75: float | None
    lag_components: int


@dataclass(frozen=True)
class CampaignTrends:
    """The campaign's figures per period, overall lag, and how they were computed."""

    filter: CampaignFilter
    period: Period
    periods: tuple[PeriodFigures, ...]
    components: int
    undated_components: int
    exercise_components: int
    lag_days_median: float | None
    lag_days_p25: float | None
    lag_days_p75: float | None
    lag_excluded: int
    source: str
    seconds: float
    queries: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO text)."""
        data = asdict(self)
        data["filter"] = {k: str(v) if v is not None else None for k, v in data["filter"].items()}
        for entry in data["periods"]:
            entry["period"] = entry["period"].isoformat()
        return data


def filter_sql(flt: CampaignFilter) -> tuple[str, list[Any]]:
    """The SQL condition and parameters of a filter over the ``facts`` view."""
    clauses: list[str] = ["incident_date IS NOT NULL"]
    params: list[Any] = []
    if flt.weapon_system:
        clauses.append("lower(weapon_system) = lower(?)")
        params.append(flt.weapon_system.strip())
    if flt.country:
        clauses.append("incident_country = ?")
        params.append(flt.country.upper())
    if flt.since:
        clauses.append("incident_date >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("incident_date <= ?")
        params.append(flt.until)
    if flt.published_only:
        clauses.append("item_state = 'published'")
    return " AND ".join(clauses), params


def connect_facts(source: str, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a ``facts`` view over the Parquet source, checked."""
    conn = duckdb.connect()
    if threads:
        conn.execute(f"SET threads = {int(threads)}")
    try:
        conn.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{source}')")
        columns = {row[0] for row in conn.execute("DESCRIBE facts").fetchall()}
    except duckdb.Error as exc:
        raise CampaignError(f"{source}: cannot read as Parquet ({exc})") from exc
    if missing := [c for c in REQUIRED_COLUMNS if c not in columns]:
        raise CampaignError(
            f"{source}: missing column(s) {', '.join(missing)}; write the file with "
            "armtrace's analytics snapshot or `armtrace export FILE.parquet`"
        )
    return conn


_BASE = """
WITH base AS (
  SELECT date_trunc('{period}', incident_date)::DATE AS period,
         coalesce(maker_id, company) AS maker, company, company_country,
         date_diff('day', date_latest, incident_date) AS lag, exercise
  FROM facts WHERE {where}
)
"""
PER_PERIOD = (
    _BASE
    + """
SELECT period, count(*) AS components, count(company) AS identified,
       count(DISTINCT maker) AS makers,
       quantile_cont(lag, [0.25, 0.5, 0.75]) FILTER (WHERE lag >= 0) AS lag_q,
       count(*) FILTER (WHERE lag >= 0) AS lag_n
FROM base GROUP BY period ORDER BY period
"""
)
NEW_MAKERS = (
    _BASE
    + """
SELECT first, list(maker ORDER BY maker) FROM (
  SELECT maker, min(period) AS first FROM base WHERE maker IS NOT NULL GROUP BY maker
) GROUP BY first
"""
)
COUNTRY_SHARE = (
    _BASE
    + """
SELECT period, coalesce(company_country, 'unknown') AS country, count(*) AS n
FROM base WHERE company IS NOT NULL GROUP BY ALL
"""
)
OVERALL = (
    _BASE
    + """
SELECT count(*), count(*) FILTER (WHERE exercise),
       quantile_cont(lag, [0.25, 0.5, 0.75]) FILTER (WHERE lag >= 0),
       count(*) FILTER (WHERE lag < 0)
FROM base
"""
)
UNDATED = "SELECT count(*) FROM facts WHERE {where}"


def _quartiles(values: list[float] | None) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    return float(values[0]), float(values[1]), float(values[2])


def campaign_trends(
    source: Path | str,
    flt: CampaignFilter | None = None,
    *,
    period: Period = "quarter",
    threads: int | None = None,
) -> CampaignTrends:
    """Compute a campaign's supply-chain trends from a Parquet fact file with DuckDB."""
    flt = flt or CampaignFilter()
    if period not in ("month", "quarter", "year"):
        raise CampaignError(f"period must be month, quarter or year, not {period!r}")
    started = time.perf_counter()
    conn = connect_facts(str(source), threads)
    where, params = filter_sql(flt)
    queries = tuple(q.format(period=period, where=where) for q in
                    (PER_PERIOD, NEW_MAKERS, COUNTRY_SHARE, OVERALL))  # fmt: skip
    try:
        per_period = conn.execute(queries[0], params).fetchall()
        new_by_period = {
            row[0]: tuple(row[1]) for row in conn.execute(queries[1], params).fetchall()
        }
        shares: dict[datetime.date, dict[str, int]] = {}
        for when, country, count in conn.execute(queries[2], params).fetchall():
            shares.setdefault(when, {})[country] = int(count)
        total, exercise, lag_q, excluded = conn.execute(queries[3], params).fetchone() or (
            0,
            0,
            None,
            0,
        )
        undated_where = where.replace("incident_date IS NOT NULL", "incident_date IS NULL")
        undated = 0
        if not (flt.since or flt.until):
            row = conn.execute(UNDATED.format(where=undated_where), params).fetchone()
            undated = int(row[0]) if row else 0
    finally:
        conn.close()
    periods = []
    for when, components, identified, makers, quartiles, lag_n in per_period:
        p25, median, p75 = _quartiles(quartiles)
        counts = shares.get(when, {})
        share = {c: n / identified for c, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))}
        periods.append(PeriodFigures(
            when, int(components), int(identified), int(makers), new_by_period.get(when, ()),
            share, median, p25, p75, int(lag_n),
        ))  # fmt: skip
    p25, median, p75 = _quartiles(lag_q)
    return CampaignTrends(
        filter=flt, period=period, periods=tuple(periods), components=int(total),
        undated_components=undated, exercise_components=int(exercise or 0),
        lag_days_median=median, lag_days_p25=p25, lag_days_p75=p75,
        lag_excluded=int(excluded or 0), source=str(source),
        seconds=time.perf_counter() - started, queries=queries,
    )  # fmt: skip
