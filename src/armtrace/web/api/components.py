"""Components of an item: markings, machine readings and the analyst's identification."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from armtrace.web.deps import AudienceDep, Documenter, Judge, Reader, StoreDep
from armtrace.web.records import edits, reads
from armtrace.web.visibility import public_view

router = APIRouter(prefix="/api/items/{item}/components", tags=["components"])


class ComponentFields(BaseModel):
    """A component's editable fields; the marking is kept verbatim."""

    marking: str | None = Field(None, max_length=5000)
    description: str | None = Field(None, max_length=500)
    notes: str | None = Field(None, max_length=20000)
    photo_sha256: str | None = Field(None, pattern="^[0-9a-f]{64}$")


class NewComponent(ComponentFields):
    """A new component, its key unique within the item."""

    key: str = Field(min_length=1, max_length=200)


class ManufacturerJudgement(BaseModel):
    """An analyst's identification of the maker (null withdraws it)."""

    manufacturer: str | None = Field(max_length=300)
    note: str | None = Field(None, max_length=2000)  # why: kept in the audit entry


@router.get("/{key}")
def get_component(
    item: str, key: str, store: StoreDep, audience: AudienceDep, _: Reader
) -> dict[str, Any]:
    """One component with its reading (part number, maker, country, date code, why)."""
    return public_view(reads.get_component(store, audience, item, key), audience)


@router.post("", status_code=201)
def create_component(
    item: str, body: NewComponent, store: StoreDep, user: Documenter
) -> dict[str, Any]:
    """Add a component to an item (investigators and up)."""
    fields = body.model_dump(exclude={"key"})
    edits.create_component(store, item, body.key, fields, actor=user.name)
    return {"item": item, "key": body.key, "created": True}


@router.patch("/{key}")
def edit_component(
    item: str, key: str, body: ComponentFields, store: StoreDep, user: Documenter
) -> dict[str, Any]:
    """Change the fields given (investigators and up)."""
    edits.edit_component(store, item, key, body.model_dump(exclude_unset=True), actor=user.name)
    return {"item": item, "key": key, "changed": True}


@router.put("/{key}/manufacturer")
def judge_manufacturer(
    item: str, key: str, body: ManufacturerJudgement, store: StoreDep, user: Judge
) -> dict[str, Any]:
    """Record the analyst's identification of the maker (analysts and admins); audited."""
    edits.judge_manufacturer(store, item, key, body.manufacturer, actor=user.name,
                             note=body.note)  # fmt: skip
    return {"item": item, "key": key, "manufacturer": body.manufacturer}
