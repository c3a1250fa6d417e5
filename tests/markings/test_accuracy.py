"""Identification quality on the independent test set of real public markings must not regress.

The floors are the measured figures of the current registry, rounded down; bench/identify.py prints
the full table. Raise them when the registry improves, never lower them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

from armtrace.markings.evaluation import evaluate, load_cases

TESTSET = Path(__file__).resolve().parents[1] / "data" / "markings" / "markings.csv"
PRECISION_FLOOR = 0.90
COVERAGE_FLOOR = 0.52
COUNTRY_FLOOR = 0.90


def test_identification_quality_floors() -> None:
    score = evaluate(load_cases(TESTSET))
    assert score.known >= 300
    assert score.precision >= PRECISION_FLOOR, score.misses
    assert score.coverage >= COVERAGE_FLOOR
    assert score.country_precision >= COUNTRY_FLOOR
    assert score.answered_unknown <= 2, "markings nobody can know must stay unknown"
