"""Dependencies every route shares: the store, who is asking, permission checks, CSRF.

Invariants:
- ``authenticate`` runs for every route (an app-level dependency): it puts ``Auth`` on
  ``request.state.auth`` and the user (or None) on ``request.state.user`` before any route code.
- A Bearer header that names no live token is refused (401), never treated as anonymous.
- Every unsafe request (POST, PUT, PATCH, DELETE) authenticated by the session cookie must carry
  the session's CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``); Bearer
  requests are exempt because a browser never adds that header by itself.
- Permission checks read ``armtrace.accounts.roles`` only; pages get a redirect to /login where
  the API gets 401.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, Response
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool

from armtrace.accounts.roles import Permission, permissions_of
from armtrace.accounts.secrets import csrf_for, same
from armtrace.accounts.sessions import Session, session_user
from armtrace.accounts.tokens import token_user
from armtrace.accounts.users import User
from armtrace.store import Store
from armtrace.web.config import WebConfig
from armtrace.web.visibility import Audience, audience_for

SESSION_COOKIE = "armtrace_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Auth:
    """How a request proved who it is."""

    user: User | None
    via: Literal["anonymous", "session", "token"]
    session_token: str | None = None

    @property
    def csrf_token(self) -> str | None:
        """The CSRF token forms must echo, for a session; None otherwise."""
        return csrf_for(self.session_token) if self.session_token else None


ANONYMOUS = Auth(user=None, via="anonymous")


class NotSignedIn(HTTPException):
    """The route needs a signed-in user and the request has none (401, or /login for pages)."""

    def __init__(self, detail: str = "sign in first: POST /api/session or an API token") -> None:
        super().__init__(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


# Dependencies that do no I/O are ``async def`` so FastAPI runs them inline on the event loop;
# a plain ``def`` dependency costs a thread-pool round trip on every request.


async def get_store(request: Request) -> Store:
    """The app's store, opened once per process."""
    store: Store = request.app.state.store
    return store


async def get_config(request: Request) -> WebConfig:
    """The app's web settings."""
    config: WebConfig = request.app.state.web_config
    return config


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header; None when the header is not one."""
    scheme, _, value = header.partition(" ")
    token = value.strip()
    return token if scheme.lower() == "bearer" and token else None


async def authenticate(request: Request) -> Auth:
    """Resolve the caller from a Bearer token or the session cookie, then check CSRF."""
    cached: Auth | None = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    store: Store = request.app.state.store
    auth = ANONYMOUS
    header = request.headers.get("authorization")
    cookie = request.cookies.get(SESSION_COOKIE)
    if header:
        token = bearer_token(header)
        user = None
        if token is not None:
            user = await run_in_threadpool(token_user, store, token)
        if user is None:
            raise HTTPException(401, "the API token is unknown, revoked or malformed")
        auth = Auth(user=user, via="token")
    elif cookie:
        user = await run_in_threadpool(session_user, store, cookie)
        if user is not None:
            auth = Auth(user=user, via="session", session_token=cookie)
    request.state.auth = auth
    request.state.user = auth.user
    request.state.csrf_token = auth.csrf_token
    await csrf_protect(request)
    return auth


async def csrf_protect(request: Request) -> None:
    """Refuse (403) an unsafe cookie-authenticated request without the session's CSRF token."""
    auth: Auth = getattr(request.state, "auth", ANONYMOUS)
    if request.method in SAFE_METHODS or auth.via != "session" or auth.csrf_token is None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not same(sent, auth.csrf_token):
        raise HTTPException(403, f"missing or wrong CSRF token: send the {CSRF_HEADER} header")


def csrf_token_for(request: Request) -> str | None:
    """The CSRF token pages put in their forms (None for anonymous and token requests)."""
    auth: Auth = getattr(request.state, "auth", ANONYMOUS)
    return auth.csrf_token


def current_auth(request: Request) -> Auth:
    """The Auth that ``authenticate`` resolved for this request."""
    auth: Auth = getattr(request.state, "auth", ANONYMOUS)
    return auth


def current_user(request: Request) -> User | None:
    """The signed-in user, or None for an anonymous request."""
    return current_auth(request).user


async def current_audience(request: Request) -> Audience:
    """What the caller may see (``visibility.audience_for`` of the current user)."""
    return audience_for(current_user(request))


async def _auth_dependency(request: Request) -> Auth:
    return current_auth(request)


async def _user_dependency(request: Request) -> User | None:
    return current_user(request)


def check_permission(request: Request, permission: Permission) -> User | None:
    """The user when the request holds ``permission``; else NotSignedIn (401) or 403."""
    user = current_user(request)
    if permission in permissions_of(user.role if user else None):
        return user
    if user is None:
        raise NotSignedIn()
    raise HTTPException(403, f"your role ({user.role.value}) may not do this ({permission})")


def require(permission: Permission) -> Callable[[Request], Awaitable[User | None]]:
    """A dependency that lets the request through only with ``permission``; returns the user.

    Use as ``user: Annotated[User | None, Depends(require(Permission.DOCUMENT))]`` or in a
    route's ``dependencies=[Depends(require(...))]``. READ_PUBLISHED passes anonymous requests.
    """

    async def check(request: Request) -> User | None:
        return check_permission(request, permission)

    check.__name__ = f"require_{permission.value}"
    return check


def require_user(permission: Permission) -> Callable[[Request], Awaitable[User]]:
    """Like ``require`` but for routes that need an account: returns a User, never None."""

    async def check(request: Request) -> User:
        user = check_permission(request, permission)
        if user is None:  # only READ_PUBLISHED lets anonymous through; then insist on a user
            raise NotSignedIn()
        return user

    check.__name__ = f"require_user_{permission.value}"
    return check


@dataclass(frozen=True)
class ReadContext:
    """What a read route needs, resolved by one dependency: the store and the audience."""

    store: Store
    audience: Audience


async def read_context(request: Request) -> ReadContext:
    """READ_PUBLISHED checked (anonymous requests pass), then the store and the audience.

    Hot read routes take this one dependency instead of three (store, audience, permission):
    FastAPI's dependency solving costs CPU per dependency on every request.
    """
    user = check_permission(request, Permission.READ_PUBLISHED)
    return ReadContext(request.app.state.store, audience_for(user))


def start_session(response: Response, session: Session, config: WebConfig) -> None:
    """Set the session cookie: HttpOnly, SameSite=Lax, Secure when configured."""
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=int(config.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
        path="/",
    )


def end_session(response: Response, config: WebConfig) -> None:
    """Clear the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=config.secure_cookies, path="/"
    )


# Row ids are 64-bit integers in both stores: a larger number from a client must be a 422, not an
# overflow in the driver (a 500).
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]
StoreDep = Annotated[Store, Depends(get_store)]
UserDep = Annotated[User | None, Depends(_user_dependency)]
AudienceDep = Annotated[Audience, Depends(current_audience)]
AuthDep = Annotated[Auth, Depends(_auth_dependency)]
ConfigDep = Annotated[WebConfig, Depends(get_config)]
Reader = Annotated[User | None, Depends(require(Permission.READ_PUBLISHED))]
DraftReader = Annotated[User, Depends(require_user(Permission.READ_DRAFTS))]
Documenter = Annotated[User, Depends(require_user(Permission.DOCUMENT))]
Judge = Annotated[User, Depends(require_user(Permission.JUDGE))]
Reporter = Annotated[User, Depends(require_user(Permission.REPORT))]
Admin = Annotated[User, Depends(require_user(Permission.ADMIN))]
SignedIn = Annotated[User, Depends(require_user(Permission.READ_PUBLISHED))]
ReadAccess = Annotated[ReadContext, Depends(read_context)]
