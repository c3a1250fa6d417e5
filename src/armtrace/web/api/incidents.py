"""Incidents: where and when items were documented."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from armtrace.web.deps import AudienceDep, Documenter, Reader, StoreDep
from armtrace.web.records import edits, reads
from armtrace.web.visibility import public_view

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


class IncidentFields(BaseModel):
    """An incident's date and place; all optional."""

    incident_date: date | None = None
    place: str | None = Field(None, max_length=500)
    country: str | None = Field(None, max_length=2)
    latitude: float | None = None
    longitude: float | None = None


class NewIncident(IncidentFields):
    """A new incident with its natural key."""

    key: str = Field(min_length=1, max_length=200)


@router.get("")
def list_incidents(
    store: StoreDep, audience: AudienceDep, _: Reader,
    limit: int = Query(100, ge=1, le=reads.MAX_PAGE), offset: int = Query(0, ge=0),
) -> dict[str, Any]:  # fmt: skip
    """Incidents with at least one item you may see, newest first."""
    return public_view(reads.list_incidents(store, audience, limit=limit, offset=offset), audience)


@router.get("/{key}")
def get_incident(key: str, store: StoreDep, audience: AudienceDep, _: Reader) -> dict[str, Any]:
    """One incident and its visible items."""
    return public_view(reads.get_incident(store, audience, key), audience)


@router.post("", status_code=201)
def create_incident(body: NewIncident, store: StoreDep, user: Documenter) -> dict[str, Any]:
    """Create an incident (investigators and up)."""
    edits.create_incident(store, body.key, body.model_dump(exclude={"key"}), actor=user.name)
    return {"key": body.key, "created": True}


@router.patch("/{key}")
def edit_incident(
    key: str, body: IncidentFields, store: StoreDep, user: Documenter
) -> dict[str, Any]:
    """Change the fields given (investigators and up)."""
    edits.edit_incident(store, key, body.model_dump(exclude_unset=True), actor=user.name)
    return {"key": key, "changed": True}
