"""Reference pages: manufacturers and weapon systems, with where their parts and items turned up."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from armtrace.errors import NotFound
from armtrace.refdata.manufacturers import load_registry
from armtrace.refdata.vocabulary import load_weapon_systems
from armtrace.reports.charts import bar_chart, timeline_chart
from armtrace.reports.maps import MapPoint, points_map
from armtrace.store import tables
from armtrace.web.deps import Reader, StoreDep
from armtrace.web.pages.detail import company_rows, country_label
from armtrace.web.pages.item import not_found
from armtrace.web.pages.queries import incident_points, item_lines
from armtrace.web.pages.refviews import maker_lines, maker_view, system_item_counts, system_view
from armtrace.web.pages.sections import summary_section
from armtrace.web.templating import render
from armtrace.web.visibility import audience_for

router = APIRouter(include_in_schema=False)


@router.get("/manufacturers", response_class=HTMLResponse)
def makers_page(request: Request, store: StoreDep, user: Reader) -> HTMLResponse:
    """Makers whose parts were identified, most components first."""
    audience = audience_for(user)
    makers = maker_lines(store, audience)
    rows = [(m.name, float(m.components)) for m in makers[:20]]
    return render(
        request,
        "manufacturers.html",
        {
            "makers": makers,
            "audience": audience,
            "registry_size": len(load_registry()),
            "chart": bar_chart(rows, title="Components by maker", unit="components"),
        },
    )


@router.get("/manufacturers/{maker_id}", response_class=HTMLResponse)
def maker_page(request: Request, maker_id: str, store: StoreDep, user: Reader) -> HTMLResponse:
    """A maker: headquarters, owner chain, sources; where and when its parts turned up."""
    audience = audience_for(user)
    try:
        view = maker_view(store, audience, maker_id)
    except NotFound:
        return not_found(request, f"manufacturer {maker_id}")
    points = {
        (s.latitude, s.longitude): MapPoint(s.latitude, s.longitude, s.place or s.incident)
        for s in view.sightings
        if s.latitude is not None and s.longitude is not None
    }
    title = f"Where {view.maker.name} parts turned up"
    return render(
        request,
        "manufacturer.html",
        {
            "view": view,
            "audience": audience,
            "exercise": any(s.exercise for s in view.sightings),
            "country_label": country_label(view.maker.country),
            "map": points_map(list(points.values()), title=title) if points else "",
            "timeline": timeline_chart(view.date_codes, title="Its parts' date codes over time"),
        },
    )


@router.get("/weapon-systems", response_class=HTMLResponse)
def systems_page(request: Request, store: StoreDep, user: Reader) -> HTMLResponse:
    """The weapon-system vocabulary with the number of items attributed to each."""
    audience = audience_for(user)
    counts = system_item_counts(store, audience)
    systems = [
        (system, sum(counts.get(system.id, {}).values()))
        for system in sorted(load_weapon_systems().values(), key=lambda s: s.name.lower())
    ]
    return render(request, "weapon_systems.html", {"systems": systems, "audience": audience})


@router.get("/weapon-systems/{system_id}", response_class=HTMLResponse)
def system_page(request: Request, system_id: str, store: StoreDep, user: Reader) -> HTMLResponse:
    """A weapon system: its record, sources, related systems and the items attributed to it."""
    audience = audience_for(user)
    view = system_view(store, audience, system_id)
    if view is None:
        return not_found(request, f"weapon system {system_id}")
    lines = [
        line
        for text in view.names_in_store
        for line in item_lines(store, audience, weapon_system=text)
    ]
    places = incident_points(
        store, audience, tables.incidents.c.key.in_({line.incident for line in lines})
    )
    points = [
        MapPoint(p.latitude, p.longitude, p.place or p.key)
        for p in places
        if p.latitude is not None and p.longitude is not None
    ]
    title = f"Where {view.system.name} items were documented"
    summaries = []
    for text in view.names_in_store:
        summary = summary_section(store, audience, weapon_system=text)
        counts = summary.value.as_json().get("by_company") if summary.value is not None else None
        chart = (
            bar_chart(
                company_rows(None, counts),
                title=f"Components by maker in items named {text}",
                unit="components",
            )
            if counts
            else ""
        )
        summaries.append((text, summary, chart))
    return render(
        request,
        "weapon_system.html",
        {
            "view": view,
            "lines": lines,
            "audience": audience,
            "exercise": any(line.exercise for line in lines),
            "country_label": country_label(view.system.origin_country),
            "map": points_map(points, title=title) if points else "",
            "summaries": summaries,
        },
    )
