"""Search across markings, serials, makers and places (/search?q=...).

Markings, places and makers come from ``armtrace.web.records.search.search`` (the same search the
API answers with); serials, which may sit on items or on components, from the attribution
module's partial serial search.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from armtrace.attribution.serials import search_serials
from armtrace.store import Store
from armtrace.web.deps import Reader, StoreDep
from armtrace.web.pages.detail import maker_name
from armtrace.web.pages.queries import any_exercise
from armtrace.web.pages.sections import Section, section
from armtrace.web.records.reads import visible_item_keys
from armtrace.web.records.search import search
from armtrace.web.templating import render
from armtrace.web.visibility import Audience, audience_for

router = APIRouter(include_in_schema=False)
MIN_LENGTH = 2
LIMIT = 100


def serial_hits(store: Store, audience: Audience, text: str) -> Section[list[Any]]:
    """Partial serial matches from the attribution module, limited to visible items."""

    def compute() -> list[Any]:
        hits = search_serials(store, text, limit=LIMIT)
        visible = visible_item_keys(store, audience, {hit.item_key for hit in hits})
        return [hit for hit in hits if hit.item_key in visible]

    return section(compute)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, user: Reader, q: str = "") -> HTMLResponse:
    """Everything that matches the query, grouped by kind."""
    audience = audience_for(user)
    text = q.strip()
    context: dict[str, Any] = {
        "audience": audience,
        "query": text,
        "min_length": MIN_LENGTH,
        "too_short": bool(text) and len(text) < MIN_LENGTH,
        "limit": LIMIT,
    }
    if text and not context["too_short"]:
        found = search(store, audience, text, kinds=("markings", "makers", "places"), limit=LIMIT)
        serials = serial_hits(store, audience, text)
        items = {hit["item"] for hit in found["markings"]}
        items |= {hit.item_key for hit in serials.value or []}
        context.update(
            makers=found["makers"],
            markings=found["markings"],
            maker_names={
                hit["manufacturer"]: maker_name(hit["manufacturer"])
                for hit in found["markings"]
                if hit["manufacturer"]
            },
            places=found["places"],
            serials=serials,
            exercise=any_exercise(store, items, {hit["incident"] for hit in found["places"]}),
        )
    return render(request, "search.html", context)
