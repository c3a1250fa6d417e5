"""The bundled EXERCISE sanctions list (fictitious companies on a fictitious list) for the demo.

Its companies' names say "Exercise" and every entity carries a note saying it is exercise data;
the tracing exercise chain sells to "Exercise Northstar Components Trading Co., Limited" (HK),
listed on 2023-05-19, so the demo shows a transfer after a listing.
"""

from __future__ import annotations

from importlib import resources

from armtrace.screening.lists import LoadReport, load_list
from armtrace.screening.model import Match
from armtrace.store import Store

EXERCISE_LIST = "exercise_sanctions.ftm.json"


def load_exercise_list(store: Store, *, actor: str) -> LoadReport:
    """Load the exercise list (idempotent) and re-screen the store's parties."""
    packaged = resources.files("armtrace.demo") / "data" / EXERCISE_LIST
    with resources.as_file(packaged) as path:
        return load_list(store, path, actor=actor)


def describe(match: Match) -> str:
    """One line for the demo: who matched what, the score, and the timing of the transfer."""
    label = " (EXERCISE data)" if match.exercise else ""
    return (
        f"{match.name} matches {match.caption}{label} on list {match.dataset}, "
        f"score {match.score:.2f}; {match.timing}"
    )
