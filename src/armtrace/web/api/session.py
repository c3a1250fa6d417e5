"""Sign in and out with a name and password (a session cookie plus its CSRF token)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from armtrace.accounts.sessions import LoginFailed, LoginThrottled, login, logout
from armtrace.web.deps import AuthDep, ConfigDep, StoreDep, end_session, start_session

router = APIRouter(prefix="/api/session", tags=["accounts"])


class Credentials(BaseModel):
    """A login request."""

    name: str
    password: str


def client_of(request: Request) -> str:
    """The client address the login rate limit counts against."""
    return request.client.host if request.client else "unknown"


@router.post("")
async def sign_in(
    body: Credentials, request: Request, response: Response, store: StoreDep, config: ConfigDep
) -> dict[str, Any]:
    """Check a name and password, set the session cookie, return the CSRF token to send back."""
    try:
        session = await run_in_threadpool(
            login,
            store,
            body.name,
            body.password,
            client=client_of(request),
            lifetime=config.session_lifetime,
        )
    except LoginThrottled as exc:
        raise HTTPException(429, str(exc)) from None
    except LoginFailed as exc:
        raise HTTPException(401, str(exc)) from None
    start_session(response, session, config)
    return {
        "user": session.user.as_json(),
        "csrf_token": session.csrf_token,
        "expires_at": session.expires_at.isoformat(),
    }


@router.get("")
def whoami(auth: AuthDep) -> dict[str, Any]:
    """Who the request is signed in as (null when anonymous) and how."""
    return {
        "user": auth.user.as_json() if auth.user else None,
        "via": auth.via,
        "csrf_token": auth.csrf_token,
    }


@router.delete("")
def sign_out(
    auth: AuthDep, response: Response, store: StoreDep, config: ConfigDep
) -> dict[str, Any]:
    """End the current session and clear its cookie."""
    ended = logout(store, auth.session_token) if auth.session_token else False
    end_session(response, config)
    return {"signed_out": ended}
