"""Alerts over HTTP (/api/alerts): a user's subscriptions, event history and Atom feed.

Alerts announce draft items, so they are team material: READ_DRAFTS to subscribe and read.
Each user manages only their own subscriptions. The feed opens with the session, an API token
(Bearer), or the user's feed key (``?key=``) for feed readers that cannot log in; a key stops
working when its account is disabled or loses READ_DRAFTS.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from armtrace.accounts.roles import Permission, permissions_of
from armtrace.accounts.users import get_user
from armtrace.alerts.feed import atom_feed, history, new_feed_key, user_for_feed_key
from armtrace.alerts.subscriptions import list_subscriptions, subscribe, unsubscribe
from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.web.deps import DraftReader, RowId, StoreDep, UserDep

router = APIRouter(prefix="/api/alerts", tags=["alerts"])
ATOM_TYPE = "application/atom+xml; charset=utf-8"


class NewSubscription(BaseModel):
    """What to follow and how to hear about it."""

    topic: Literal[
        "weapon_system", "manufacturer", "country", "part_number", "item_link",
        "first_sighting", "sanctions", "trace_deadline",
    ]  # fmt: skip
    values: list[str] = Field(default_factory=list, max_length=200)
    channel: Literal["webhook", "email", "feed"] = "feed"
    target: str | None = Field(None, max_length=2000)
    digest: Literal["none", "hourly", "daily"] = "none"
    secret: str | None = Field(None, min_length=16, max_length=100)


@router.get("/subscriptions")
def my_subscriptions(store: StoreDep, user: DraftReader) -> list[dict[str, Any]]:
    """The signed-in user's live subscriptions."""
    return [s.as_json() for s in list_subscriptions(store, user_name=user.name)]


@router.post("/subscriptions", status_code=201)
def new_subscription(body: NewSubscription, store: StoreDep, user: DraftReader) -> dict[str, Any]:
    """Follow something; a webhook's secret is in this answer only."""
    made = subscribe(
        store, user_name=user.name, topic=body.topic, values=body.values, channel=body.channel,
        target=body.target, digest=body.digest, secret=body.secret, actor=user.name,
    )  # fmt: skip
    return made.as_json()


@router.delete("/subscriptions/{subscription_id}")
def cancel_subscription(
    subscription_id: RowId, store: StoreDep, user: DraftReader
) -> dict[str, Any]:
    """Cancel one of the user's own subscriptions."""
    return unsubscribe(store, subscription_id, actor=user.name, user_name=user.name).as_json()


@router.get("/events")
def my_events(
    store: StoreDep, user: DraftReader, kind: str | None = None,
    limit: int = Query(50, ge=1, le=500),
) -> list[dict[str, Any]]:  # fmt: skip
    """Events delivered to the user's subscriptions, newest first, with delivery states."""
    return [h.as_json() for h in history(store, user_name=user.name, kind=kind, limit=limit)]


@router.post("/feed-key", status_code=201)
def make_feed_key(request: Request, store: StoreDep, user: DraftReader) -> dict[str, str]:
    """A new secret feed key (replacing the old one) and the feed URL that uses it."""
    key = new_feed_key(store, user.name, actor=user.name)
    return {"key": key, "url": str(request.url_for("alerts_feed").include_query_params(key=key))}


@router.get("/feed.atom", name="alerts_feed", response_class=Response)
def feed(
    request: Request, store: StoreDep, user: UserDep, key: str | None = Query(None, max_length=200)
) -> Response:
    """The user's Atom feed, opened by session, API token or feed key."""
    name = _feed_owner(store, key) if key else user.name if user else None
    if name is None:
        raise HTTPException(401, "sign in, send an API token, or add ?key=YOUR_FEED_KEY")
    if key is None and user is not None and Permission.READ_DRAFTS not in permissions_of(user.role):
        raise HTTPException(403, f"your role ({user.role.value}) may not read alerts")
    self_url = str(request.url.remove_query_params("key"))  # never echo the secret
    return Response(atom_feed(store, name, base_url=self_url), media_type=ATOM_TYPE)


def _feed_owner(store: Store, key: str) -> str:
    name = user_for_feed_key(store, key)
    if name is None:
        raise HTTPException(401, "unknown feed key: make a new one with POST /api/alerts/feed-key")
    try:
        owner = get_user(store, name)
    except NotFound:
        raise HTTPException(401, "the feed key's account no longer exists") from None
    if owner.disabled or Permission.READ_DRAFTS not in permissions_of(owner.role):
        raise HTTPException(403, "the feed key's account is disabled or may not read alerts")
    return name
