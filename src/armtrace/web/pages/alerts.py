"""Alert pages: manage one's subscriptions (/alerts) and read the event history (/alerts/events).

Same rules as the API: READ_DRAFTS to use them, each user sees and changes only their own.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.alerts.feed import history, new_feed_key
from armtrace.alerts.matching import TOPICS
from armtrace.alerts.subscriptions import list_subscriptions, subscribe
from armtrace.alerts.subscriptions import unsubscribe as cancel
from armtrace.alerts.validate import CHANNELS, DIGESTS
from armtrace.errors import ArmtraceError
from armtrace.store import Store
from armtrace.web.deps import DraftReader, RowId, StoreDep
from armtrace.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, store: StoreDep, user: DraftReader) -> HTMLResponse:
    """The user's subscriptions, a form to add one, and the feed key."""
    return _page(request, store, user.name, message=request.query_params.get("message"))


@router.post("/alerts/subscribe", response_model=None)
def subscribe_form(
    request: Request,
    store: StoreDep,
    user: DraftReader,
    topic: Annotated[str, Form()],
    values: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "feed",
    target: Annotated[str, Form()] = "",
    digest: Annotated[str, Form()] = "none",
) -> Response:
    """Add a subscription; values are separated by commas or new lines."""
    parts = [v.strip() for v in values.replace("\n", ",").split(",") if v.strip()]
    try:
        made = subscribe(
            store, user_name=user.name, topic=topic, values=parts, channel=channel,
            target=target.strip() or None, digest=digest, actor=user.name,
        )  # fmt: skip
    except ArmtraceError as exc:
        return _page(request, store, user.name, error=str(exc), status_code=400)
    if made.secret:  # shown once, so render instead of redirecting
        message = f"Subscription {made.id} added. Webhook secret (shown once): {made.secret}"
        return _page(request, store, user.name, message=message)
    return RedirectResponse(
        f"/alerts?message={quote(f'Subscription {made.id} added.')}", status_code=303
    )


@router.post("/alerts/{subscription_id}/unsubscribe", response_model=None)
def unsubscribe_form(
    request: Request, subscription_id: RowId, store: StoreDep, user: DraftReader
) -> Response:
    """Cancel one of the user's subscriptions."""
    try:
        cancel(store, subscription_id, actor=user.name, user_name=user.name)
    except ArmtraceError as exc:
        return _page(request, store, user.name, error=str(exc), status_code=404)
    message = quote(f"Subscription {subscription_id} cancelled.")
    return RedirectResponse(f"/alerts?message={message}", status_code=303)


@router.post("/alerts/feed-key", response_class=HTMLResponse)
def feed_key_form(request: Request, store: StoreDep, user: DraftReader) -> HTMLResponse:
    """Make a new feed key and show the feed URL once."""
    key = new_feed_key(store, user.name, actor=user.name)
    url = str(request.url_for("alerts_feed").include_query_params(key=key))
    return _page(request, store, user.name, feed_url=url)


@router.get("/alerts/events", response_class=HTMLResponse)
def events_page(
    request: Request, store: StoreDep, user: DraftReader, kind: str | None = None
) -> HTMLResponse:
    """Events delivered to the user's subscriptions, newest first, with delivery states."""
    entries = history(store, user_name=user.name, kind=kind or None, limit=200)
    context = {
        "entries": entries,
        "kind": kind or "",
        "exercise": any(e.event.payload.get("exercise") for e in entries),
    }
    return render(request, "alerts/events.html", context)


def _page(
    request: Request,
    store: Store,
    user_name: str,
    *,
    message: str | None = None,
    error: str | None = None,
    feed_url: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "subscriptions": list_subscriptions(store, user_name=user_name),
        "topics": TOPICS,
        "channels": CHANNELS,
        "digests": DIGESTS,
        "message": message,
        "error": error,
        "feed_url": feed_url,
    }
    return render(request, "alerts/index.html", context, status_code=status_code)
