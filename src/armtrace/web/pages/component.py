"""The component page and the analyst's identification of its maker; photos from evidence."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.errors import ArmtraceError
from armtrace.markings.readings import where_seen
from armtrace.refdata.manufacturers import load_registry
from armtrace.store import Store
from armtrace.web.deps import Judge, Reader, StoreDep
from armtrace.web.pages.detail import ItemView, item_view, photo_visible
from armtrace.web.pages.item import not_found
from armtrace.web.records.edits import judge_manufacturer
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.templating import render
from armtrace.web.visibility import Audience, audience_for

router = APIRouter(include_in_schema=False)
MAX_SIGHTINGS = 100


def component_context(
    store: Store, audience: Audience, item: ItemView, component_key: str
) -> dict[str, Any] | None:
    """What the component template shows, or None when the item has no such component."""
    found = [c for c in item.components if c.key == component_key]
    if not found:
        return None
    component = found[0]
    seen = where_seen(store, component.marking) if component.marking else []
    visible = visible_item_keys(store, audience, {s.item for s in seen})
    sightings = [
        s
        for s in seen
        if not (s.item == item.key and s.component == component.key) and s.item in visible
    ]
    return {
        "item": item,
        "component": component,
        "audience": audience,
        "exercise": item.exercise,
        "sightings": sightings[:MAX_SIGHTINGS],
        "maker_names": sorted({maker.name for maker in load_registry()}),
    }


@router.get("/items/{key}/components/{component_key}", response_class=HTMLResponse)
def component_page(
    request: Request, key: str, component_key: str, store: StoreDep, user: Reader
) -> HTMLResponse:
    """One component: its marking, photo, identification and where else it turned up."""
    audience = audience_for(user)
    item = item_view(store, audience, key, component=component_key)
    context = component_context(store, audience, item, component_key) if item else None
    if context is None:
        return not_found(request, f"component {component_key} of item {key}")
    context["message"] = request.query_params.get("message")
    return render(request, "component.html", context)


def maker_entry(typed: str) -> tuple[str | None, str]:
    """The analyst's typed maker as stored (the registry's name when it knows it; None when
    empty) and the sentence the page shows about it."""
    text = typed.strip()
    if not text:
        return None, "cleared"
    known = load_registry().resolve_name(text)
    if known is not None:
        return known.name, f"recorded as made by {known.name}"
    return text, f"recorded as made by {text} (not in the reference registry: kept as typed)"


@router.post("/items/{key}/components/{component_key}/manufacturer", response_model=None)
def component_manufacturer(
    request: Request,
    key: str,
    component_key: str,
    store: StoreDep,
    user: Judge,
    manufacturer: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the analyst's identification of the component's maker (audited, with their name)."""
    value, said = maker_entry(manufacturer)
    try:
        judge_manufacturer(store, key, component_key, value, actor=user.name, note=note)
    except ArmtraceError as exc:
        audience = audience_for(user)
        item = item_view(store, audience, key, component=component_key)
        context = component_context(store, audience, item, component_key) if item else None
        if context is None:
            return not_found(request, f"component {component_key} of item {key}")
        return render(request, "component.html", {**context, "error": str(exc)}, status_code=400)
    message = f"The analyst's identification of {component_key} was {said.rstrip('.')}."
    target = f"/items/{quote(key)}/components/{quote(component_key)}"
    return RedirectResponse(f"{target}?message={quote(message)}", status_code=303)


@router.get("/evidence/{sha256}")
def evidence_photo(sha256: str, store: StoreDep, user: Reader) -> Response:
    """A component photo, when it belongs to an item the audience may see (hash-checked)."""
    media_type = photo_visible(store, audience_for(user), sha256.lower())
    if media_type is None or not media_type.startswith("image/"):
        return Response("no such photo", status_code=404, media_type="text/plain")
    return Response(
        store.evidence.read(sha256.lower()),
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
