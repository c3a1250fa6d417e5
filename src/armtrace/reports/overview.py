"""An HTML overview of the store: incidents, items and their components.

Exercise data is labelled on the page itself, in a banner and on every incident row, so a page
that gets separated from its context still says it is not real.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import func, select

from armtrace.store import Store, tables


@dataclass(frozen=True)
class ItemLine:
    """One item as the overview lists it."""

    incident: str
    incident_date: str
    place: str
    exercise: bool
    item: str
    item_type: str
    weapon_system: str
    item_markings: str
    components: int
    with_marking: int


def overview_lines(store: Store) -> list[ItemLine]:
    """Every item with its incident and component counts, oldest incident first."""
    inc, it, comp = tables.incidents, tables.items, tables.components
    query = (
        select(
            inc.c.key,
            inc.c.incident_date,
            inc.c.place,
            inc.c.exercise,
            it.c.key,
            it.c.item_type,
            it.c.weapon_system,
            it.c.item_markings,
            func.count(comp.c.id),
            func.count(comp.c.marking),
        )
        .select_from(it.join(inc, inc.c.id == it.c.incident_id).outerjoin(comp))
        .group_by(inc.c.id, it.c.id)
        .order_by(inc.c.incident_date, inc.c.key, it.c.key)
    )
    with store.engine.connect() as conn:
        return [
            ItemLine(
                incident=r[0],
                incident_date=r[1].isoformat() if r[1] else "unknown",
                place=r[2] or "unknown",
                exercise=bool(r[3]),
                item=r[4],
                item_type=r[5] or "unknown",
                weapon_system=r[6] or "not attributed",
                item_markings=r[7] or "",
                components=int(r[8]),
                with_marking=int(r[9]),
            )
            for r in conn.execute(query)
        ]


def write_overview(store: Store, path: Path) -> Path:
    """Render the overview page to ``path``."""
    env = Environment(
        loader=PackageLoader("armtrace.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    lines = overview_lines(store)
    html = env.get_template("overview.html").render(
        lines=lines,
        exercise=any(line.exercise for line in lines),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        total_components=sum(line.components for line in lines),
    )
    path.write_text(html, encoding="utf-8")
    return path
