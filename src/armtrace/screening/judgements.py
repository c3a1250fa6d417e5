"""Analysts' judgements on matches (match / no match / unsure), apart from machine scores.

Invariants:
- One current judgement per match id; a new verdict replaces it and the audit log keeps the
  history (before and after, who, when) in the same transaction.
- Judgements are keyed by the stable match id, never by a result row, so re-screening (which
  rewrites results) leaves them in place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, insert, select, update

from armtrace.audit import record_change
from armtrace.errors import NotFound
from armtrace.screening.errors import ScreeningError
from armtrace.screening.model import VERDICTS, Judgement, Verdict
from armtrace.store import Store
from armtrace.store.tables_screening import screening_judgements, screening_results


def judge(
    store: Store, match_id: str, verdict: str, *, actor: str, note: str | None = None
) -> Judgement:
    """Record an analyst's verdict on a match, audited in the same transaction."""
    if verdict not in VERDICTS:
        raise ScreeningError(
            f"verdict {verdict!r} for match {match_id}: use one of {', '.join(VERDICTS)}"
        )
    now = datetime.now(UTC)
    with store.begin() as conn:
        before = conn.execute(
            select(screening_judgements).where(screening_judgements.c.match_id == match_id)
        ).first()
        context = _context(conn, match_id, before)
        values = {
            "verdict": verdict,
            "note": note,
            "actor": actor,
            "at": now,
            **context,
        }
        if before is None:
            conn.execute(insert(screening_judgements).values(match_id=match_id, **values))
        else:
            conn.execute(
                update(screening_judgements)
                .where(screening_judgements.c.match_id == match_id)
                .values(values)
            )
        record_change(
            conn,
            actor=actor,
            action="screening.judge",
            entity="screening_match",
            entity_key=match_id,
            before=_snapshot(before._mapping) if before is not None else None,
            after=_snapshot(values),
        )
    return Judgement(match_id, verdict, actor, now, note)


def _context(conn: Connection, match_id: str, before: Any) -> dict[str, str]:
    """The party and listed entity a match id stands for, from results or an older judgement."""
    result = conn.execute(
        select(
            screening_results.c.party_name,
            screening_results.c.entity_id,
            screening_results.c.caption,
        ).where(screening_results.c.match_id == match_id)
    ).first()
    source = result or before
    if source is None:
        raise NotFound(
            f"no screening match with id {match_id!r}: run 'armtrace screen run' and use a "
            "match_id it prints"
        )
    return {"party_name": source.party_name, "entity_id": source.entity_id,
            "caption": source.caption}  # fmt: skip


def _snapshot(values: Any) -> dict[str, Any]:
    return {k: values[k] for k in ("verdict", "note", "party_name", "entity_id", "caption")}


def judgements_by_match(store: Store) -> dict[str, Judgement]:
    """Every current judgement, by match id."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(screening_judgements)).all()
    return {
        r.match_id: Judgement(r.match_id, cast(Verdict, r.verdict), r.actor, r.at, r.note)
        for r in rows
    }
