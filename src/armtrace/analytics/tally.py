"""The counts behind a summary, computed in Python from Facts (small scopes).

``armtrace.analytics.duck.tally_duckdb`` computes the same Tally with SQL over a Parquet
snapshot; a test holds the two to identical answers.

Invariants:
- Only identified components (``maker_source`` set) count towards companies and countries;
  ``country_unknown`` counts identified components whose company's headquarters is unknown.
- The median date code is the lower median of ``date_earliest`` (DuckDB's ``quantile_disc``).
- Quarters are of ``date_earliest``, written "2023-Q1".
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from armtrace.analytics.facts import Fact

UNKNOWN = "unknown"


@dataclass
class Tally:
    """Group-by counts over a set of components."""

    components: int = 0
    identified: int = 0
    items: int = 0
    incidents: int = 0
    exercise: bool = False
    by_source: dict[str, int] = field(default_factory=dict)
    by_company: dict[str, int] = field(default_factory=dict)
    by_owner: dict[str, int] = field(default_factory=dict)
    by_maker: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # company/owner/maker key -> name
    company_country: dict[str, str | None] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    country_unknown: int = 0
    by_origin: dict[str, int] = field(default_factory=dict)  # ISO code, or the text if unclear
    by_tier: dict[str, int] = field(default_factory=dict)  # CHPL tier, or "unknown"
    dated: int = 0
    date_min: datetime.date | None = None
    date_max: datetime.date | None = None
    date_median: datetime.date | None = None
    by_quarter: dict[str, int] = field(default_factory=dict)


def quarter(day: datetime.date) -> str:
    """The year-quarter label of a date, e.g. "2023-Q1"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def sorted_counts(counter: Counter[str]) -> dict[str, int]:
    """Counts largest first, ties by key, so output order is stable."""
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def tally_facts(facts: Iterable[Fact]) -> Tally:
    """Count one pass over Facts (the store path)."""
    tally = Tally()
    items: set[str] = set()
    incidents: set[str] = set()
    counters: dict[str, Counter[str]] = {
        name: Counter()
        for name in ("source", "company", "owner", "maker", "country", "origin", "tier", "q")
    }
    dates: list[datetime.date] = []
    for f in facts:
        tally.components += 1
        items.add(f.item_key)
        incidents.add(f.incident_key)
        tally.exercise = tally.exercise or f.exercise
        counters["tier"][f.chpl_tier or UNKNOWN] += 1
        origin = f.origin_country or f.origin_text
        if origin:
            counters["origin"][origin] += 1
        if f.date_earliest is not None:
            dates.append(f.date_earliest)
            counters["q"][quarter(f.date_earliest)] += 1
        if f.maker_source is None or f.company is None:
            continue
        tally.identified += 1
        counters["source"][f.maker_source] += 1
        counters["company"][f.company] += 1
        tally.names[f.company] = f.company_name or f.company
        tally.company_country[f.company] = f.company_country
        if f.owner:
            counters["owner"][f.owner] += 1
            tally.names[f.owner] = f.owner_name or f.owner
        maker = f.maker_id or f.company
        counters["maker"][maker] += 1
        tally.names[maker] = f.maker_name or maker
        if f.company_country:
            counters["country"][f.company_country] += 1
        else:
            tally.country_unknown += 1
    tally.items, tally.incidents = len(items), len(incidents)
    tally.by_source = sorted_counts(counters["source"])
    tally.by_company = sorted_counts(counters["company"])
    tally.by_owner = sorted_counts(counters["owner"])
    tally.by_maker = sorted_counts(counters["maker"])
    tally.by_country = sorted_counts(counters["country"])
    tally.by_origin = sorted_counts(counters["origin"])
    tally.by_tier = sorted_counts(counters["tier"])
    tally.by_quarter = dict(sorted(counters["q"].items()))
    if dates:
        dates.sort()
        tally.dated = len(dates)
        tally.date_min, tally.date_max = dates[0], dates[-1]
        tally.date_median = dates[(len(dates) - 1) // 2]
    return tally
