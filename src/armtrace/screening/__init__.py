"""Sanctions screening: companies against lists in FollowTheMoney format, explained and judged.

Public interface (other modules import these names only):
- ``load_list(store, path, *, actor)`` reads a FtM entity file into the store and re-screens.
- ``screen_parties(store, parties)`` -> ``list[Match]``: screen given parties, nothing stored.
- ``matches_for(store, name, *, country=None, transfer_date=None)`` -> ``list[Match]``.
- ``run_screening(store, *, actor)`` screens every known party, stores results, reports changes.
- ``judge(store, match_id, verdict, *, actor, note=None)`` records an analyst's judgement.
"""

from __future__ import annotations

from armtrace.screening.exercise import describe, load_exercise_list
from armtrace.screening.judgements import judge, judgements_by_match
from armtrace.screening.lists import ListVersion, LoadReport, list_versions, load_list
from armtrace.screening.model import (
    CANDIDATE_FLOOR,
    MATCH_THRESHOLD,
    VERDICTS,
    FeatureResult,
    Judgement,
    Match,
    Party,
    Verdict,
)
from armtrace.screening.parties import collect_parties
from armtrace.screening.runs import (
    ScreeningChanges,
    ScreeningRun,
    matches_for,
    run_screening,
    screen_parties,
    stored_matches,
)

__all__ = [
    "CANDIDATE_FLOOR",
    "MATCH_THRESHOLD",
    "VERDICTS",
    "FeatureResult",
    "Judgement",
    "ListVersion",
    "LoadReport",
    "Match",
    "Party",
    "ScreeningChanges",
    "ScreeningRun",
    "Verdict",
    "collect_parties",
    "describe",
    "judge",
    "judgements_by_match",
    "list_versions",
    "load_exercise_list",
    "load_list",
    "matches_for",
    "run_screening",
    "screen_parties",
    "stored_matches",
]
