"""The report as data: what a report covers and every figure it shows, before any rendering.

Invariants:
- A section whose producer is missing or failed is ``Unavailable`` with the reason; it is never
  filled with invented content.
- ``exercise`` is true when any component in scope comes from exercise data; renderers then put
  "EXERCISE DATA" on every page.
- Every figure carries a provenance line (what was counted, in which scope, from what).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from armtrace.analytics.scope import Scope
from armtrace.errors import ArmtraceError

Kind = Literal["item", "incident", "weapon_system", "manufacturer", "campaign"]
KINDS: tuple[Kind, ...] = ("item", "incident", "weapon_system", "manufacturer", "campaign")
NOT_PROOF = "A part in a weapon is context, not proof of wrongdoing by its maker."


class ReportError(ArmtraceError):
    """A report was asked for something it cannot cover."""


@dataclass(frozen=True)
class ReportRequest:
    """What one report covers: a kind, its subject and an optional time and place filter."""

    kind: Kind
    subject: str | None = None  # item key, incident key, weapon system or manufacturer id
    country: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    public: bool = False

    def scope(self) -> Scope:
        """The analytics scope of this report."""
        if self.kind != "campaign" and not self.subject:
            raise ReportError(f"a {self.kind.replace('_', ' ')} report needs its subject")
        keyed = {
            "item": "item_key",
            "incident": "incident_key",
            "weapon_system": "weapon_system",
            "manufacturer": "manufacturer_id",
        }
        subject = {keyed[self.kind]: self.subject} if self.kind in keyed else {}
        return Scope(
            **subject,
            country=self.country.upper() if self.country else None,
            since=self.since,
            until=self.until,
            published_only=self.public,
        )

    def title(self) -> str:
        """The report's headline."""
        if self.kind == "campaign":
            return f"Campaign report: {self.scope().describe()}"
        return f"{self.kind.replace('_', ' ').capitalize()} report: {self.subject}"


@dataclass(frozen=True)
class Unavailable:
    """A section that could not be produced, and why."""

    reason: str


@dataclass(frozen=True)
class CompanyRow:
    """One company of the supply chain, as the table shows it."""

    name: str
    registry_id: str | None
    owner: str | None  # current owner of the brand, when another company
    headquarters: str | None  # ISO alpha-2; None when unknown
    components: int
    share: float
    chpl_tiers: tuple[str, ...]
    hs_codes: tuple[str, ...]


@dataclass(frozen=True)
class Photo:
    """One component photo, embedded as a data URI (hash-checked evidence)."""

    item_key: str
    component_key: str
    caption: str
    data_uri: str
    sha256: str


@dataclass(frozen=True)
class Figure:
    """A chart or map as inline SVG, with the provenance of its numbers."""

    title: str
    svg: str | Unavailable
    provenance: str


@dataclass
class Report:
    """Everything a report shows, ready to render."""

    request: ReportRequest
    title: str
    scope_text: str
    generated_at: datetime.datetime
    exercise: bool
    components: int
    identified: int
    sentence: str | Unavailable
    companies: list[CompanyRow]
    countries: list[tuple[str, int]]
    figures: list[Figure]
    map: Figure
    dating: list[dict[str, Any]] | Unavailable
    attribution: list[dict[str, Any]] | Unavailable
    links: list[dict[str, Any]] | Unavailable
    photos: list[Photo]
    campaign: dict[str, Any] | None
    provenance: dict[str, str]
    sightings: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
