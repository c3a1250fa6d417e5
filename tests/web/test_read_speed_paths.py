"""The shortcuts the hot read routes take give the same answers as the general paths."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from armtrace.accounts.roles import Role
from armtrace.accounts.token_cache import TokenOwners
from armtrace.accounts.tokens import create_token, revoke_token
from armtrace.accounts.users import User, set_role
from armtrace.store import Store
from armtrace.web.app import HOT_MODULES, create_app, router_modules
from armtrace.web.encoding import encode
from armtrace.web.fastread import ItemReadFastPath, _answer
from armtrace.web.records.connection import read_rows, reading
from armtrace.web.records.reads import _ITEM_READS, get_item
from armtrace.web.visibility import FULL, PUBLIC
from web.support import ClientFactory, RoleClient, SampleCase


def test_encoding_matches_fastapis_default() -> None:
    record = {
        "key": "KH-0001", "when": date(2024, 1, 2), "at": datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
        "lat": 49.9935, "share": Decimal("0.25"), "role": Role.VIEWER, "tags": ("a", "b"),
        "nested": [{"none": None, "ok": True, "name": "Харків"}],
    }  # fmt: skip
    assert json.loads(encode(record)) == jsonable_encoder(record)
    with pytest.raises(TypeError, match="cannot encode object"):
        encode({"x": object()})


def test_no_two_routes_share_a_method_and_path() -> None:
    """Hot routes are matched first; that is only safe while no route shadows another."""
    seen = Counter(
        (method, route.path)
        for module in router_modules()
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    )
    assert ("GET", "/api/items/{key}") in seen
    assert not [key for key, count in seen.items() if count > 1]
    assert [m.__name__ for m in router_modules()][: len(HOT_MODULES)] == list(HOT_MODULES)


def test_item_read_statement_is_reused_per_audience(store: Store, sample_case: SampleCase) -> None:
    """The prebuilt statement still filters by audience and by the key bound each time."""
    assert get_item(store, PUBLIC, sample_case.published)["key"] == sample_case.published
    assert get_item(store, FULL, sample_case.draft)["key"] == sample_case.draft
    with pytest.raises(Exception, match="not published"):
        get_item(store, PUBLIC, sample_case.draft)


def test_item_read_answers_json_with_dates_as_text(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    answer = client_for(None).get(f"/api/items/{sample_case.published}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["incident"]["incident_date"] == "2024-01-02"
    assert len(body["components"]) == 4
    assert body["components"][0]["notes"] is None  # still shaped for the public
    assert "notes" in body["components"][0]["withheld"]


def _without_fast_path(app: FastAPI) -> FastAPI:
    """The same app answering every request through FastAPI's routes."""
    slow = create_app(store=app.state.store, web_config=app.state.web_config)
    fast: object = ItemReadFastPath
    slow.user_middleware = [m for m in slow.user_middleware if m.cls is not fast]
    return slow


def test_item_read_fast_path_answers_exactly_as_the_route(
    store: Store, web_app: FastAPI, client_for: ClientFactory, sample_case: SampleCase
) -> None:
    """Same status, headers and bytes with and without ``web.fastread``, for every kind of
    caller and item, including the ones it leaves to the app (drafts, bad tokens, sessions)."""
    analyst = create_token(store, "analyst-user", "script", actor="admin")
    viewer = create_token(store, "viewer-user", "script", actor="admin")
    signed_in = client_for(Role.ANALYST)
    callers: dict[str, dict[str, str]] = {
        "anonymous": {},
        "analyst token": {"Authorization": f"Bearer {analyst}"},
        "viewer token": {"Authorization": f"bearer  {viewer} "},
        "unknown token": {"Authorization": "Bearer att_nothing"},
        "other scheme": {"Authorization": "Basic abc"},
        "session": {"Cookie": f"armtrace_session={signed_in.cookies['armtrace_session']}"},
    }
    keys = [sample_case.published, sample_case.draft, "NO-SUCH-ITEM", "a%20b"]
    with TestClient(web_app) as fast, TestClient(_without_fast_path(web_app)) as slow:
        for name, headers in callers.items():
            for key in keys:
                a = fast.get(f"/api/items/{key}?x=1", headers=headers)
                b = slow.get(f"/api/items/{key}?x=1", headers=headers)
                assert (a.status_code, a.content) == (b.status_code, b.content), (name, key)
                assert a.headers.items() == b.headers.items(), (name, key)
        seen = fast.get(f"/api/items/{sample_case.draft}", headers=callers["analyst token"])
        assert seen.status_code == 200 and "withheld" not in seen.json()  # the full audience
        # The fast path itself answered these (not only the app behind it) ...
        assert (
            _answer(store, None, sample_case.published)
            == fast.get(f"/api/items/{sample_case.published}").content
        )
        assert _answer(store, analyst, sample_case.draft) == seen.content
        # ... and left these to the app: an item the caller may not see, an unknown token.
        assert _answer(store, None, sample_case.draft) is None
        assert _answer(store, "att_nothing", sample_case.published) is None


def test_token_owner_memory_forgets_role_changes_and_revocations(
    store: Store, anon_client: RoleClient, accounts: object, sample_case: SampleCase
) -> None:
    """A remembered token owner never outlives a change made in the same process."""
    token = create_token(store, "analyst-user", "script", actor="admin")
    bearer = {"Authorization": f"Bearer {token}"}
    draft = f"/api/items/{sample_case.draft}"
    assert anon_client.get(draft, headers=bearer).status_code == 200  # owner now remembered
    set_role(store, "analyst-user", Role.VIEWER, actor="admin")
    assert anon_client.get(draft, headers=bearer).status_code == 404  # a viewer sees no drafts
    published = f"/api/items/{sample_case.published}"
    assert anon_client.get(published, headers=bearer).status_code == 200
    revoke_token(store, "analyst-user", "script", actor="admin")
    assert anon_client.get(published, headers=bearer).status_code == 401


def test_token_owner_memory_is_bounded() -> None:
    owners = TokenOwners(ttl=60, max_entries=2)
    user = User(id=1, name="ana", role=Role.VIEWER)
    for n in range(3):
        owners.put(("db", str(n)), user)
    assert owners.get(("db", "2")) == user
    assert owners.get(("db", "0")) is None  # the full memory was emptied before the third
    assert TokenOwners(ttl=-1).get(("db", "2")) is None
    expired = TokenOwners(ttl=-1)
    expired.put(("db", "x"), user)
    assert expired.get(("db", "x")) is None


def test_read_rows_gives_what_sqlalchemy_gives(store: Store, sample_case: SampleCase) -> None:
    """On PostgreSQL ``read_rows`` bypasses SQLAlchemy's results: same values, same types."""
    for full, statement in _ITEM_READS.items():
        for key in (sample_case.published, sample_case.draft, "NO-SUCH-ITEM"):
            with reading(store) as conn:
                expected = [dict(r._mapping) for r in conn.execute(statement, {"item_key": key})]
            got = read_rows(store, statement, {"item_key": key})
            assert got == expected
            assert [type(v) for r in got for v in r.values()] == [
                type(v) for r in expected for v in r.values()
            ]
            assert bool(got) == (key == sample_case.published or (full and key != "NO-SUCH-ITEM"))
