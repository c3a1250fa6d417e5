"""The shortcuts the hot read routes take give the same answers as the general paths."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute

from armtrace.accounts.roles import Role
from armtrace.store import Store
from armtrace.web.app import HOT_MODULES, router_modules
from armtrace.web.encoding import encode
from armtrace.web.records.reads import get_item
from armtrace.web.visibility import FULL, PUBLIC
from web.support import ClientFactory, SampleCase


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
        for method in route.methods
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
