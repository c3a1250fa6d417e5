"""Typed records of the domain, as read from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Incident:
    """An event or site where items were documented."""

    key: str
    incident_date: date | None
    place: str | None
    country: str | None  # ISO 3166-1 alpha-2 of where it happened
    latitude: float | None
    longitude: float | None
    exercise: bool  # True for exercise (not real) data; shown wherever the incident shows


@dataclass(frozen=True)
class Item:
    """A documented item: a missile remnant, a drone, a rocket."""

    key: str
    incident_key: str
    item_type: str | None
    item_markings: str | None
    weapon_system: str | None  # an analyst's confirmed attribution


@dataclass(frozen=True)
class Component:
    """One documented component of an item, its marking kept verbatim."""

    item_key: str
    key: str
    marking: str | None
    description: str | None
    manufacturer: str | None  # an analyst's identification, if any
    photo: str | None
    photo_sha256: str | None
    notes: str | None

    @property
    def marking_lines(self) -> list[str]:
        """The marking split into printed lines (" / " or newlines separate them)."""
        if not self.marking:
            return []
        lines = self.marking.replace("\r\n", "\n").replace(" / ", "\n").split("\n")
        return [line.strip() for line in lines if line.strip()]


@dataclass(frozen=True)
class Evidence:
    """A stored photo or document."""

    sha256: str
    size: int
    media_type: str
    original_name: str | None
