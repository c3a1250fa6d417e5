"""Analysts' judgements on links: "same" build or "different", with who, when and a note.

Invariants:
- Judgements live in their own table, never mixed with machine scores, and name items by id, so
  recomputing links (or re-importing the sheet) leaves them in place.
- One current judgement per unordered pair (stored by item id, shown in item-key order); every
  change is written to the audit log in the same transaction, so the history stays there.
- A "same" verdict emits a ``link.confirmed`` event for subscribers, in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, and_, delete, insert, or_, select

from armtrace.alerts.outbox import emit
from armtrace.audit import record_change
from armtrace.errors import ArmtraceError, NotFound
from armtrace.store import Store, tables
from armtrace.store.tables_attribution import link_judgements

Verdict = Literal["same", "different"]
VERDICTS: tuple[Verdict, ...] = ("same", "different")


class JudgementError(ArmtraceError):
    """A judgement that cannot be recorded as given."""


@dataclass(frozen=True)
class LinkJudgement:
    """An analyst's decision on a pair of items, kept apart from machine scores."""

    item_a: str
    item_b: str
    verdict: Verdict
    actor: str
    at: datetime.datetime
    note: str | None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {**self.__dict__, "at": self.at.isoformat()}

    @property
    def pair(self) -> tuple[str, str]:
        return (self.item_a, self.item_b)


def _item_ids(conn: Connection, keys: list[str]) -> dict[str, int]:
    it = tables.items
    found = {k: i for i, k in conn.execute(select(it.c.id, it.c.key).where(it.c.key.in_(keys)))}
    if missing := [k for k in keys if k not in found]:
        raise NotFound(f"no item {', '.join(missing)} in the store: check the item ids")
    return found


def judge_link(
    store: Store, item_a: str, item_b: str, verdict: str, *, actor: str, note: str | None = None
) -> LinkJudgement:
    """Record (or change) the judgement on a pair of items, audited in the same transaction."""
    if verdict not in VERDICTS:
        raise JudgementError(f"verdict {verdict!r}: use 'same' (same build) or 'different'")
    if item_a == item_b:
        raise JudgementError(f"{item_a} and {item_b} are one item: judge two different items")
    at = datetime.datetime.now(datetime.UTC)
    with store.begin() as conn:
        ids = _item_ids(conn, [item_a, item_b])
        # The table orders a pair by id (its check constraint); people read it by item key.
        key_a, key_b = sorted(ids)
        id_a, id_b = sorted(ids.values())
        table = link_judgements
        pair = and_(table.c.item_a_id == id_a, table.c.item_b_id == id_b)
        old = conn.execute(select(table.c.verdict, table.c.actor, table.c.note).where(pair)).first()
        before = dict(old._mapping) if old else None
        after = {"verdict": verdict, "actor": actor, "note": note}
        conn.execute(delete(table).where(pair))
        conn.execute(
            insert(table).values(
                item_a_id=id_a, item_b_id=id_b, verdict=verdict, actor=actor, at=at, note=note
            )
        )
        record_change(
            conn, actor=actor, action="link.judge", entity="link_judgement",
            entity_key=f"{key_a}|{key_b}", before=before, after=after,
        )  # fmt: skip
        if verdict == "same":
            emit(conn, "link.confirmed", {"items": [key_a, key_b], "verdict": verdict})
    return LinkJudgement(key_a, key_b, verdict, actor, at, note)


def judgements(store: Store, *, item_key: str | None = None) -> list[LinkJudgement]:
    """All current judgements (or those naming one item), oldest first."""
    it_a, it_b, table = tables.items.alias("a"), tables.items.alias("b"), link_judgements
    query = (
        select(it_a.c.key, it_b.c.key, table.c.verdict, table.c.actor, table.c.at, table.c.note)
        .select_from(
            table.join(it_a, it_a.c.id == table.c.item_a_id).join(
                it_b, it_b.c.id == table.c.item_b_id
            )
        )
        .order_by(table.c.at, table.c.id)
    )
    if item_key is not None:
        query = query.where(or_(it_a.c.key == item_key, it_b.c.key == item_key))
    with store.engine.connect() as conn:
        return [
            LinkJudgement(min(a, b), max(a, b), verdict, actor, _aware(at), note)
            for a, b, verdict, actor, at, note in conn.execute(query)
        ]


def _aware(at: datetime.datetime) -> datetime.datetime:
    # SQLite returns naive datetimes (stored in UTC); PostgreSQL aware ones.
    return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)
