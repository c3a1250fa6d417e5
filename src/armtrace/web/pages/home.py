"""The incidents map (/), the item list (/items) and the world outline the map draws."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from armtrace.refdata.world import world_geojson_text
from armtrace.reports.maps import MapPoint, points_map
from armtrace.web.deps import Reader, StoreDep
from armtrace.web.pages.queries import (
    MAX_INCIDENTS,
    IncidentPoint,
    incident_points,
    item_lines,
)
from armtrace.web.templating import render
from armtrace.web.visibility import audience_for

router = APIRouter(include_in_schema=False)


def map_points(points: list[IncidentPoint]) -> list[MapPoint]:
    """The incidents that have coordinates, as points for an SVG map."""
    return [
        MapPoint(p.latitude, p.longitude, p.place or p.key, f"/items?incident={p.key}")
        for p in points
        if p.latitude is not None and p.longitude is not None
    ]


@router.get("/", response_class=HTMLResponse)
def incidents_page(request: Request, store: StoreDep, user: Reader) -> HTMLResponse:
    """Incidents on a map, with the list of them below."""
    audience = audience_for(user)
    points = incident_points(store, audience)
    points_json = json.dumps(
        [
            {"key": p.key, "latitude": p.latitude, "longitude": p.longitude,
             "date": p.incident_date.isoformat() if p.incident_date else None, "place": p.place,
             "country": p.country, "exercise": p.exercise, "item_count": p.item_count,
             "first_item": p.first_item}
            for p in points
        ]
    )  # fmt: skip
    return render(
        request,
        "index.html",
        {
            "points": points,
            "points_json": points_json,
            "max_incidents": MAX_INCIDENTS,
            "svg_map": points_map(map_points(points), title="Incidents") if points else "",
            "audience": audience,
            "exercise": any(p.exercise for p in points),
        },
    )


@router.get("/items", response_class=HTMLResponse)
def items_page(
    request: Request,
    store: StoreDep,
    user: Reader,
    incident: str | None = None,
    weapon_system: str | None = None,
) -> HTMLResponse:
    """Documented items, newest first, optionally of one incident or weapon system."""
    audience = audience_for(user)
    lines = item_lines(store, audience, incident=incident, weapon_system=weapon_system)
    if incident:
        heading = f"Items documented at {incident}"
    elif weapon_system:
        heading = f"Items attributed to {weapon_system}"
    else:
        heading = f"{len(lines)} most recent items"
    return render(
        request,
        "items.html",
        {
            "lines": lines,
            "heading": heading,
            "audience": audience,
            "exercise": any(line.exercise for line in lines),
        },
    )


@router.get("/world.geojson")
def world_outline() -> Response:
    """The bundled Natural Earth outline the map draws (cached by browsers for a day)."""
    return Response(
        world_geojson_text(),
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )
