"""Partial serial search over item markings and component markings (lot codes, serials).

"Where else did items from this batch turn up?": a fragment of a serial, lot or plant code is
looked for in every item's own markings and every component's marking.

How it stays efficient: the match runs inside the database as one ``LIKE`` per column, so rows
never travel to Python unless they match. Case is folded on both sides and every separator in
the fragment (space, dash, slash, dot) matches any single character, so "001-87" finds "001 87"
and "001/87". A fragment inside a text cannot use a B-tree index, so each search is one
sequential scan of the two columns at the database's speed; PostgreSQL can add a trigram (GIN)
index on ``upper(marking)`` to make the same query indexed without changing this code.

Invariants: a fragment has at least ``MIN_FRAGMENT`` letters or digits (shorter ones match too
much to mean anything); hits are ordered by incident date, then item, then component.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, union_all

from armtrace.errors import ArmtraceError
from armtrace.store import Store, tables

MIN_FRAGMENT = 3


class SerialSearchError(ArmtraceError):
    """A fragment that cannot be searched for."""


@dataclass(frozen=True)
class SerialHit:
    """One marking that contains the fragment: on an item, or on one of its components."""

    fragment: str
    item_key: str
    component_key: str | None  # None: the hit is in the item's own markings
    text: str
    incident_key: str
    incident_date: datetime.date | None
    place: str | None
    country: str | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        data = dict(self.__dict__)
        data["incident_date"] = self.incident_date.isoformat() if self.incident_date else None
        return data


def like_pattern(fragment: str) -> str:
    """The LIKE pattern for a fragment: upper case, separators as one-character wildcards."""
    cleaned = fragment.strip().upper()
    if sum(ch.isalnum() for ch in cleaned) < MIN_FRAGMENT:
        raise SerialSearchError(
            f"serial fragment {fragment!r} is too short: give at least {MIN_FRAGMENT} letters or "
            "digits (e.g. 'EXM-23' or '9M22U')"
        )
    escaped = re.sub(r"([\\%_])", r"\\\1", cleaned)
    return "%" + re.sub(r"[\s\-/.]+", "_", escaped) + "%"


def _matches(column: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
    return func.upper(column).like(pattern, escape="\\")


def _item_query(pattern: str) -> Select[Any]:
    it, inc = tables.items, tables.incidents
    return (
        select(
            it.c.key.label("item_key"),
            literal(None).label("component_key"),
            it.c.item_markings.label("text"),
            inc.c.key.label("incident_key"),
            inc.c.incident_date,
            inc.c.place,
            inc.c.country,
        )
        .select_from(it.join(inc, inc.c.id == it.c.incident_id))
        .where(_matches(it.c.item_markings, pattern))
    )


def _component_query(pattern: str) -> Select[Any]:
    it, inc, comp = tables.items, tables.incidents, tables.components
    return (
        select(
            it.c.key.label("item_key"),
            comp.c.key.label("component_key"),
            comp.c.marking.label("text"),
            inc.c.key.label("incident_key"),
            inc.c.incident_date,
            inc.c.place,
            inc.c.country,
        )
        .select_from(
            comp.join(it, it.c.id == comp.c.item_id).join(inc, inc.c.id == it.c.incident_id)
        )
        .where(_matches(comp.c.marking, pattern))
    )


def search_serials(store: Store, fragment: str, *, limit: int = 1000) -> list[SerialHit]:
    """Items and components whose markings contain the fragment, ignoring case and separators."""
    pattern = like_pattern(fragment)
    both = union_all(_item_query(pattern), _component_query(pattern)).subquery()
    query = (
        select(both)
        .order_by(both.c.incident_date, both.c.item_key, both.c.component_key)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [
            SerialHit(
                fragment,
                r.item_key,
                r.component_key,
                r.text,
                r.incident_key,
                r.incident_date,
                r.place,
                r.country,
            )
            for r in conn.execute(query)
        ]
