"""Search across markings, serials, makers and places, for an audience.

Invariants:
- Marking search folds the query like stored part numbers (``readings.part_key``) and reads a
  range of the ``part_key`` index, so it stays fast on tens of millions of components.
- Serial and place search are case-insensitive substring matches (LIKE with escaped wildcards),
  bounded by ``limit``; every hit is in an item the audience may see. They match
  ``upper(column)``, exactly the expressions of migration 0009's trigram indexes, so PostgreSQL
  answers them from those indexes instead of reading every item and incident.
- Makers come from the reference registry (names, short names, aliases), not from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select

from armtrace.markings.readings import STEM, part_key
from armtrace.refdata.manufacturers import load_registry
from armtrace.store import Store, tables
from armtrace.web.records.connection import reading
from armtrace.web.visibility import Audience

inc, it, comp, rd = tables.incidents, tables.items, tables.components, tables.readings
KINDS = ("markings", "serials", "makers", "places")
# Folded part keys hold only 0-9 and A-Z (at most 80), so the keys starting with K are exactly
# those between K and K + "ZZ...": a range the part_key index walks in order and stops after
# ``limit`` rows (a LIKE 'K%' filter would make PostgreSQL fetch and sort every match).
KEY_CEILING = "Z" * 80


def like_pattern(text: str) -> str:
    """An upper-case LIKE pattern matching ``text`` anywhere, its own wildcards escaped (escape
    char \\), for ``upper(column)``."""
    escaped = text.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    store: Store, audience: Audience, text: str, *, kinds: tuple[str, ...] = KINDS, limit: int = 20
) -> dict[str, Any]:
    """Hits of each asked kind for ``text``; an empty query finds nothing."""
    text = text.strip()
    found: dict[str, Any] = {"query": text}
    if not text:
        return found | {kind: [] for kind in kinds}
    with reading(store) as conn:
        if "markings" in kinds:
            key = part_key(text)
            rows: Sequence[Any] = []
            if len(key) >= STEM:
                rows = conn.execute(
                    select(it.c.key, comp.c.key, comp.c.marking, rd.c.part_number,
                           rd.c.manufacturer_id)
                    .select_from(rd.join(comp, comp.c.id == rd.c.component_id)
                                 .join(it, it.c.id == comp.c.item_id))
                    .where(rd.c.part_key >= key, rd.c.part_key <= key + KEY_CEILING,
                           audience.item_filter())
                    .order_by(rd.c.part_key).limit(limit)
                ).all()  # fmt: skip
            found["markings"] = [
                {"item": r[0], "component": r[1], "marking": r[2], "part_number": r[3],
                 "manufacturer": r[4]}
                for r in sorted(rows, key=lambda r: (r[0], r[1]))
            ]  # fmt: skip
        pattern = like_pattern(text)
        if "serials" in kinds:
            rows = conn.execute(
                select(it.c.key, it.c.item_markings, it.c.item_type)
                .where(or_(func.upper(it.c.item_markings).like(pattern, escape="\\"),
                           func.upper(it.c.key).like(pattern, escape="\\")),
                       audience.item_filter())
                .order_by(it.c.key).limit(limit)
            ).all()  # fmt: skip
            found["serials"] = [
                {"item": r[0], "item_markings": r[1], "item_type": r[2]} for r in rows
            ]
        if "places" in kinds:
            visible = select(it.c.id).where(it.c.incident_id == inc.c.id, audience.item_filter())
            rows = conn.execute(
                select(inc.c.key, inc.c.place, inc.c.country, inc.c.incident_date)
                .where(or_(func.upper(inc.c.place).like(pattern, escape="\\"),
                           func.upper(inc.c.key).like(pattern, escape="\\")),
                       visible.exists())
                .order_by(inc.c.key).limit(limit)
            ).all()  # fmt: skip
            found["places"] = [
                {"incident": r[0], "place": r[1], "country": r[2], "incident_date": r[3]}
                for r in rows
            ]
    if "makers" in kinds:
        found["makers"] = search_makers(text, limit=limit)
    return found


def search_makers(text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Registry manufacturers whose name, short name or an alias contains ``text``."""
    needle = text.casefold()
    hits = []
    for maker in load_registry():
        names = (maker.name, maker.short, *maker.aliases, *(n for n, _ in maker.former_names))
        if any(needle in name.casefold() for name in names):
            hits.append({"id": maker.id, "name": maker.name, "country": maker.country})
            if len(hits) >= limit:
                break
    return hits
