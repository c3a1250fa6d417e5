"""Screening runs: screen parties, store results, report what changed since the last run.

Invariants:
- Changes compare, per match id, the stored result with the new one: new matches, matches gone
  (also those of parties that left the store), and scores that crossed ``MATCH_THRESHOLD`` up
  or down. Candidates below the threshold on both sides are not reported.
- Companies named by hand are remembered (``screening_parties``) and screened on every later run
  and list load, so a new list finds them too.
- A run replaces the stored results of the parties it screened, in one transaction with the run
  row and the alert events for new matches; judgements are untouched.
- A run screens every party the store still knows, so the stored results of a party that has
  left the store (its readings or custody transfers removed) are dropped, and its matches are
  reported as gone.
- The screener (index over the current lists) is cached per store URL and list versions, so
  repeated look-ups do not rebuild it; a new list version builds a new one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select

from armtrace.screening.errors import ScreeningError
from armtrace.screening.judgements import judgements_by_match
from armtrace.screening.lists import current_entities, current_versions
from armtrace.screening.matcher import Screener
from armtrace.screening.model import MATCH_THRESHOLD, Match, Party, match_from_json
from armtrace.screening.parties import collect_parties
from armtrace.store import Store
from armtrace.store.tables_screening import screening_parties, screening_results, screening_runs

_CACHE: dict[tuple[str, tuple[str, ...]], Screener] = {}


@dataclass(frozen=True)
class ScreeningChanges:
    """What changed for parties screened in both runs."""

    new: list[Match] = field(default_factory=list)
    gone: list[dict[str, Any]] = field(default_factory=list)
    crossed_up: list[Match] = field(default_factory=list)
    crossed_down: list[Match] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.new or self.gone or self.crossed_up or self.crossed_down)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "new": [m.as_json() for m in self.new],
            "gone": self.gone,
            "crossed_up": [m.as_json() for m in self.crossed_up],
            "crossed_down": [m.as_json() for m in self.crossed_down],
        }


@dataclass(frozen=True)
class ScreeningRun:
    """One stored run: the parties screened, the matches found, the changes."""

    parties: int
    matches: list[Match]
    changes: ScreeningChanges

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "parties": self.parties,
            "matches": [m.as_json() for m in self.matches],
            "changes": self.changes.as_json(),
        }


def current_screener(store: Store) -> Screener:
    """The screener over the current list versions; raises ScreeningError when none is loaded."""
    with store.engine.connect() as conn:
        versions = current_versions(conn)
        if not versions:
            raise ScreeningError(
                "no sanctions list loaded: load one with 'armtrace screen load FILE.ftm.json'"
            )
        key = (str(store.engine.url), tuple(sorted(versions.values())))
        screener = _CACHE.get(key)
        if screener is None:
            _CACHE.clear()  # one screener at a time: a big list's index is large
            screener = _CACHE[key] = Screener(current_entities(conn), versions)
    return screener


def _with_judgements(store: Store, matches: list[Match]) -> list[Match]:
    judged = judgements_by_match(store)
    return [dataclasses.replace(m, judgement=judged.get(m.id)) for m in matches]


def screen_parties(
    store: Store, parties: Sequence[Party], *, include_weak: bool = False
) -> list[Match]:
    """Screen parties against the current lists; nothing is stored."""
    screener = current_screener(store)
    found = [m for matches in screener.screen_many(parties) for m in matches]
    if not include_weak:
        found = [m for m in found if m.is_match]
    return _with_judgements(store, found)


def matches_for(
    store: Store, name: str, *, country: str | None = None, transfer_date: date | None = None
) -> list[Match]:
    """Screen one company name against the current lists, with any judgements attached."""
    party = Party(name, country.upper() if country else None, transfer_date=transfer_date)
    return screen_parties(store, [party])


def stored_matches(store: Store, *, include_weak: bool = False) -> list[Match]:
    """The matches stored by the last runs, best first, with judgements attached."""
    query = select(screening_results.c.detail).order_by(
        screening_results.c.score.desc(), screening_results.c.match_id
    )
    if not include_weak:
        query = query.where(screening_results.c.score >= MATCH_THRESHOLD)
    with store.engine.connect() as conn:
        matches = [match_from_json(orjson.loads(r.detail)) for r in conn.execute(query)]
    return _with_judgements(store, matches)


def _named_parties(conn: Connection) -> list[Party]:
    """Companies named by hand in earlier runs: they stay screened."""
    return [
        Party(
            r.name,
            r.country,
            "manual",
            None,
            r.transfer_date,
            tuple(orjson.loads(r.aliases)),
            tuple(orjson.loads(r.identifiers)),
        )
        for r in conn.execute(select(screening_parties).order_by(screening_parties.c.party_key))
    ]


def _remember(conn: Connection, names: list[Party], actor: str, now: datetime) -> None:
    """Store named parties so later runs (and list loads) screen them again."""
    by_key = {p.key: p for p in names}
    if not by_key:
        return
    conn.execute(delete(screening_parties).where(screening_parties.c.party_key.in_(by_key)))
    conn.execute(
        insert(screening_parties),
        [
            {
                "party_key": key,
                "name": p.name,
                "country": p.country,
                "transfer_date": p.transfer_date,
                "aliases": orjson.dumps(p.aliases).decode(),
                "identifiers": orjson.dumps(p.identifiers).decode(),
                "added_by": actor,
                "added_at": now,
            }
            for key, p in by_key.items()
        ],
    )


def run_screening(
    store: Store, *, actor: str, names: Iterable[Party] = (), trigger: str = "run"
) -> ScreeningRun:
    """Screen every known party, store the results and report what changed."""
    screener = current_screener(store)
    names = list(names)
    with store.engine.connect() as conn:
        earlier = _named_parties(conn)
    parties = collect_parties(store, (*earlier, *names))
    found = [m for matches in screener.screen_many(parties) for m in matches]
    now = datetime.now(UTC)
    with store.begin() as conn:
        # Every known party was screened: whatever else is stored belongs to parties that
        # have left the store, and goes too.
        previous = {r.match_id: r for r in conn.execute(select(screening_results))}
        changes = _changes(previous, found)
        _remember(conn, names, actor, now)
        conn.execute(delete(screening_results))
        if found:
            conn.execute(insert(screening_results), [_result_row(m, now) for m in found])
        conn.execute(
            insert(screening_runs).values(
                at=now,
                actor=actor,
                trigger=trigger,
                parties=len(parties),
                matches=sum(m.is_match for m in found),
                list_versions=orjson.dumps(sorted(screener.versions.values())).decode(),
                changes=orjson.dumps(_change_summary(changes)).decode(),
            )
        )
        _emit_alerts(conn, [*changes.new, *changes.crossed_up])
    matches = _with_judgements(store, [m for m in found if m.is_match])
    return ScreeningRun(len(parties), matches, changes)


def _changes(previous: dict[str, Any], found: list[Match]) -> ScreeningChanges:
    changes = ScreeningChanges()
    current = {m.id: m for m in found}
    for match in found:
        before = previous.get(match.id)
        if before is None:
            if match.is_match:
                changes.new.append(match)
        elif before.score < MATCH_THRESHOLD <= match.score:
            changes.crossed_up.append(match)
        elif match.score < MATCH_THRESHOLD <= before.score:
            changes.crossed_down.append(match)
    for match_id, before in previous.items():
        if match_id not in current and before.score >= MATCH_THRESHOLD:
            changes.gone.append(
                {
                    "match_id": match_id,
                    "name": before.party_name,
                    "entity_id": before.entity_id,
                    "caption": before.caption,
                    "dataset": before.dataset,
                    "score": round(before.score, 4),
                }
            )
    return changes


def _change_summary(changes: ScreeningChanges) -> dict[str, list[str]]:
    return {
        "new": [m.id for m in changes.new],
        "gone": [g["match_id"] for g in changes.gone],
        "crossed_up": [m.id for m in changes.crossed_up],
        "crossed_down": [m.id for m in changes.crossed_down],
    }


def _result_row(match: Match, now: datetime) -> dict[str, Any]:
    return {
        "match_id": match.id,
        "party_key": match.party.key,
        "party_name": match.party.name,
        "party_country": match.party.country,
        "party_source": match.party.source,
        "party_reference": match.party.reference,
        "transfer_date": match.party.transfer_date,
        "entity_id": match.entity_id,
        "dataset": match.dataset,
        "caption": match.caption,
        "score": match.score,
        "listed_since": match.listed_since,
        "detail": orjson.dumps(match.as_json()).decode(),
        "screened_at": now,
    }


def _emit_alerts(conn: Connection, matches: list[Match]) -> None:
    """Tell subscribers about new matches, when the alerts module is there."""
    if not matches:
        return
    try:
        from armtrace.alerts.outbox import emit
    except ImportError:
        return
    for match in matches:
        emit(
            conn,
            "sanctions.match",
            {
                "name": match.name,
                "company": match.name,
                "matched": match.caption,
                "entity_id": match.entity_id,
                "dataset": match.dataset,
                "score": round(match.score, 4),
                "match_id": match.id,
                "listed_since": match.as_json()["listed_since"],
                "source": match.party.source,
                "reference": match.party.reference,
            },
        )
