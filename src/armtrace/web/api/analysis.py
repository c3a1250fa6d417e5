"""Analysis: roll-up summaries, dating, attribution, links between items, first sightings.

Each route calls one library function; an item the caller may not see is answered 404 before
the function runs, and answers that list other items keep only those the caller may see.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from armtrace.analytics.scope import Scope
from armtrace.attribution.judgements import judge_link
from armtrace.attribution.linking import link_clusters, links_for_item
from armtrace.attribution.serials import search_serials
from armtrace.attribution.sightings import first_sightings
from armtrace.dating.items import item_dating
from armtrace.reports.summary import summarise
from armtrace.web.deps import AudienceDep, DraftReader, Judge, Reader, StoreDep
from armtrace.web.records.attribution import attribution_for
from armtrace.web.records.reads import require_visible, visible_item_keys
from armtrace.web.visibility import public_view

router = APIRouter(prefix="/api", tags=["analysis"])


class LinkVerdict(BaseModel):
    """An analyst's judgement on two items: the same build, or different."""

    item_a: str = Field(min_length=1, max_length=200)
    item_b: str = Field(min_length=1, max_length=200)
    verdict: Literal["same", "different"]
    note: str | None = Field(None, max_length=2000)


@router.get("/summary")
def summary(
    store: StoreDep, audience: AudienceDep, _: Reader,
    item: str | None = None, incident: str | None = None, weapon_system: str | None = None,
    manufacturer: str | None = None, country: str | None = None,
    since: date | None = None, until: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Components, makers, countries and dating of a scope (published items only for viewers)."""
    if item is not None:
        require_visible(store, audience, item)
    scope = Scope(item, incident, weapon_system, manufacturer, country, since, until,
                  published_only=not audience.full)  # fmt: skip
    return summarise(store, scope).as_json()


@router.get("/items/{key}/dating")
def dating(key: str, store: StoreDep, audience: AudienceDep, _: Reader) -> dict[str, Any]:
    """The item's "assembled not before" bound and the date codes behind it."""
    require_visible(store, audience, key)
    return item_dating(store, key).as_json()


@router.get("/items/{key}/attribution")
def attribution(key: str, store: StoreDep, audience: AudienceDep, _: Reader) -> dict[str, Any]:
    """Ranked weapon-system candidates with the features behind each score (unpublished
    reference items unnamed for viewers)."""
    require_visible(store, audience, key)
    return attribution_for(store, audience, key)


@router.get("/items/{key}/links")
def item_links(key: str, store: StoreDep, audience: AudienceDep, _: Reader) -> list[dict[str, Any]]:
    """Items with near-identical part sets, or judged the same build (visible ones only)."""
    require_visible(store, audience, key)
    links = links_for_item(store, key)
    visible = visible_item_keys(store, audience, {k for x in links for k in (x.item_a, x.item_b)})
    return [x.as_json() for x in links if {x.item_a, x.item_b} <= visible]


@router.get("/links")
def clusters(store: StoreDep, _: DraftReader) -> list[dict[str, Any]]:
    """Every cluster of linked items (``armtrace link --json``); drafts included."""
    return [cluster.as_json() for cluster in link_clusters(store)]


@router.post("/links/judgements", status_code=201)
def judge(body: LinkVerdict, store: StoreDep, user: Judge) -> dict[str, Any]:
    """Record an analyst's verdict on two items; kept apart from machine scores, audited."""
    made = judge_link(store, body.item_a, body.item_b, body.verdict, actor=user.name,
                      note=body.note)  # fmt: skip
    return made.as_json()


@router.get("/first-sightings")
def sightings(store: StoreDep, _: DraftReader, since: date | None = None) -> list[dict[str, Any]]:
    """Item types, systems, makers and production years documented for the first time."""
    return [s.as_json() for s in first_sightings(store, since=since)]


@router.get("/serials")
def serials(
    store: StoreDep, audience: AudienceDep, _: Reader,
    fragment: str = Query(min_length=2, max_length=100), limit: int = Query(100, ge=1, le=1000),
) -> list[dict[str, Any]]:  # fmt: skip
    """Item and component markings containing a serial or lot fragment (visible items only)."""
    hits = search_serials(store, fragment, limit=limit)
    visible = visible_item_keys(store, audience, {hit.item_key for hit in hits})
    return [public_view(h.as_json(), audience) for h in hits if h.item_key in visible]
