"""Every route x every role (and none): the status each must get, from one declared table.

The routes come from ``app.routes`` at test time, pages included, so a route added anywhere
without an entry in ``TABLE`` fails ``test_every_route_is_declared``. Entries name the least
permission a route needs; the expected status for each role follows from
``armtrace.accounts.roles`` (the same table the routes use):

- allowed: the entry's ``ok`` status (a success, or 404/400 where the URL names nothing real);
- not allowed, anonymous: 401 for /api routes, a 303 redirect to /login for pages;
- not allowed, signed in: 403.

Requests that end a session run last, so one client per role serves the whole matrix.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from armtrace.accounts.roles import Permission, Role, permissions_of
from armtrace.accounts.tokens import create_token
from armtrace.accounts.users import create_user
from armtrace.store import Store
from armtrace.web.records.uploads import store_photo
from web.support import PASSWORD, SIGNED_IN, Case, ClientFactory, RoleClient, SampleCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PUBLIC, DRAFTS = Permission.READ_PUBLISHED, Permission.READ_DRAFTS
DOCUMENT, JUDGE, ADMIN = Permission.DOCUMENT, Permission.JUDGE, Permission.ADMIN
ROLES: tuple[Role | None, ...] = (None, *Role)


def sheet(role: str) -> dict[str, Any]:
    """A one-item sheet upload, unique per role."""
    text = f"incident_id,item_id,marking\nUA-M-{role},IT-SHEET-{role},ADM3202 ARNZ\n"
    return {"file": ("matrix.csv", io.BytesIO(text.encode()), "text/csv")}


TABLE: dict[tuple[str, str], Case] = {
    # API: session and accounts
    ("GET", "/api/session"): Case("/api/session", PUBLIC),
    ("POST", "/api/session"): Case(
        "/api/session",
        PUBLIC,
        json=lambda r: {"name": "viewer-user", "password": PASSWORD},
        last=True,
    ),
    ("DELETE", "/api/session"): Case("/api/session", PUBLIC, last=True),
    ("GET", "/api/users"): Case("/api/users", ADMIN),
    ("POST", "/api/users"): Case(
        "/api/users",
        ADMIN,
        201,
        json=lambda r: {"name": f"new-{r}", "password": PASSWORD, "role": "viewer"},
    ),
    ("PUT", "/api/users/{name}/role"): Case(
        "/api/users/matrix-target/role", ADMIN, json=lambda r: {"role": "analyst"}
    ),
    ("PUT", "/api/users/{name}/disabled"): Case(
        "/api/users/matrix-target/disabled", ADMIN, json=lambda r: {"disabled": True}
    ),
    ("GET", "/api/tokens"): Case("/api/tokens", SIGNED_IN),
    ("POST", "/api/tokens"): Case("/api/tokens", SIGNED_IN, 201, json=lambda r: {"name": "new"}),
    ("DELETE", "/api/tokens/{name}"): Case("/api/tokens/matrix", SIGNED_IN),
    ("GET", "/api/audit"): Case("/api/audit", ADMIN),
    ("GET", "/api/audit/verify"): Case("/api/audit/verify", ADMIN),
    # API: documentation
    ("GET", "/api/incidents"): Case("/api/incidents", PUBLIC),
    ("GET", "/api/incidents/{key}"): Case("/api/incidents/UA-KH-2024-01-02", PUBLIC),
    ("POST", "/api/incidents"): Case(
        "/api/incidents", DOCUMENT, 201, json=lambda r: {"key": f"INC-{r}", "place": "Lviv"}
    ),
    ("PATCH", "/api/incidents/{key}"): Case(
        "/api/incidents/UA-KH-2024-01-02", DOCUMENT, json=lambda r: {"place": "Kharkiv"}
    ),
    ("GET", "/api/items"): Case("/api/items", PUBLIC),
    ("GET", "/api/items/{key}"): Case("/api/items/KH-0001", PUBLIC),
    ("POST", "/api/items"): Case(
        "/api/items",
        DOCUMENT,
        201,
        json=lambda r: {"key": f"IT-{r}", "incident": "UA-KH-2024-01-02"},
    ),
    ("PATCH", "/api/items/{key}"): Case(
        "/api/items/KH-0002", DOCUMENT, json=lambda r: {"item_type": "ballistic missile"}
    ),
    ("POST", "/api/items/{key}/state"): Case(
        "/api/items/KH-0001/state", JUDGE, json=lambda r: {"state": "published"}
    ),
    ("PUT", "/api/items/{key}/weapon-system"): Case(
        "/api/items/KH-0002/weapon-system", JUDGE, json=lambda r: {"weapon_system": None}
    ),
    ("GET", "/api/items/{item}/components/{key}"): Case("/api/items/KH-0001/components/C1", PUBLIC),
    ("POST", "/api/items/{item}/components"): Case(
        "/api/items/KH-0002/components", DOCUMENT, 201, json=lambda r: {"key": f"C-{r}"}
    ),
    ("PATCH", "/api/items/{item}/components/{key}"): Case(
        "/api/items/KH-0002/components/C1", DOCUMENT, json=lambda r: {"description": "MCU"}
    ),
    ("PUT", "/api/items/{item}/components/{key}/manufacturer"): Case(
        "/api/items/KH-0001/components/C1/manufacturer",
        JUDGE,
        json=lambda r: {"manufacturer": "Analog Devices"},
    ),
    ("POST", "/api/sheets"): Case("/api/sheets", DOCUMENT, files=sheet),
    ("GET", "/api/sheets/export"): Case("/api/sheets/export", DRAFTS),
    ("POST", "/api/evidence"): Case(
        "/api/evidence",
        DOCUMENT,
        201,
        files=lambda r: {"file": ("p.png", io.BytesIO(PNG + r.encode()), "image/png")},
    ),
    ("GET", "/api/evidence/{sha256}"): Case("/api/evidence/{sha}", DRAFTS),
    ("GET", "/api/evidence/{sha256}/custody"): Case("/api/evidence/{sha}/custody", DRAFTS),
    # API: identification and reference
    ("POST", "/api/identify"): Case(
        "/api/identify", PUBLIC, json=lambda r: {"markings": ["LM358"]}
    ),
    ("GET", "/api/manufacturers"): Case("/api/manufacturers", PUBLIC),
    ("GET", "/api/manufacturers/{maker_id}"): Case("/api/manufacturers/analog-devices", PUBLIC),
    ("GET", "/api/where-seen"): Case("/api/where-seen?marking=ADM3202", PUBLIC),
    ("GET", "/api/search"): Case("/api/search?q=KH", PUBLIC),
    # API: analysis
    ("GET", "/api/summary"): Case("/api/summary", PUBLIC),
    ("GET", "/api/items/{key}/dating"): Case("/api/items/KH-0001/dating", PUBLIC),
    ("GET", "/api/items/{key}/attribution"): Case("/api/items/KH-0001/attribution", PUBLIC),
    ("GET", "/api/items/{key}/links"): Case("/api/items/KH-0001/links", PUBLIC),
    ("GET", "/api/links"): Case("/api/links", DRAFTS),
    ("POST", "/api/links/judgements"): Case(
        "/api/links/judgements",
        JUDGE,
        201,
        json=lambda r: {"item_a": "KH-0001", "item_b": "KH-0002", "verdict": "same"},
    ),
    ("GET", "/api/first-sightings"): Case("/api/first-sightings", DRAFTS),
    ("GET", "/api/serials"): Case("/api/serials?fragment=KH-0001", PUBLIC),
    # OpenAPI documentation and static files
    ("GET", "/api/docs"): Case("/api/docs", PUBLIC),
    ("GET", "/api/docs/oauth2-redirect"): Case("/api/docs/oauth2-redirect", PUBLIC),
    ("GET", "/api/openapi.json"): Case("/api/openapi.json", PUBLIC),
    ("MOUNT", "/static"): Case("/static/armtrace.css", PUBLIC),
    # API: tracing (bodies left empty: 422 proves the request got past the permission check)
    ("GET", "/api/trace/requests"): Case("/api/trace/requests", DRAFTS),
    ("POST", "/api/trace/requests"): Case("/api/trace/requests", JUDGE, 422, json=lambda r: {}),
    ("GET", "/api/trace/requests/{ref}"): Case("/api/trace/requests/NOPE", DRAFTS, 404),
    ("POST", "/api/trace/requests/{ref}/{action}"): Case(
        "/api/trace/requests/NOPE/send", JUDGE, 404, json=lambda r: {}
    ),
    ("GET", "/api/trace/requests/{ref}/letter.{fmt}"): Case(
        "/api/trace/requests/NOPE/letter.html", DRAFTS, 404
    ),
    ("POST", "/api/trace/transfers"): Case("/api/trace/transfers", JUDGE, 422, json=lambda r: {}),
    ("PUT", "/api/trace/transfers/{transfer_id}/diversion"): Case(
        "/api/trace/transfers/999/diversion", JUDGE, 422, json=lambda r: {}
    ),
    ("DELETE", "/api/trace/transfers/{transfer_id}/diversion"): Case(
        "/api/trace/transfers/999/diversion", JUDGE, 404
    ),
    ("POST", "/api/trace/terms"): Case("/api/trace/terms", JUDGE, 422, json=lambda r: {}),
    ("GET", "/api/trace/companies"): Case("/api/trace/companies", DRAFTS),
    ("GET", "/api/trace/chains/{item_key}"): Case("/api/trace/chains/KH-0001", PUBLIC),
    ("GET", "/api/trace/chains/{item_key}/{index}.svg"): Case(
        "/api/trace/chains/KH-0001/0.svg", PUBLIC, 404
    ),
    # API: alerts
    ("GET", "/api/alerts/subscriptions"): Case("/api/alerts/subscriptions", DRAFTS),
    ("POST", "/api/alerts/subscriptions"): Case(
        "/api/alerts/subscriptions", DRAFTS, 422, json=lambda r: {}
    ),
    ("DELETE", "/api/alerts/subscriptions/{subscription_id}"): Case(
        "/api/alerts/subscriptions/999", DRAFTS, (400, 404)
    ),
    ("GET", "/api/alerts/events"): Case("/api/alerts/events", DRAFTS),
    ("POST", "/api/alerts/feed-key"): Case("/api/alerts/feed-key", DRAFTS, 201),
    ("GET", "/api/alerts/feed.atom"): Case("/api/alerts/feed.atom", DRAFTS),
    # API: screening
    ("GET", "/api/screening/matches"): Case("/api/screening/matches", DRAFTS),
    ("GET", "/api/screening/name"): Case("/api/screening/name", DRAFTS, 422),
    ("POST", "/api/screening/run"): Case(
        "/api/screening/run", JUDGE, (400, 422), json=lambda r: {}
    ),
    ("POST", "/api/screening/matches/{match_id}/judgement"): Case(
        "/api/screening/matches/NOPE/judgement", JUDGE, 422, json=lambda r: {}
    ),
    ("GET", "/api/screening/lists"): Case("/api/screening/lists", DRAFTS),
    ("POST", "/api/screening/lists"): Case("/api/screening/lists", JUDGE, 422, data=lambda r: {}),
    # Pages: screening
    ("GET", "/screening"): Case("/screening", DRAFTS),
    ("POST", "/screening/{match_id}/judge"): Case(
        "/screening/NOPE/judge", JUDGE, 422, data=lambda r: {}
    ),
    # Pages: alerts
    ("GET", "/alerts"): Case("/alerts", DRAFTS),
    ("GET", "/alerts/events"): Case("/alerts/events", DRAFTS),
    ("POST", "/alerts/subscribe"): Case("/alerts/subscribe", DRAFTS, 422, data=lambda r: {}),
    ("POST", "/alerts/{subscription_id}/unsubscribe"): Case(
        "/alerts/999/unsubscribe", DRAFTS, (303, 404)
    ),
    ("POST", "/alerts/feed-key"): Case("/alerts/feed-key", DRAFTS),
    # Pages
    ("GET", "/"): Case("/", PUBLIC),
    ("GET", "/world.geojson"): Case("/world.geojson", PUBLIC),
    ("GET", "/items"): Case("/items", PUBLIC),
    ("GET", "/items/{key}"): Case("/items/KH-0001", PUBLIC),
    ("GET", "/items/{key}/chain"): Case("/items/KH-0001/chain", PUBLIC),
    ("GET", "/items/{key}/components/{component_key}"): Case(
        "/items/KH-0001/components/C1", PUBLIC
    ),
    ("POST", "/items/{key}/state"): Case(
        "/items/KH-0001/state", JUDGE, 303, data=lambda r: {"state": "published"}
    ),
    ("POST", "/items/{key}/components/{component_key}/manufacturer"): Case(
        "/items/KH-0001/components/C1/manufacturer",
        JUDGE,
        303,
        data=lambda r: {"manufacturer": "Analog Devices"},
    ),
    ("POST", "/items/{key}/links/{other}"): Case(
        "/items/KH-0001/links/KH-0002", JUDGE, 303, data=lambda r: {"verdict": "same"}
    ),
    ("GET", "/evidence/{sha256}"): Case("/evidence/{sha}", PUBLIC, 404),
    ("GET", "/manufacturers"): Case("/manufacturers", PUBLIC),
    ("GET", "/manufacturers/{maker_id}"): Case("/manufacturers/analog-devices", PUBLIC),
    ("GET", "/weapon-systems"): Case("/weapon-systems", PUBLIC),
    ("GET", "/weapon-systems/{system_id}"): Case("/weapon-systems/kn_23", PUBLIC),
    ("GET", "/search"): Case("/search?q=KH", PUBLIC),
    ("GET", "/upload"): Case("/upload", DOCUMENT),
    ("POST", "/upload"): Case(
        "/upload", DOCUMENT, files=lambda r: {"sheet": sheet(f"page-{r}")["file"]}
    ),
    ("GET", "/trace"): Case("/trace", DRAFTS),
    ("GET", "/trace/new"): Case("/trace/new", JUDGE, 422),
    ("POST", "/trace/new"): Case("/trace/new", JUDGE, 422, data=lambda r: {}),
    ("POST", "/trace/{key}/transfer"): Case("/trace/NOPE/transfer", JUDGE, 422, data=lambda r: {}),
    ("POST", "/trace/{key}/terms"): Case("/trace/NOPE/terms", JUDGE, (303, 404), data=lambda r: {}),
    ("GET", "/trace/{key}"): Case("/trace/NOPE", DRAFTS, 404),
    ("POST", "/trace/{key}/step"): Case("/trace/NOPE/step", JUDGE, 422, data=lambda r: {}),
    ("GET", "/login"): Case("/login", PUBLIC),
    ("POST", "/login"): Case(
        "/login",
        PUBLIC,
        303,
        data=lambda r: {"name": "viewer-user", "password": PASSWORD},
        last=True,
    ),
    ("POST", "/logout"): Case("/logout", PUBLIC, 303, last=True),
}


def extension_tables() -> dict[tuple[str, str], Case]:
    """Entries other packages declare in ``tests/**/authz_routes.py`` (a ``ROUTES`` dict)."""
    found: dict[tuple[str, str], Case] = {}
    for path in sorted(Path(__file__).parents[1].rglob("authz_routes.py")):
        spec = importlib.util.spec_from_file_location(f"authz_{path.parent.name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        clash = found.keys() & module.ROUTES.keys() | TABLE.keys() & module.ROUTES.keys()
        assert not clash, f"{path} declares routes declared elsewhere: {sorted(clash)}"
        found |= module.ROUTES
    return found


TABLE |= extension_tables()


def route_keys(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves; HEAD is GET's twin and not listed."""
    keys: set[tuple[str, str]] = set()
    for route in app.routes:
        # FastAPI 0.165 wraps each included router; it lists its flattened routes itself.
        if hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                keys |= {(m, context.path) for m in context.methods or () if m != "HEAD"}
        elif isinstance(route, APIRoute | Route):
            keys |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
        elif isinstance(route, Mount):
            keys.add(("MOUNT", route.path))
    return keys


def expected(case: Case, role: Role | None, page: bool) -> tuple[int, ...]:
    """The status ``role`` must get from ``case``."""
    if case.needs == SIGNED_IN:
        allowed = role is not None
    else:
        allowed = Permission(case.needs) in permissions_of(role)
    if allowed:
        return case.ok if isinstance(case.ok, tuple) else (case.ok,)
    if role is None:
        return (303,) if page else (401,)
    return (403,)


def test_every_route_is_declared(web_app: FastAPI) -> None:
    missing = sorted(route_keys(web_app) - TABLE.keys())
    assert not missing, f"routes with no entry in the authorisation table: {missing}"
    stale = sorted(TABLE.keys() - route_keys(web_app))
    assert not stale, f"entries for routes that no longer exist: {stale}"


@pytest.fixture
def matrix_setup(store: Store, accounts: object, sample_case: SampleCase) -> dict[str, str]:
    """Records the matrix's requests act on: a target account, tokens, a stored photo."""
    create_user(store, "matrix-target", PASSWORD, Role.VIEWER, actor="test-setup")
    for role in Role:
        create_token(store, f"{role.value}-user", "matrix", actor="test-setup")
    stored = store_photo(store, io.BytesIO(PNG), "setup.png", actor="test-setup",
                         limit=1 << 20, note=None)  # fmt: skip
    return {"sha": stored["sha256"]}


def call(client: RoleClient, method: str, case: Case, role: str, values: dict[str, str]) -> int:
    """Send the case's request; return the status."""
    url = case.url.format(role=role, **values)
    kwargs: dict[str, Any] = {"follow_redirects": False}
    if case.json is not None:
        kwargs["json"] = case.json(role)
    if case.data is not None:
        kwargs["data"] = case.data(role)
    if case.files is not None:
        kwargs["files"] = case.files(role)
    method = "GET" if method == "MOUNT" else method
    # starlette types TestClient's answers with httpx2 which is not installed, so they are Any.
    status: int = client.request(method, url, **kwargs).status_code
    return status


def test_every_route_with_every_role(
    web_app: FastAPI, client_for: ClientFactory, matrix_setup: dict[str, str]
) -> None:
    wrong: list[str] = []
    shared = {role: client_for(role) for role in ROLES}
    ordered = sorted(route_keys(web_app) & TABLE.keys(), key=lambda k: (TABLE[k].last, k))
    for method, path in ordered:
        case = TABLE[(method, path)]
        page = not path.startswith(("/api", "/static"))
        for role in ROLES:
            name = role.value if role else "anonymous"
            # A case that ends or replaces the session gets a client of its own.
            client = client_for(role) if case.last else shared[role]
            got = call(client, method, case, name, matrix_setup)
            want = expected(case, role, page)
            if got not in want:
                wrong.append(f"{method} {case.url} as {name}: got {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
