"""From a marking (typed or read from a photo) to the maker, its owner, its country and a date.

Invariants:
- Every answer carries its evidence: the features that supported the chosen maker, as sentences.
- When no maker is clearly supported, the answer is "unknown" (manufacturer None), never a guess.
- ``confidence`` is calibrated on the bundled test set of real public markings: among answers given
  with confidence c, about a share c are right (see bench/identify.py for the measured table).
- The maker is the company whose brand is on the part; ``parent`` is the company that owns the
  brand today; ``country`` is the maker's headquarters country, never a country of origin.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from armtrace.dating import DateWindow, decode_date_code, decodes
from armtrace.markings.conventions import convention_evidence
from armtrace.markings.features import (
    Evidence,
    corrected_prefix_evidence,
    logo_evidence,
    name_evidence,
    prefix_evidence,
    prefix_strength,
)
from armtrace.markings.memo import per_context
from armtrace.markings.parse import ParsedMarking, marking_lines, parse_lines
from armtrace.refdata.manufacturers import Manufacturer, Registry, load_registry

# Below this calibrated confidence the identifier answers "unknown".
ANSWER_THRESHOLD = 0.5

__all__ = [
    "ANSWER_THRESHOLD",
    "Candidate",
    "Identification",
    "identify",
    "identify_many",
    "prefix_strength",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One maker the evidence points to, with its combined score."""

    maker: Manufacturer
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Identification:
    """The answer for one marking."""

    input: str
    parsed: ParsedMarking
    manufacturer: Manufacturer | None
    parent: Manufacturer | None
    confidence: float
    date_code: DateWindow | None
    why: str
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def country(self) -> str | None:
        """Headquarters country of the maker (ISO alpha-2), or None when unknown."""
        return self.manufacturer.country if self.manufacturer else None

    def as_json(self) -> dict[str, object]:
        """The stable machine-readable form printed by ``armtrace identify --json``."""
        dc = self.date_code
        return {
            "input": self.input,
            "part_number": self.parsed.part_number,
            "manufacturer": self.manufacturer.short if self.manufacturer else None,
            "manufacturer_id": self.manufacturer.id if self.manufacturer else None,
            "parent": self.parent.short if self.parent else None,
            "parent_id": self.parent.id if self.parent else None,
            "country": self.country,
            "origin": self.parsed.origin_text,
            "origin_country": self.parsed.origin_country,
            "date_code": (
                {
                    "raw": dc.raw,
                    "earliest": dc.earliest.isoformat(),
                    "latest": dc.latest.isoformat(),
                    "ambiguous": dc.ambiguous,
                    "why": dc.why,
                }
                if dc
                else None
            ),
            "confidence": round(self.confidence, 3),
            "why": self.why,
            "candidates": [
                {"manufacturer_id": c.maker.id, "score": round(c.score, 3)}
                for c in self.candidates[:3]
            ],
        }


@lru_cache(maxsize=4)
def _logos(registry: Registry) -> frozenset[str]:
    return frozenset(logo for maker in registry for logo in maker.logos)


# Identifications of recently seen markings, keyed by their cleaned lines: real sheets repeat the
# same markings many times. Bounded, so a long-running server does not grow without limit.
CACHE_SIZE = 16_384


def identify(
    text: str,
    *,
    registry: Registry | None = None,
    documented_on: datetime.date | None = None,
) -> Identification:
    """Identify the maker, owner, country and production window of one marking."""
    registry = registry or load_registry()
    # A code dated after the day the part was documented cannot be its date code, so the parse
    # judges candidates against that day (today when it is not known). This also keeps a stored
    # reading from changing with the calendar.
    judged_on = documented_on or datetime.date.today()
    return _identification((registry, judged_on), text)


def identify_many(
    texts: Iterable[str],
    *,
    registry: Registry | None = None,
    documented_on: datetime.date | None = None,
) -> list[Identification]:
    """``identify`` each marking, in order; each distinct text is worked out once per call."""
    registry = registry or load_registry()
    done: dict[str, Identification] = {}
    results: list[Identification] = []
    for text in texts:
        found = done.get(text)
        if found is None:
            found = done[text] = identify(text, registry=registry, documented_on=documented_on)
        results.append(found)
    return results


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Everything of an Identification but its production window, for one judging date."""

    parsed: ParsedMarking
    maker: Manufacturer | None
    parent: Manufacturer | None
    confidence: float
    why: str
    candidates: tuple[Candidate, ...]


# What an answer depends on besides the marking: the registry, and the day date codes are judged
# by (whether a date code is possible, and so how the marking parses, depends on it).
_Judged = tuple[Registry, datetime.date]


@per_context(maxsize=CACHE_SIZE)
def _identification(judged: _Judged, text: str) -> Identification:
    # The text as typed first (no cleaning at all on a repeat), then its cleaned lines. An
    # Identification is immutable, so every call about the same text shares one.
    lines = marking_lines(text)
    found = _by_lines.lookup(judged, lines, lambda: _answer(judged, text, lines))
    if found.input == text:
        return found
    # Another spelling that cleans alike was worked out first: its answer, with this text.
    return dataclasses.replace(
        found, input=text, parsed=dataclasses.replace(found.parsed, raw=text)
    )


@per_context(maxsize=CACHE_SIZE)
def _by_lines(judged: _Judged, lines: tuple[str, ...]) -> Identification:
    # Keyed by cleaned lines, not the text, so spellings that clean alike share one entry
    # (``_identification`` works out a missing entry with its own text instead of this one).
    return _answer(judged, "", lines)


def _answer(judged: _Judged, text: str, lines: tuple[str, ...]) -> Identification:
    """The Identification of ``text``, whose cleaned lines are ``lines``."""
    registry, today = judged
    verdict = _judge(parse_lines(text, lines, logos=_logos(registry), today=today), registry)
    parsed, maker = verdict.parsed, verdict.maker
    codes = parsed.date_candidates or ((parsed.date_code,) if parsed.date_code else ())
    date = _date(today, (codes, maker.id if maker else None))
    return Identification(
        text, parsed, maker, verdict.parent, verdict.confidence, date, verdict.why,
        verdict.candidates,
    )  # fmt: skip


def _judge(parsed: ParsedMarking, registry: Registry) -> _Verdict:
    candidates = tuple(rank(parsed, registry))
    best = candidates[0] if candidates else None
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    confidence = calibrate(best.score, runner_up) if best else 0.0
    if best is None or confidence < ANSWER_THRESHOLD:
        why = _unknown_why(parsed, list(candidates))
        return _Verdict(parsed, None, None, confidence, why, candidates)
    owner = registry.current_owner(best.maker.id)
    parent = owner if owner.id != best.maker.id else None
    reasons = [e.why for e in best.evidence]
    if parent:
        reasons.append(f"{best.maker.short} is now part of {parent.short}")
    if len(candidates) > 1:
        reasons.append(f"next best: {candidates[1].maker.short} ({candidates[1].score:.2f})")
    return _Verdict(parsed, best.maker, parent, confidence, "; ".join(reasons), candidates)


def rank(parsed: ParsedMarking, registry: Registry) -> list[Candidate]:
    """Candidate makers, best first; each maker's features combine as independent evidence."""
    evidence = (
        prefix_evidence(parsed, registry)
        + corrected_prefix_evidence(parsed, registry)
        + logo_evidence(parsed, registry)
        + name_evidence(parsed, registry)
        + convention_evidence(parsed, registry)
    )
    by_maker: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_maker.setdefault(item.maker_id, []).append(item)
    ranked: list[Candidate] = []
    for maker_id, items in by_maker.items():
        # Strongest item per feature, combined as a noisy-or: two weak hints beat one.
        strongest: dict[str, Evidence] = {}
        for item in items:
            if item.feature not in strongest or item.strength > strongest[item.feature].strength:
                strongest[item.feature] = item
        miss = 1.0
        for item in strongest.values():
            miss *= 1.0 - item.strength
        ordered = sorted(strongest.values(), key=lambda e: -e.strength)
        ranked.append(Candidate(registry.get(maker_id), 1.0 - miss, tuple(ordered)))
    ranked.sort(key=lambda c: (-c.score, c.maker.successor is None, c.maker.id))
    return ranked


def calibrate(score: float, runner_up: float) -> float:
    """Turn a raw score and its margin over the runner-up into a probability of being right."""
    # A tie between makers owned by different companies halves what the evidence can say.
    share = score / (score + runner_up) if score + runner_up > 0 else 0.0
    return max(0.0, min(1.0, score * (0.35 + 0.65 * share)))


@per_context(maxsize=CACHE_SIZE)
def _date(bound: datetime.date, key: tuple[tuple[str, ...], str | None]) -> DateWindow | None:
    """The first of the date codes ``key[0]`` that decodes for maker ``key[1]``, nothing made after
    ``bound``."""
    codes, maker_id = key
    for code in codes:
        # The yes/no first: only the chosen code's readings are written out as explanations.
        if decodes(code, documented_on=bound, maker_id=maker_id):
            return decode_date_code(code, documented_on=bound, maker_id=maker_id)
    return None


def _unknown_why(parsed: ParsedMarking, candidates: list[Candidate]) -> str:
    if not candidates:
        if parsed.part_number:
            return f"no maker in the registry uses a prefix of {parsed.part_number}: unknown"
        return "no part number or maker name found in the marking: unknown"
    names = ", ".join(f"{c.maker.short} ({c.score:.2f})" for c in candidates[:3])
    return f"the evidence does not single out one maker: {names}; unknown"
