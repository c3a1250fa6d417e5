"""Result types of attribution, shared by the features and the scorer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeatureScore:
    """One feature's contribution: its value in [0, 1], its weight and a sentence."""

    name: str
    score: float
    weight: float
    why: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"name": self.name, "score": round(self.score, 4), "weight": self.weight,
                "why": self.why}  # fmt: skip
