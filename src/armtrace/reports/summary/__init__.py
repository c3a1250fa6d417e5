"""Supply-chain summaries of an item, an incident, a weapon system, a maker or any filtered set.

Small scopes (one item) are counted straight from the store; larger ones run in DuckDB over a
Parquet snapshot when one is given (``armtrace.analytics.snapshot``). Both paths count the same
``Fact`` rows with the same definitions, and a test holds them to identical answers.

Invariants:
- Companies are grouped by the company that owned the maker's brand on the incident date, and
  separately by the brand's current owner; countries are that company's headquarters; the
  country of origin printed on parts is counted apart and never mixed in.
- Shares are of identified components with a known country; the unknown are counted and said.
- A part in a weapon is context, not proof of wrongdoing by its maker (see ``NOTE``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from armtrace.analytics.duck import tally_duckdb
from armtrace.analytics.facts import iter_facts
from armtrace.analytics.scope import Scope
from armtrace.analytics.snapshot import connect, snapshot_info
from armtrace.analytics.tally import Tally, tally_facts
from armtrace.dating.items import ItemDating, item_dating
from armtrace.errors import NotFound
from armtrace.reports.summary.sentence import percent, summary_sentence
from armtrace.store import Store, tables

__all__ = ["NOTE", "Scope", "Summary", "summarise"]

NOTE = (
    "A part found in a weapon is context, not proof of wrongdoing by its maker: parts reach "
    "weapons through resellers and diversion."
)
Engine = Literal["auto", "store", "duckdb"]


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Summary:
    """What a scope's components say about where they came from."""

    scope: Scope
    tally: Tally
    dating: ItemDating | None  # for a one-item scope
    sentence: str
    engine: str  # "store" or "duckdb"
    snapshot: dict[str, Any] | None  # snapshot.json of the snapshot read, if any

    @property
    def assembled_not_before(self) -> datetime.date | None:
        """The item's dating bound (one-item scopes only)."""
        return self.dating.assembled_not_before if self.dating else None

    def shares(self, counts: dict[str, int]) -> dict[str, int]:
        """Whole-percent shares of a count table, of the identified with a known country."""
        located = sum(self.tally.by_country.values())
        return {key: percent(n, located) for key, n in counts.items()}

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form (``armtrace summary --json``)."""
        t = self.tally
        names = t.names

        def companies(counts: dict[str, int]) -> list[dict[str, Any]]:
            return [
                {"id": key, "name": names.get(key, key), "country": t.company_country.get(key),
                 "components": n, "share": percent(n, t.identified)}
                for key, n in counts.items()
            ]  # fmt: skip

        return {
            "scope": self.scope.as_json(),
            "exercise": t.exercise,
            "items": t.items,
            "incidents": t.incidents,
            "components": t.components,
            "identified": t.identified,
            "unidentified": t.components - t.identified,
            "identified_by": t.by_source,
            "companies": len(t.by_company),
            "countries": len(t.by_country),
            "by_country": t.by_country,
            "country_unknown": t.country_unknown,
            "share_by_country": self.shares(t.by_country),
            "shares_of": {"country": sum(t.by_country.values()), "company": t.identified},
            "by_company": t.by_company,
            "company_list": companies(t.by_company),
            "by_current_owner": t.by_owner,
            "by_maker": t.by_maker,
            "names": names,
            "origin_markings": t.by_origin,
            "chpl_tiers": t.by_tier,
            "date_codes": {
                "dated": t.dated,
                "earliest": _iso(t.date_min),
                "latest": _iso(t.date_max),
                "median": _iso(t.date_median),
                "by_quarter": t.by_quarter,
            },
            "assembled_not_before": _iso(self.assembled_not_before),
            "dating": self.dating.as_json() if self.dating else None,
            "sentence": self.sentence,
            "note": NOTE,
            "engine": self.engine,
            "snapshot": self.snapshot,
        }


def _item_exercise(store: Store, item_key: str) -> bool:
    """Whether the item's incident is exercise data; raises NotFound for an unknown item."""
    it, inc = tables.items, tables.incidents
    with store.engine.connect() as conn:
        found = conn.execute(
            select(inc.c.exercise)
            .select_from(it.join(inc, inc.c.id == it.c.incident_id))
            .where(it.c.key == item_key)
        ).first()
    if found is None:
        raise NotFound(f"no item {item_key!r} in the store; list items with 'armtrace status'")
    return bool(found[0])


def summarise(
    store: Store, scope: Scope, *, snapshot: Path | None = None, engine: Engine = "auto"
) -> Summary:
    """Summarise a scope; with ``snapshot`` (and not one item) it runs in DuckDB over Parquet."""
    # An item with no components is still exercise data when its incident is.
    exercise = _item_exercise(store, scope.item_key) if scope.item_key is not None else False
    use_duckdb = engine == "duckdb" or (
        engine == "auto" and snapshot is not None and not scope.is_item()
    )
    info: dict[str, Any] | None = None
    if use_duckdb:
        if snapshot is None:
            raise NotFound("engine 'duckdb' needs a snapshot directory (armtrace snapshot DIR)")
        info = snapshot_info(snapshot)
        con = connect(snapshot)
        try:
            tally = tally_duckdb(con, scope)
        finally:
            con.close()
    else:
        tally = tally_facts(fact for batch in iter_facts(store, scope) for fact in batch)
    tally.exercise = tally.exercise or exercise
    dating = item_dating(store, scope.item_key) if scope.item_key is not None else None
    sentence = summary_sentence(tally, scope.describe())
    if dating is not None and dating.assembled_not_before is not None:
        sentence = f"{sentence[:-1]}; assembled no earlier than {_day(dating)}."
    return Summary(scope, tally, dating, sentence, "duckdb" if use_duckdb else "store", info)


def _day(dating: ItemDating) -> str:
    bound = dating.assembled_not_before
    assert bound is not None
    text = f"{bound.day} {bound:%B %Y}"
    return text if dating.robust else f"{text} (one source only)"
