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

from armtrace.web.templating import render

HEADINGS = {
    400: "Could not do that",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    413: "Too large",
    422: "Could not read the request",
}


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
