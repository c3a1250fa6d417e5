"""Incidents: where and when items were documented."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from armtrace.web.deps import Documenter, ReadAccess, StoreDep
from armtrace.web.encoding import json_response
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


@router.get("", response_model=None)
def list_incidents(
    read: ReadAccess,
    limit: int = Query(100, ge=1, le=reads.MAX_PAGE),
    offset: int = Query(0, ge=0, le=reads.MAX_OFFSET),
) -> Response:  # fmt: skip
    """Incidents with at least one item you may see, newest first."""
    page = reads.list_incidents(read.store, read.audience, limit=limit, offset=offset)
    return json_response(public_view(page, read.audience))


@router.get("/{key}", response_model=None)
def get_incident(key: str, read: ReadAccess) -> Response:
    """One incident and its visible items."""
    found = reads.get_incident(read.store, read.audience, key)
    return json_response(public_view(found, read.audience))


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
