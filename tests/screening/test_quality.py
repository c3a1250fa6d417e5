"""Quality on the labelled name-pair set: precision and recall floors (see name_pairs.csv)."""

from __future__ import annotations

from pathlib import Path

from armtrace.screening.quality import evaluate_pairs, read_pairs

PAIRS = Path(__file__).resolve().parent.parent / "data" / "screening" / "name_pairs.csv"


def test_the_pair_set_covers_scripts_legal_forms_and_near_misses() -> None:
    rows = read_pairs(PAIRS)
    categories = {r["category"] for r in rows}
    assert {"cyrillic", "chinese-pinyin", "legal-form", "generic-only", "near-miss"} <= categories
    assert sum(r["expected"] == "no-match" for r in rows) >= 25
    # Every row says where its names come from: a source URL, or that they are fictitious.
    assert all(r["provenance"].startswith(("real", "fictitious")) for r in rows)
    assert all("https://" in r["provenance"] for r in rows if r["provenance"].startswith("real"))


def test_precision_and_recall_stay_above_their_floors() -> None:
    report = evaluate_pairs(PAIRS)
    assert report.pairs == len(read_pairs(PAIRS))
    assert report.recall >= 0.95, report.wrong
    assert report.precision >= 0.92, report.wrong


def test_a_scorer_that_says_match_to_everything_fails_the_near_misses() -> None:
    report = evaluate_pairs(PAIRS, scorer=lambda *_: True)
    assert report.recall == 1.0
    assert report.precision < 0.7
