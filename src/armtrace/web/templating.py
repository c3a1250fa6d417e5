"""Server-rendered pages: one Jinja2 environment over ``web/templates`` and one ``render``.

Invariants:
- Autoescaping is on for every template; charts and maps are the only markup passed through
  (``Markup``), and they escape their own text.
- Every page gets the current user, a CSRF token for its forms, and ``exercise_banner``: true
  whenever the page shows any exercise record, so made-up data is never shown unlabelled.
- The tile server URL comes from ``ARMTRACE_TILES_URL`` (read here, in ``tiles_url`` only);
  without it maps use the bundled world outline and need no network.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from armtrace.accounts.roles import Permission, parse_role, permissions_of
from armtrace.web.deps import CSRF_FIELD, csrf_token_for

TILES_ENV = "ARMTRACE_TILES_URL"


def tiles_url() -> str | None:
    """The configured tile server URL template (``https://.../{z}/{x}/{y}.png``), or None."""
    value = os.environ.get(TILES_ENV, "").strip()
    return value or None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The page templates' Jinja2 environment (built once per process)."""
    env = Environment(
        loader=PackageLoader("armtrace.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = Markup  # charts and maps: markup built by armtrace.reports, pre-escaped
    env.filters["or_unknown"] = lambda value: "unknown" if value in (None, "") else value
    return env


def current_user(request: Request) -> Any:
    """The signed-in user that web-core's session dependency put on the request, or None."""
    return getattr(request.state, "user", None)


def csrf_token(request: Request) -> str:
    """The CSRF token for forms on this page (empty for anonymous requests)."""
    return csrf_token_for(request) or ""


def user_can(user: Any, permission: str) -> bool:
    """Whether ``user`` (None: an anonymous visitor) holds the permission named like
    ``"DOCUMENT"`` or ``"JUDGE"``."""
    role = None if user is None else parse_role(str(getattr(user.role, "value", user.role)))
    return Permission[permission] in permissions_of(role)


def role_name(user: Any) -> str:
    """The user's role as a word, for the header."""
    if user is None:
        return ""
    role = user.role
    return str(getattr(role, "value", role))


def render(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a page template with the user, the CSRF token and the exercise-data banner."""
    user = context.get("user", current_user(request))
    values: dict[str, Any] = {
        "request": request,
        "user": user,
        "role_name": role_name(user),
        "can": lambda permission: user_can(user, permission),
        "csrf_token": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "tiles_url": tiles_url(),
        "query": request.query_params.get("q", ""),
        "message": None,  # a one-line outcome of the last action, shown once
        "error": None,
    }
    values.update(context)
    values["exercise_banner"] = bool(context.get("exercise"))
    values.setdefault("exercise", False)
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)
