"""An item's "assembled no earlier than" bound from its parts' date codes and its marked year.

The marked year is read by ``armtrace.dating.years``.

Invariants of ``item_dating`` (the bound):
- Sources are the components' date codes (``readings.date_earliest``) and the year marked on the
  item itself; two sources are independent when their part numbers differ (all the item's own
  markings are one source), since a reel of one part shares one date code and one misprint.
- The bound is the latest date that at least two independent sources support (each is dated at or
  after it): one misread or remarked part cannot move it. A part later than the bound that no
  second part confirms is shown as an outlier, "possibly misread or remarked".
- With a single source the bound is that source's date, marked ``robust=False`` and said so.
- No dated source: no bound (None), with the reason. Unknown is never filled by a guess.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from armtrace.dating.model import fmt_day
from armtrace.dating.years import decode_item_year
from armtrace.errors import NotFound
from armtrace.store import Store, tables

ITEM_MARKINGS = "item markings"


@dataclass(frozen=True)
class DatedSource:
    """One piece of dating evidence: a component's date code or the item's marked year."""

    component: str  # component key, or "item markings"
    part: str  # what makes sources independent: the folded part number, or "item markings"
    part_number: str  # as read, for people
    raw: str
    earliest: datetime.date
    latest: datetime.date


@dataclass(frozen=True)
class ItemDating:
    """When an item can have been assembled at the earliest, and the evidence for it."""

    item_key: str
    assembled_not_before: datetime.date | None
    robust: bool  # True when two independent sources support the bound
    set_by: tuple[DatedSource, ...]
    runner_up: datetime.date | None  # latest date three independent sources support
    outliers: tuple[DatedSource, ...]  # later than the bound, one part only
    components: int
    dated_components: int
    conflicts: tuple[str, ...]
    why: str
    exercise: bool = False  # the item's incident is exercise data

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict, dates as ISO text."""
        data = asdict(self)
        for key in ("assembled_not_before", "runner_up"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        for key in ("set_by", "outliers"):
            data[key] = [
                {**asdict(s), "earliest": s.earliest.isoformat(), "latest": s.latest.isoformat()}
                for s in getattr(self, key)
            ]
        data["conflicts"] = list(self.conflicts)
        return data


def _load(
    store: Store, item_key: str
) -> tuple[datetime.date | None, str, int, list[DatedSource], bool]:
    it, inc, comp, r = tables.items, tables.incidents, tables.components, tables.readings
    with store.engine.connect() as conn:
        item = conn.execute(
            select(it.c.id, it.c.item_markings, inc.c.incident_date, inc.c.exercise)
            .select_from(it.join(inc, inc.c.id == it.c.incident_id))
            .where(it.c.key == item_key)
        ).first()
        if item is None:
            raise NotFound(f"no item {item_key!r} in the store; list items with 'armtrace status'")
        rows = conn.execute(
            select(comp.c.key, comp.c.marking, r.c.part_key, r.c.part_number, r.c.date_raw,
                   r.c.date_earliest, r.c.date_latest)
            .select_from(comp.outerjoin(r, r.c.component_id == comp.c.id))
            .where(comp.c.item_id == item[0])
            .order_by(comp.c.key)
        ).all()  # fmt: skip
    sources = []
    for key, marking, part, number, raw, earliest, latest in rows:
        if earliest is not None:
            shown = number or (marking or key).split("/")[0].strip()
            sources.append(
                DatedSource(key, part or shown.upper(), shown, raw or "", earliest, latest)
            )
    return item[2], item[1] or "", len(rows), sources, bool(item[3])


def item_dating(store: Store, item_key: str) -> ItemDating:
    """Date an item from its components' date codes and its own markings; NotFound if absent."""
    documented_on, markings, components, sources, exercise = _load(store, item_key)
    dated = len(sources)
    conflicts: list[str] = []
    marked = decode_item_year(markings, documented_on=documented_on) if markings else None
    if marked is not None:
        shown = f"item markings '{markings}'"
        item_source = DatedSource(
            ITEM_MARKINGS, ITEM_MARKINGS, shown, marked.raw, marked.earliest, marked.latest
        )
        sources.append(item_source)
        if marked.ambiguous:
            conflicts.append(f"The item markings give several years: {marked.why}")
    by_part: dict[str, list[DatedSource]] = defaultdict(list)
    for source in sources:
        by_part[source.part].append(source)
    names = {s.part: s.part_number for s in sources}
    latest = sorted(
        ((max(s.earliest for s in group), part) for part, group in by_part.items()),
        key=lambda pair: (-pair[0].toordinal(), pair[1]),
    )

    def result(bound: datetime.date | None, robust: bool, why: str, **extra: Any) -> ItemDating:
        return ItemDating(
            item_key, bound, robust, extra.get("set_by", ()), extra.get("runner_up"),
            extra.get("outliers", ()), components, dated, tuple(conflicts), why, exercise,
        )  # fmt: skip

    if not latest:
        why = (f"No bound: none of the {components} components carries a readable date code "
               "and the item markings give no year.")  # fmt: skip
        return result(None, False, why)
    if len(latest) == 1:
        bound, part = latest[0]
        set_by = tuple(s for s in by_part[part] if s.earliest == bound)
        why = (f"Not before {fmt_day(bound)}, from one source only ({names[part]}): no second "
               "part confirms it, so a misread or remarked part could have set it.")  # fmt: skip
        return result(bound, False, why, set_by=set_by)
    bound = latest[1][0]
    set_by = tuple(s for s in sources if s.earliest == bound)
    outliers = tuple(s for s in by_part[latest[0][1]] if s.earliest > bound)
    for s in outliers:
        if s.part == ITEM_MARKINGS:
            conflicts.append(
                f"The item's marked year '{s.raw}' ({fmt_day(s.earliest)}) is later than every "
                "part's date code and no part confirms it; check the reading of the markings "
                "before relying on it. It does not set the bound."
            )
            continue
        conflicts.append(
            f"{s.part_number} ({s.component}, code '{s.raw}') dates from {fmt_day(s.earliest)}, "
            "later than any other part: possibly misread or remarked, so it does not set the bound."
        )
    if marked is not None and marked.latest < bound:
        conflicts.append(
            f"The item is marked '{marked.raw}' ({fmt_day(marked.latest)} at the latest) but "
            f"carries parts dated from {fmt_day(bound)}: re-worked, re-marked or misread."
        )
    runner_up = latest[2][0] if len(latest) > 2 else None
    supporters = sorted({names[s.part] for s in sources if s.earliest >= bound})
    why = (f"Not before {fmt_day(bound)}: {len(supporters)} independent sources are dated that "
           f"late or later ({', '.join(supporters)}).")  # fmt: skip
    if runner_up:
        why += f" Were one of them wrong, three sources still support {fmt_day(runner_up)}."
    return result(bound, True, why, set_by=set_by, runner_up=runner_up, outliers=outliers)
