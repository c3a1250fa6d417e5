"""Measure identification against a test set of real public markings with known makers.

A test-set row names the maker as its source does (often today's owner, e.g. "Analog Devices" for
an LTC part); an answer is right when it names that company, a brand it owns, or its owner. Rows
with no maker are markings nobody should claim to know: any answer there is wrong.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from armtrace.markings.identify import identify
from armtrace.refdata.manufacturers import Registry, load_registry


@dataclass(frozen=True)
class Case:
    """One test-set row."""

    marking: str
    manufacturer: str | None
    country: str | None


@dataclass
class Score:
    """Counts over a test set."""

    cases: int = 0
    known: int = 0  # rows whose maker the source names
    answered_known: int = 0
    answered_unknown: int = 0  # answers given where the source names no maker
    right: int = 0
    with_country: int = 0
    country_right: int = 0
    bins: dict[int, list[int]] = field(default_factory=dict)  # decile -> [answers, right]
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.answered_known + self.answered_unknown

    @property
    def precision(self) -> float:
        """Share of answers that name the right company."""
        return self.right / self.answered if self.answered else 0.0

    @property
    def coverage(self) -> float:
        """Share of rows with a known maker that got an answer."""
        return self.answered_known / self.known if self.known else 0.0

    @property
    def country_precision(self) -> float:
        """Share of answers (where the source gives a country) with the right country."""
        return self.country_right / self.with_country if self.with_country else 0.0


def load_cases(path: Path) -> list[Case]:
    """Read the test set CSV (columns marking, manufacturer, manufacturer_country)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Case(
                row["marking"],
                row["manufacturer"].strip() or None,
                row["manufacturer_country"].strip() or None,
            )
            for row in csv.DictReader(handle)
        ]


def is_right(answer_id: str, expected: str, registry: Registry) -> bool:
    """True when the answer names the expected company, a brand it owns, or its owner."""
    target = registry.resolve_name(expected)
    if target is None:
        return False
    answer_chain = {m.id for m in registry.owner_chain(answer_id)}
    target_chain = {m.id for m in registry.owner_chain(target.id)}
    return target.id in answer_chain or answer_id in target_chain


def evaluate(cases: Iterable[Case], registry: Registry | None = None) -> Score:
    """Identify every case and count what was answered and what was right."""
    registry = registry or load_registry()
    score = Score()
    for case in cases:
        score.cases += 1
        result = identify(case.marking, registry=registry)
        if case.manufacturer is None:
            if result.manufacturer is not None:
                score.answered_unknown += 1
                score.misses.append((case.marking, "(no maker)", result.manufacturer.short))
                _bin(score, result.confidence, False)
            continue
        score.known += 1
        if result.manufacturer is None:
            continue
        score.answered_known += 1
        right = is_right(result.manufacturer.id, case.manufacturer, registry)
        score.right += right
        _bin(score, result.confidence, right)
        if not right:
            score.misses.append((case.marking, case.manufacturer, result.manufacturer.short))
        if case.country:
            score.with_country += 1
            score.country_right += result.country == case.country
    return score


def _bin(score: Score, confidence: float, right: bool) -> None:
    decile = min(int(confidence * 10), 9)
    counts = score.bins.setdefault(decile, [0, 0])
    counts[0] += 1
    counts[1] += right
