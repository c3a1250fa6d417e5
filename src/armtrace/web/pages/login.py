"""Log in and log out with the session cookie (the pages' side of armtrace.accounts.sessions)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armtrace.accounts.sessions import LoginFailed, LoginThrottled, login, logout
from armtrace.web.deps import SESSION_COOKIE, ConfigDep, StoreDep, end_session, start_session
from armtrace.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    """The login form."""
    return render(request, "login.html", {"next": safe_next(next), "name": "", "error": None})


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    store: StoreDep,
    config: ConfigDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the name and password, set the session cookie and go on to ``next``."""
    client = request.client.host if request.client else "unknown"
    try:
        session = login(store, name, password, client=client, lifetime=config.session_lifetime)
    except (LoginFailed, LoginThrottled) as exc:
        context = {"next": safe_next(next), "name": name, "error": str(exc)}
        status = 429 if isinstance(exc, LoginThrottled) else 401
        return render(request, "login.html", context, status_code=status)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(response, session, config)
    return response


@router.post("/logout")
def logout_submit(request: Request, store: StoreDep, config: ConfigDep) -> RedirectResponse:
    """End the session (the CSRF check ran before this) and go back to the map."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        logout(store, token)
    response = RedirectResponse("/", status_code=303)
    end_session(response, config)
    return response
