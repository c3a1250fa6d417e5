"""Precision and recall of screening on a labelled set of company-name pairs.

The set is a CSV with columns party, party_country, listed, listed_country, expected
("match" or "no-match"), category and provenance (a source URL for real names, or
"fictitious"). Each pair is screened alone: the listed name is a one-entity list.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armtrace.screening.ftm import ListedEntity
from armtrace.screening.matcher import Screener
from armtrace.screening.model import MATCH_THRESHOLD, Party

# A scorer takes (party, party_country, listed, listed_country) and says "match" or not.
PairScorer = Callable[[str, str | None, str, str | None], bool]


@dataclass
class QualityReport:
    """Counts of right and wrong answers, overall and per category."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    wrong: list[dict[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of reported matches that are true matches."""
        reported = self.true_positive + self.false_positive
        return self.true_positive / reported if reported else 1.0

    @property
    def recall(self) -> float:
        """Share of true matches that were reported."""
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    @property
    def pairs(self) -> int:
        """How many pairs were scored."""
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "pairs": self.pairs,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "true_positive": self.true_positive,
            "false_positive": self.false_positive,
            "false_negative": self.false_negative,
            "true_negative": self.true_negative,
            "wrong": self.wrong,
        }


def armtrace_scorer(party: str, party_country: str | None, listed: str,
                    listed_country: str | None) -> bool:  # fmt: skip
    """armtrace's own screening of one pair."""
    entity = ListedEntity("pair", "Company", listed, (listed,),
                          (listed_country,) if listed_country else (), (), None)  # fmt: skip
    matches = Screener([entity]).screen(Party(party, party_country), floor=0.0)
    return bool(matches) and matches[0].score >= MATCH_THRESHOLD


def read_pairs(path: Path) -> list[dict[str, str]]:
    """The rows of a name-pair CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def evaluate_pairs(path: Path, scorer: PairScorer = armtrace_scorer) -> QualityReport:
    """Score every pair in the file and count right and wrong answers."""
    report = QualityReport()
    for row in read_pairs(path):
        predicted = scorer(row["party"], row["party_country"] or None, row["listed"],
                           row["listed_country"] or None)  # fmt: skip
        expected = row["expected"] == "match"
        outcome = {
            (True, True): "true_positive",
            (True, False): "false_positive",
            (False, True): "false_negative",
            (False, False): "true_negative",
        }[(predicted, expected)]
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.by_category.setdefault(row["category"], Counter())[outcome] += 1
        if predicted != expected:
            report.wrong.append({"party": row["party"], "listed": row["listed"],
                                 "expected": row["expected"]})  # fmt: skip
    return report
