"""Leave-one-out evaluation of attribution on the reference library.

Each reference item is hidden in turn and attributed against the others. A hit at rank k means
the analyst's confirmed system is among the first k candidates. Ties count as they would for a
reader: "top-1 (tied)" counts a hit when the confirmed system is among the tied leaders, "top-1
(strict)" only when it ranks first alone or first in order.

Invariants: an item whose system has no other reference item cannot be attributed right; it is
counted, and reported apart (``has_peer``), so the figure for systems that *can* be recognised is
not diluted, and abstaining on the others (no candidates) is counted as the right behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from armtrace.attribution.profiles import ItemProfile, load_profiles
from armtrace.attribution.score import rank_systems
from armtrace.store import Store


@dataclass(frozen=True)
class Trial:
    """One hidden reference item and what attribution said about it."""

    item_key: str
    confirmed: str
    has_peer: bool  # another reference item of the same system remains in the library
    ranked: tuple[str, ...]
    tied: tuple[str, ...]
    reason: str

    @property
    def top1_strict(self) -> bool:
        return bool(self.ranked) and self.ranked[0] == self.confirmed and len(self.tied) <= 1

    @property
    def top1_tied(self) -> bool:
        return self.confirmed in self.tied

    @property
    def top3(self) -> bool:
        return self.confirmed in self.ranked[:3]

    @property
    def abstained(self) -> bool:
        return not self.ranked


@dataclass(frozen=True)
class Evaluation:
    """All trials and their totals."""

    trials: tuple[Trial, ...]

    def counts(self, *, with_peer: bool | None = None) -> dict[str, int]:
        """Totals over all trials, or only those with (or without) a peer reference item."""
        chosen = [t for t in self.trials if with_peer is None or t.has_peer == with_peer]
        return {
            "items": len(chosen),
            "top1_strict": sum(t.top1_strict for t in chosen),
            "top1_tied": sum(t.top1_tied for t in chosen),
            "top3": sum(t.top3 for t in chosen),
            "abstained": sum(t.abstained for t in chosen),
            "wrong_top1": sum(bool(t.ranked) and not t.top1_tied for t in chosen),
        }

    def as_json(self) -> dict[str, Any]:
        """Totals and every trial, as plain JSON values."""
        return {
            "all": self.counts(),
            "with_peer": self.counts(with_peer=True),
            "without_peer": self.counts(with_peer=False),
            "trials": [
                {**t.__dict__, "ranked": list(t.ranked), "tied": list(t.tied)} for t in self.trials
            ],
        }


def leave_one_out_profiles(library: list[ItemProfile]) -> Evaluation:
    """Hide each reference item in turn and attribute it against the rest."""
    trials = []
    for hidden in sorted(library, key=lambda p: p.key):
        rest = [p for p in library if p.key != hidden.key]
        result = rank_systems(hidden, rest)
        confirmed = hidden.weapon_system or ""
        trials.append(
            Trial(
                hidden.key,
                confirmed,
                any(p.weapon_system == confirmed for p in rest),
                tuple(c.weapon_system for c in result.candidates),
                result.tied,
                result.reason,
            )
        )
    return Evaluation(tuple(trials))


def leave_one_out(store: Store) -> Evaluation:
    """Leave-one-out over the store's reference library (items with a confirmed system)."""
    return leave_one_out_profiles(list(load_profiles(store, reference_only=True).values()))
