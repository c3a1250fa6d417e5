"""The item page (/items/KEY) and its verification buttons."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.attribution.judgements import judge_link
from armtrace.errors import ArmtraceError
from armtrace.refdata.vocabulary import weapon_system_for_text
from armtrace.reports.charts import bar_chart, timeline_chart
from armtrace.reports.maps import MapPoint, points_map
from armtrace.store import Store
from armtrace.web.deps import Judge, Reader, StoreDep
from armtrace.web.pages.detail import (
    ItemView,
    company_rows,
    country_rows,
    date_code_points,
    item_view,
)
from armtrace.web.pages.sections import (
    Section,
    attribution_section,
    dating_section,
    links_section,
    summary_section,
)
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.templating import render
from armtrace.web.visibility import Audience, audience_for
from armtrace.workflow import TRANSITIONS, set_item_state

router = APIRouter(include_in_schema=False)
SUMMARY_FIELDS = (
    ("components", "Components documented"),
    ("identified", "Identified"),
    ("companies", "Companies"),
    ("countries", "Countries (headquarters)"),
    ("assembled_not_before", "Assembled no earlier than"),
)


def not_found(request: Request, what: str) -> HTMLResponse:
    """The page for a record that does not exist or that this audience may not see."""
    detail = f"There is no {what} here, or it is not published yet."
    context = {"heading": "Not found", "detail": detail}
    return render(request, "error.html", context, status_code=404)


def summary_rows(summary: Section[Any]) -> list[tuple[str, Any]]:
    """The summary's headline counts as (label, value) rows."""
    if summary.value is None:
        return []
    data = summary.value.as_json()
    return [(label, data[key]) for key, label in SUMMARY_FIELDS if data.get(key) is not None]


def dating_rows(dating: Section[Any]) -> list[dict[str, Any]]:
    """The components whose date codes set the item's "assembled not before" bound."""
    if dating.value is None:
        return []
    return [
        {
            "component": source.component,
            "part_number": source.part_number,
            "code": source.raw,
            "earliest": source.earliest,
            "latest": source.latest,
        }
        for source in getattr(dating.value, "set_by", ())
    ]


def closest_visible(store: Store, audience: Audience, attribution: Section[Any]) -> set[str]:
    """The candidates' closest reference items that the audience may see (others are unnamed)."""
    if attribution.value is None:
        return set()
    closest = {c["closest_item"] for c in attribution.value["candidates"] if c["closest_item"]}
    return visible_item_keys(store, audience, closest)


def item_context(store: Store, audience: Audience, item: ItemView) -> dict[str, Any]:
    """Everything the item template shows besides the item itself."""
    summary = summary_section(store, audience, item_key=item.key)
    counts = summary.value.as_json() if summary.value is not None else {}
    system = weapon_system_for_text(item.weapon_system) if item.weapon_system else None
    place = []
    if item.latitude is not None and item.longitude is not None:
        place.append(MapPoint(item.latitude, item.longitude, item.place or item.incident))
    return {
        "item": item,
        "audience": audience,
        "exercise": item.exercise,
        "states": sorted(TRANSITIONS[item.state]),
        "system_id": system.id if system else None,
        "summary": summary,
        "summary_rows": summary_rows(summary),
        "dating": (dating := dating_section(store, item.key)),
        "dating_rows": dating_rows(dating),
        "attribution": (attribution := attribution_section(store, audience, item.key)),
        "visible": closest_visible(store, audience, attribution),
        "links": links_section(store, audience, item.key),
        "item_map": points_map(place, title=f"Where {item.key} was documented", width=420),
        "country_chart": bar_chart(
            country_rows(item, counts.get("by_country")),
            title="Components by maker's headquarters country",
            unit="components",
        ),
        "company_chart": bar_chart(
            company_rows(item, counts.get("by_company")),
            title="Components by maker",
            unit="components",
        ),
        "date_chart": timeline_chart(date_code_points(item), title="Date codes over time"),
    }


@router.get("/items/{key}", response_class=HTMLResponse)
def item_page(request: Request, key: str, store: StoreDep, user: Reader) -> HTMLResponse:
    """One item: its components, summary, dating, attribution, links, map and charts."""
    audience = audience_for(user)
    item = item_view(store, audience, key)
    if item is None:
        return not_found(request, f"item {key}")
    context = item_context(store, audience, item)
    context["message"] = request.query_params.get("message")
    return render(request, "item.html", context)


@router.post("/items/{key}/state", response_model=None)
def item_state(
    request: Request,
    key: str,
    store: StoreDep,
    user: Judge,
    state: Annotated[str, Form()],
) -> Response:
    """Move the item to another verification state (analysts), audited with their name."""
    try:
        before, after = set_item_state(store, key, state, actor=user.name)
    except ArmtraceError as exc:
        audience = audience_for(user)
        item = item_view(store, audience, key)
        if item is None:
            return not_found(request, f"item {key}")
        context = {**item_context(store, audience, item), "error": str(exc)}
        return render(request, "item.html", context, status_code=409)
    message = f"{key} moved from {before} to {after}." if before != after else f"{key} is {after}."
    return RedirectResponse(f"/items/{quote(key)}?message={quote(message)}", status_code=303)


@router.post("/items/{key}/links/{other}", response_model=None)
def judge_link_page(
    request: Request,
    key: str,
    other: str,
    store: StoreDep,
    user: Judge,
    verdict: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record the analyst's verdict on a link (same build or different), with their note."""
    try:
        judge_link(store, key, other, verdict, actor=user.name, note=note.strip() or None)
    except ArmtraceError as exc:
        audience = audience_for(user)
        item = item_view(store, audience, key)
        if item is None:
            return not_found(request, f"item {key}")
        context = {**item_context(store, audience, item), "error": str(exc)}
        return render(request, "item.html", context, status_code=400)
    words = "the same build as" if verdict == "same" else "a different build from"
    message = f"Recorded: {key} is {words} {other}."
    return RedirectResponse(f"/items/{quote(key)}?message={quote(message)}", status_code=303)
