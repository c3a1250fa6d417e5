"""Items: documented weapons with their components, verification state and attribution."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from armtrace.store import Store
from armtrace.web.deps import Documenter, Judge, ReadAccess, StoreDep
from armtrace.web.encoding import encode, json_response
from armtrace.web.records import edits, reads
from armtrace.web.visibility import Audience, public_view
from armtrace.workflow import set_item_state

router = APIRouter(prefix="/api/items", tags=["items"])


class ItemFields(BaseModel):
    """An item's editable fields."""

    item_type: str | None = Field(None, max_length=200)
    item_markings: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=20000)


class NewItem(ItemFields):
    """A new item in an existing incident."""

    key: str = Field(min_length=1, max_length=200)
    incident: str = Field(min_length=1, max_length=200)


class StateChange(BaseModel):
    """A verification step."""

    state: Literal["draft", "verified", "published"]


class WeaponSystem(BaseModel):
    """An analyst's confirmed attribution (null withdraws it)."""

    weapon_system: str | None = Field(max_length=200)


@router.get("", response_model=None)
def list_items(
    read: ReadAccess,
    incident: str | None = None, state: str | None = None, item_type: str | None = None,
    weapon_system: str | None = None, country: str | None = None,
    limit: int = Query(50, ge=1, le=reads.MAX_PAGE),
    offset: int = Query(0, ge=0, le=reads.MAX_OFFSET),
) -> Response:  # fmt: skip
    """Items you may see, by key, filtered and paged (``next_offset`` is null on the last page)."""
    where = reads.ItemFilter(incident, state, item_type, weapon_system, country)
    page = reads.list_items(read.store, read.audience, where, limit=limit, offset=offset)
    return json_response(public_view(page, read.audience))


def item_json(store: Store, audience: Audience, key: str) -> bytes:
    """The body of ``GET /api/items/{key}``; shared with ``web.fastread``, which answers most
    of these requests before FastAPI's routing."""
    return encode(public_view(reads.get_item(store, audience, key), audience))


@router.get("/{key}", response_model=None)
def get_item(key: str, read: ReadAccess) -> Response:
    """One item with its incident, components and their machine identification."""
    # Encoded here, in the worker thread, instead of by FastAPI on the event loop.
    return Response(item_json(read.store, read.audience, key), media_type="application/json")


@router.post("", status_code=201)
def create_item(body: NewItem, store: StoreDep, user: Documenter) -> dict[str, Any]:
    """Create a draft item (investigators and up)."""
    fields = body.model_dump(exclude={"key", "incident"})
    edits.create_item(store, body.incident, body.key, fields, actor=user.name)
    return {"key": body.key, "state": "draft", "created": True}


@router.patch("/{key}")
def edit_item(key: str, body: ItemFields, store: StoreDep, user: Documenter) -> dict[str, Any]:
    """Change the fields given (investigators and up)."""
    edits.edit_item(store, key, body.model_dump(exclude_unset=True), actor=user.name)
    return {"key": key, "changed": True}


@router.post("/{key}/state")
def change_state(key: str, body: StateChange, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Verify, publish or withdraw an item (analysts and admins); audited."""
    before, after = set_item_state(store, key, body.state, actor=user.name)
    return {"key": key, "before": before, "state": after}


@router.put("/{key}/weapon-system")
def judge_weapon_system(
    key: str, body: WeaponSystem, store: StoreDep, user: Judge
) -> dict[str, Any]:
    """Record an analyst's confirmed attribution of the item; audited."""
    edits.judge_item(store, key, body.weapon_system, actor=user.name)
    return {"key": key, "weapon_system": body.weapon_system}
