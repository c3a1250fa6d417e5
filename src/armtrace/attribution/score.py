"""Weapon-system attribution: rank the systems of the reference library for one item.

Invariants:
- The reference library is the items whose ``weapon_system`` an analyst confirmed; the item being
  attributed is never part of its own library (so attributing a reference item is leave-one-out).
- Every candidate's score is a weighted mean of named features, each with a sentence (``why``).
- Nothing comparable (empty library, no shared part or marking) gives no candidates and a reason,
  never a guess; candidates within ``TIE_MARGIN`` of the best are reported as tied.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from armtrace.attribution import features
from armtrace.attribution.profiles import ItemProfile, load_profiles
from armtrace.attribution.types import FeatureScore
from armtrace.store import Store

TIE_MARGIN = 0.05


@dataclass(frozen=True)
class Candidate:
    """One weapon system for the item, with its score and the features behind it."""

    weapon_system: str
    score: float
    why: str
    closest_item: str
    features: tuple[FeatureScore, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "weapon_system": self.weapon_system,
            "score": round(self.score, 4),
            "why": self.why,
            "closest_item": self.closest_item,
            "features": [f.as_json() for f in self.features],
        }


@dataclass(frozen=True)
class Attribution:
    """The ranked candidates for one item, which of them tie, and why (or why none)."""

    item_key: str
    candidates: tuple[Candidate, ...]
    tied: tuple[str, ...]
    reason: str
    library_items: int = 0
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """The ``armtrace attribute --json`` document."""
        return {
            "item": self.item_key,
            "candidates": [c.as_json() for c in self.candidates],
            "tied": list(self.tied),
            "reason": self.reason,
            "library_items": self.library_items,
        }


MIN_SCORE = 0.3  # below this the best candidate is too weak to name
MIN_SHARED_PARTS = 2  # one shared part (often a generic regulator) is not evidence of a system
SUPPORT_PULL = 0.3  # supporting features can lower a candidate's evidence score by up to 30%
SUPPORT = ("makers", "item_type", "dates", "markings")


def attribute(store: Store, item_key: str) -> Attribution:
    """Rank weapon systems for one item against the reference library."""
    item = load_profiles(store, keys=[item_key])[item_key]
    library = [p for p in load_profiles(store, reference_only=True).values() if p.key != item_key]
    return rank_systems(item, library)


def library_rarity(library: Iterable[ItemProfile]) -> features.Rarity:
    """Smoothed inverse document frequency of each part number across the reference items."""
    refs = list(library)
    df = Counter(p for ref in refs for p in ref.parts)
    weights = {part: math.log(1.0 + len(refs) / n) for part, n in df.items()}
    return features.Rarity(weights, math.log(1.0 + len(refs)))


def rank_systems(item: ItemProfile, library: Sequence[ItemProfile]) -> Attribution:
    """Score every weapon system of the library for the item; pure, so evaluations can reuse it."""
    if not library:
        reason = "the reference library is empty: no item has an analyst-confirmed weapon system"
        return Attribution(item.key, (), (), reason, 0)
    rarity = library_rarity(library)
    by_system: dict[str, list[ItemProfile]] = defaultdict(list)
    for ref in library:
        if ref.weapon_system:
            by_system[ref.weapon_system].append(ref)
    candidates = [c for s, refs in by_system.items() if (c := _candidate(item, s, refs, rarity))]
    candidates.sort(key=lambda c: (-c.score, c.weapon_system))
    if not candidates:
        reason = (
            f"nothing comparable: {item.key} shares no plant code and fewer than "
            f"{MIN_SHARED_PARTS} part numbers with each of the {len(library)} reference items"
        )
        return Attribution(item.key, (), (), reason, len(library))
    best = candidates[0]
    if best.score < MIN_SCORE:
        reason = (
            f"too weak to attribute: the closest system, {best.weapon_system} "
            f"({best.closest_item}), scores {best.score:.2f}, below {MIN_SCORE}"
        )
        return Attribution(item.key, (), (), reason, len(library))
    candidates = [c for c in candidates if c.score >= MIN_SCORE]
    tied = tuple(c.weapon_system for c in candidates if best.score - c.score <= TIE_MARGIN)
    return Attribution(item.key, tuple(candidates), tied, _reason(candidates, tied), len(library))


def _reason(candidates: list[Candidate], tied: tuple[str, ...]) -> str:
    if len(tied) > 1:
        scores = ", ".join(f"{c.score:.2f}" for c in candidates[: len(tied)])
        return (
            f"{' or '.join(tied)}: scores within {TIE_MARGIN} of each other ({scores}); "
            "the reference library cannot tell them apart"
        )
    best = candidates[0]
    if len(candidates) == 1:
        return (
            f"{best.weapon_system}: {best.score:.2f}, the only system scoring {MIN_SCORE} or more"
        )
    runner = candidates[1]
    return (
        f"{best.weapon_system}: {best.score:.2f}, ahead of {runner.weapon_system} "
        f"({runner.score:.2f}) by {best.score - runner.score:.2f}"
    )


def _candidate(
    item: ItemProfile, system: str, refs: list[ItemProfile], rarity: features.Rarity
) -> Candidate | None:
    """The system's score through its closest reference item, or None without evidence."""
    date_feature = features.dates(item, refs)
    best: Candidate | None = None
    for ref in refs:
        scored = [
            f
            for f in (
                features.parts(item, ref, rarity),
                features.makers(item, ref),
                features.item_type(item, ref),
                features.markings(item, ref),
                date_feature,
            )
            if f is not None
        ]
        evidence = _evidence(item, ref, scored)
        if evidence <= 0.0:
            continue
        support = [f for f in scored if f.name in SUPPORT and not _is_evidence(f)]
        weight = sum(f.weight for f in support)
        agreement = sum(f.score * f.weight for f in support) / weight if weight else 1.0
        score = evidence * (1.0 - SUPPORT_PULL * (1.0 - agreement))
        why = "; ".join(f.why for f in scored)
        found = Candidate(system, score, f"{ref.key}: {why}", ref.key, tuple(scored))
        if best is None or found.score > best.score:
            best = found
    return best


def _is_evidence(feature: FeatureScore) -> bool:
    return feature.name == "parts" or (feature.name == "markings" and feature.score >= 1.0)


def _evidence(item: ItemProfile, ref: ItemProfile, scored: list[FeatureScore]) -> float:
    values = [0.0]
    for f in scored:
        shared_enough = len(item.parts & ref.parts) >= MIN_SHARED_PARTS
        if (f.name == "parts" and shared_enough) or (f.name == "markings" and f.score >= 1.0):
            values.append(f.score)
    return max(values)
