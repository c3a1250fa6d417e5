"""A small documented item (with a photo) to trace, on both stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from armtrace.accounts.roles import Role
from armtrace.accounts.users import create_user
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.tracing.model import TraceRequest
from armtrace.tracing.requests import Recipient, create_request
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from sheetdata import rows, write_csv
from tracing.support import ACTOR, Draft

PASSWORD = "correct horse battery"


@pytest.fixture
def traced(store: Store, tmp_path: Path) -> Store:
    """The store with item KH-0001 (four components, the LDO photographed) imported."""
    photo = tmp_path / "c4.png"
    Image.new("RGB", (64, 40), (20, 120, 60)).save(photo)
    records = rows()
    records[3]["photo"] = photo.name
    import_sheet(store, write_csv(tmp_path / "sheet.csv", records), actor=ACTOR)
    return store


@pytest.fixture
def draft(traced: Store) -> Draft:
    """A factory of draft requests to an (invented) distributor about C3 and C4 of KH-0001."""

    def make(name: str = "Testfall Bauteile Vertrieb GmbH", country: str = "DE") -> TraceRequest:
        recipient = Recipient(name=name, kind="distributor", country=country)
        return create_request(
            traced, recipient, actor=ACTOR, item_key="KH-0001", component_keys=["C3", "C4"]
        )

    return make


@pytest.fixture
def client_as(traced: Store) -> Iterator[Callable[[Role | None], TestClient]]:
    """Clients of the app over ``traced``, signed in as a role (None: anonymous)."""
    app = create_app(store=traced, web_config=WebConfig())
    opened: list[TestClient] = []

    def make(role: Role | None) -> TestClient:
        client = TestClient(app)
        opened.append(client)
        if role is None:
            return client
        name = f"{role.value}-tracer"
        create_user(traced, name, PASSWORD, role, actor="test-setup")
        answer = client.post("/api/session", json={"name": name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return client

    yield make
    for client in opened:
        client.close()
