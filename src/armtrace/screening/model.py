"""What screening returns: parties, matches with their explanations, analysts' judgements.

Invariants:
- A match's id is derived from the party's normalised key and the listed entity's id only, so the
  same party against the same listed entity has the same id across re-screens and list versions;
  analysts' judgements hang on that id and survive recomputation.
- Scores are machine output; a ``Judgement`` is a person's decision and never changes a score.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Verdict = Literal["match", "no-match", "unsure"]
VERDICTS: tuple[Verdict, ...] = ("match", "no-match", "unsure")

# A score at or above this is reported as a match; below it a candidate is kept but not reported.
MATCH_THRESHOLD = 0.70
# Candidates under this score are dropped entirely.
CANDIDATE_FLOOR = 0.50
# The dataset of the bundled exercise list; matches against it are labelled exercise data.
EXERCISE_DATASET = "armtrace_exercise"


@dataclass(frozen=True)
class Party:
    """A company to screen: a manufacturer, a custody-chain company, or a name given by hand."""

    name: str
    country: str | None = None
    source: str = "manual"  # "manufacturer", "custody-chain" or "manual"
    reference: str | None = None  # e.g. the manufacturer id or the chain key
    transfer_date: date | None = None  # when this party received the goods, if known
    aliases: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # registration, tax, INN, OGRN... numbers, any format

    @property
    def key(self) -> str:
        """The party's identity across runs: its name folded, and its country."""
        from armtrace.screening.normalise import name_key

        return f"{name_key(self.name)}|{(self.country or '').upper()}"


@dataclass(frozen=True)
class FeatureResult:
    """One named feature's contribution to a score, with the sentence that explains it."""

    name: str
    score: float
    weight: float
    detail: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "name": self.name,
            "score": round(self.score, 4),
            "weight": self.weight,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision on a match, with who and when."""

    match_id: str
    verdict: Verdict
    actor: str
    at: datetime
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "match_id": self.match_id,
            "verdict": self.verdict,
            "actor": self.actor,
            "at": self.at.isoformat(),
            "note": self.note,
        }


def match_id_for(party_key: str, entity_id: str) -> str:
    """The stable id of a (party, listed entity) pair."""
    return hashlib.sha256(f"{party_key}\x1f{entity_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Match:
    """A party that resembles a listed entity, with the evidence for the resemblance."""

    party: Party
    entity_id: str
    caption: str  # the listed entity's main name
    schema: str
    dataset: str
    score: float
    features: tuple[FeatureResult, ...]
    party_name_compared: str
    listed_name_compared: str
    listed_countries: tuple[str, ...] = ()
    listed_identifiers: tuple[str, ...] = ()
    listed_since: date | None = None
    judgement: Judgement | None = None
    list_version: str | None = None  # sha256 of the list file the listed entity came from
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Stable across re-screens: see the module docstring."""
        return match_id_for(self.party.key, self.entity_id)

    @property
    def name(self) -> str:
        """The screened party's name."""
        return self.party.name

    @property
    def exercise(self) -> bool:
        """Whether the listed entity comes from the fictitious exercise list."""
        return self.dataset == EXERCISE_DATASET

    @property
    def is_match(self) -> bool:
        """Whether the machine score reaches the reporting threshold."""
        return self.score >= MATCH_THRESHOLD

    @property
    def why(self) -> str:
        """The features' sentences, strongest contribution first."""
        ordered = sorted(self.features, key=lambda f: -abs(f.score * f.weight))
        return "; ".join(f.detail for f in ordered if f.detail)

    @property
    def timing(self) -> str:
        """Whether the party's transfer was before or after the listing, or that it is unknown."""
        if self.listed_since is None:
            return "listing date unknown"
        if self.party.transfer_date is None:
            return f"listed since {self.listed_since.isoformat()}; transfer date unknown"
        if self.party.transfer_date < self.listed_since:
            return (
                f"transfer on {self.party.transfer_date.isoformat()} was before the listing "
                f"on {self.listed_since.isoformat()}"
            )
        return (
            f"transfer on {self.party.transfer_date.isoformat()} was on or after the listing "
            f"on {self.listed_since.isoformat()}"
        )

    @property
    def transfer_after_listing(self) -> bool | None:
        """True when the transfer was on or after the listing date; None when either is unknown."""
        if self.listed_since is None or self.party.transfer_date is None:
            return None
        return self.party.transfer_date >= self.listed_since

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values; the stable machine-readable form."""
        return {
            "match_id": self.id,
            "name": self.party.name,
            "party": {
                "name": self.party.name,
                "country": self.party.country,
                "source": self.party.source,
                "reference": self.party.reference,
                "transfer_date": _iso(self.party.transfer_date),
            },
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "dataset": self.dataset,
            "score": round(self.score, 4),
            "is_match": self.is_match,
            "exercise": self.exercise,
            "names_compared": [self.party_name_compared, self.listed_name_compared],
            "listed_countries": list(self.listed_countries),
            "listed_identifiers": list(self.listed_identifiers),
            "listed_since": _iso(self.listed_since),
            "transfer_after_listing": self.transfer_after_listing,
            "timing": self.timing,
            "why": self.why,
            "features": [f.as_json() for f in self.features],
            "judgement": self.judgement.as_json() if self.judgement else None,
            "list_version": self.list_version,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def match_from_json(value: dict[str, Any], judgement: Judgement | None = None) -> Match:
    """A match rebuilt from its ``as_json`` form (how results are stored)."""
    party = value["party"]
    return Match(
        party=Party(
            name=party["name"],
            country=party["country"],
            source=party["source"],
            reference=party["reference"],
            transfer_date=_date(party["transfer_date"]),
        ),
        entity_id=value["entity_id"],
        caption=value["caption"],
        schema=value["schema"],
        dataset=value["dataset"],
        score=float(value["score"]),
        features=tuple(
            FeatureResult(f["name"], float(f["score"]), float(f["weight"]), f["detail"])
            for f in value["features"]
        ),
        party_name_compared=value["names_compared"][0],
        listed_name_compared=value["names_compared"][1],
        listed_countries=tuple(value["listed_countries"]),
        listed_identifiers=tuple(value["listed_identifiers"]),
        listed_since=_date(value["listed_since"]),
        judgement=judgement,
        list_version=value["list_version"],
    )
