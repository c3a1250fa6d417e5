"""Shared web fixtures: the app in-process over the ``store`` fixture, and clients per role.

Every fixture here runs on SQLite and PostgreSQL (it builds on ``store``). Stable names other
test files rely on:

- ``web_app``: the FastAPI app serving ``store`` (no lifespan needed).
- ``anon_client``: a TestClient with no credentials.
- ``accounts``: one account per role, ``{role: (name, password)}``.
- ``client_for(role)``: a TestClient signed in through POST /api/session as that role, with
  ``.csrf_token`` set and sent by default in the X-CSRF-Token header; ``client_for(None)`` is
  anonymous. ``viewer_client``, ``investigator_client``, ``analyst_client``, ``admin_client``
  are shortcuts.
- ``sample_case``: two items in one incident with exact coordinates and notes: ``KH-0001``
  published and ``KH-0002`` left in draft (see ``SampleCase``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from armtrace.accounts.roles import Role
from armtrace.accounts.users import create_user
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from armtrace.workflow import set_item_state
from sheetdata import rows, write_csv
from web.support import PASSWORD, ClientFactory, RoleClient, SampleCase


@pytest.fixture
def web_app(store: Store) -> FastAPI:
    """The application serving the test store (uploads capped at 1 MiB to test the limit)."""
    return create_app(store=store, web_config=WebConfig(max_upload_bytes=1024 * 1024))


@pytest.fixture
def accounts(store: Store) -> dict[Role, tuple[str, str]]:
    """One account per role, created through the library (audited like any other)."""
    made: dict[Role, tuple[str, str]] = {}
    for role in Role:
        name = f"{role.value}-user"
        create_user(store, name, PASSWORD, role, actor="test-setup")
        made[role] = (name, PASSWORD)
    return made


@pytest.fixture
def client_for(web_app: FastAPI, accounts: dict[Role, tuple[str, str]]) -> Iterator[ClientFactory]:
    """A factory of clients signed in as a role (or anonymous for None)."""
    opened: list[RoleClient] = []

    def make(role: Role | str | None) -> RoleClient:
        client = RoleClient(web_app)
        opened.append(client)
        if role is None:
            return client
        role = Role(role)
        name, password = accounts[role]
        answer = client.post("/api/session", json={"name": name, "password": password})
        assert answer.status_code == 200, answer.text
        client.role = role
        client.csrf_token = answer.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = client.csrf_token
        return client

    yield make
    for client in opened:
        client.close()


@pytest.fixture
def anon_client(client_for: ClientFactory) -> RoleClient:
    """A client with no credentials."""
    return client_for(None)


@pytest.fixture
def viewer_client(client_for: ClientFactory) -> RoleClient:
    """Signed in as a viewer."""
    return client_for(Role.VIEWER)


@pytest.fixture
def investigator_client(client_for: ClientFactory) -> RoleClient:
    """Signed in as an investigator."""
    return client_for(Role.INVESTIGATOR)


@pytest.fixture
def analyst_client(client_for: ClientFactory) -> RoleClient:
    """Signed in as an analyst."""
    return client_for(Role.ANALYST)


@pytest.fixture
def admin_client(client_for: ClientFactory) -> RoleClient:
    """Signed in as an admin."""
    return client_for(Role.ADMIN)


@pytest.fixture
def sample_case(store: Store, tmp_path: Path) -> SampleCase:
    """A published item and a draft item in one incident, with notes and exact coordinates."""
    note = "source: Officer Ivanenko, unit 1234"
    published = rows(notes=note)
    draft = [
        {**r, "item_id": "KH-0002", "notes": "not yet checked by an analyst"} for r in rows()[:2]
    ]
    sheet = write_csv(tmp_path / "sample.csv", published + draft)
    import_sheet(store, sheet, actor="test-setup")
    set_item_state(store, "KH-0001", "verified", actor="test-setup")
    set_item_state(store, "KH-0001", "published", actor="test-setup")
    return SampleCase(
        incident="UA-KH-2024-01-02",
        published="KH-0001",
        draft="KH-0002",
        latitude=49.9935,
        longitude=36.2304,
        draft_note="not yet checked by an analyst",
        component_note=note,
    )
