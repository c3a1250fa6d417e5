"""Errors as a browser or an API client expects them: an HTML page, or JSON.

Invariants:
- ``/api`` answers are always JSON (``{"detail": ...}``), whatever the Accept header says.
- Any other request whose Accept header asks for ``text/html`` (a browser navigating) gets
  ``templates/error.html`` with the same status code and the same message; other clients
  (scripts, ``fetch`` with the default ``*/*``) keep JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from armtrace.web.templating import render

HEADINGS = {
    400: "Could not do that",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    413: "Too large",
    422: "Could not read the request",
    503: "The database is unavailable",
    507: "The server is out of space",
}


class RowProblem(BaseModel):
    """One bad row of a rejected import."""

    row: int | None
    column: str | None
    reason: str
    file: str


class Unprocessable(BaseModel):
    """A 422: a request that failed validation (``detail`` lists the problems) or an import
    that was rejected (``detail`` says why and ``errors`` lists every bad row)."""

    detail: str | list[dict[str, Any]]
    errors: list[RowProblem] | None = None


# For routes that import a file: FastAPI would otherwise document only the validation 422, and
# a client (or schemathesis) checking answers against the spec would reject the row errors.
REJECTED_IMPORT: dict[int | str, dict[str, Any]] = {
    422: {"model": Unprocessable, "description": "invalid request, or rows of the file rejected"}
}


def files_of(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """``responses`` for a route that answers a file: the spec names its media types (FastAPI
    would otherwise document JSON)."""
    return {200: {"content": {media: {} for media in media_types}}}


def is_api(request: Request) -> bool:
    """Whether a request is for the JSON API rather than a page."""
    return request.url.path.startswith("/api")


def wants_html(request: Request) -> bool:
    """Whether the request is a page request from a browser (Accept: text/html)."""
    return not is_api(request) and "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request,
    status: int,
    detail: str,
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error page for a browser, else ``{"detail": detail, **extra}`` as JSON."""
    if wants_html(request):
        context = {"heading": HEADINGS.get(status, "Something went wrong"), "detail": detail}
        page = render(request, "error.html", context, status_code=status)
        for name, value in (headers or {}).items():
            page.headers[name] = value
        return page
    return JSONResponse({"detail": detail, **(extra or {})}, status, headers=headers)
