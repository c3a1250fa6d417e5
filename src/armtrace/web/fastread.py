"""The API's hottest read, ``GET /api/items/{key}``, answered before FastAPI's routing.

FastAPI's layers (routing, dependency solving, several middlewares, a thread-pool hop for
authentication and another for the route) cost more CPU than the item read itself; this ASGI
middleware answers the common case with one hand-over to a worker thread.

Invariants:
- It answers only what the FastAPI route (``api.items.get_item``) would answer with 200, and with
  the same bytes and headers: the body comes from the same ``api.items.item_json``, the caller
  from the same ``token_user`` and ``audience_for`` as ``deps.authenticate`` and
  ``deps.read_context`` use.
- Everything else goes on to the application untouched and is answered there as before: other
  paths and methods, a ``root_path``, a session cookie (CSRF and session rules stay in one
  place), a Bearer header that names no live token (401 there), an item the caller may not see
  or that does not exist (404 there). Those requests cost their look-ups twice; they are rare.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from armtrace.accounts.roles import Permission, permissions_of
from armtrace.accounts.tokens import token_user
from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.store.db import UNAVAILABLE
from armtrace.web.api.items import item_json
from armtrace.web.deps import SESSION_COOKIE, bearer_token
from armtrace.web.visibility import audience_for

# The route's path with FastAPI's ``{key}`` convertor: one non-empty segment without "/" (nor
# NUL: the app answers that with 400 in ``web.text_guard``; PostgreSQL cannot even look it up).
ITEM_PATH = re.compile(r"/api/items/([^/\x00]+)")
_SESSION = SESSION_COOKIE.encode()
# Item reads block on the database, so they run in threads: a plain executor, because handing
# work to anyio's thread pool (``run_in_threadpool``) cost ~0.08 ms of CPU per request more.
# 40 threads, like anyio's default limit; each holds at most one pooled connection at a time.
_THREADS = ThreadPoolExecutor(max_workers=40, thread_name_prefix="armtrace-item-read")


def _answer(store: Store, token: str | None, key: str) -> bytes | None:
    """The 200 body for this caller and item, or None when the application must answer."""
    user = None
    if token is not None:
        user = token_user(store, token)
        if user is None:
            return None  # 401 from deps.authenticate
    if Permission.READ_PUBLISHED not in permissions_of(user.role if user else None):
        return None
    try:
        return item_json(store, audience_for(user), key)
    except NotFound:
        return None  # 404 from the route


class ItemReadFastPath:
    """ASGI middleware: item reads by anonymous and API-token callers, else the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = (
            ITEM_PATH.fullmatch(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path")
            else None
        )
        body = None
        if found is not None:
            token = _bearer_token(scope)
            if token != "":
                store: Store = scope["app"].state.store
                try:
                    body = await asyncio.get_running_loop().run_in_executor(
                        _THREADS, _answer, store, token, found.group(1)
                    )
                except UNAVAILABLE:
                    body = None  # the database failed: the application answers 503
        if body is None:
            await self.app(scope, receive, send)
            return
        await Response(body, media_type="application/json")(scope, receive, send)


def _bearer_token(scope: Scope) -> str | None:
    """The Bearer token (None when the request is anonymous); "" when the app must decide.

    Mirrors ``deps.authenticate``: the first Authorization header wins and an empty one counts
    as absent; without one, a session cookie makes the caller a session user.
    """
    authorization = None
    session = False
    for name, value in scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = value
        elif name == b"cookie" and _SESSION in value:
            session = True  # maybe a session; any doubt leaves the request to the app
    if authorization:
        return bearer_token(authorization.decode("latin-1")) or ""
    return "" if session else None
