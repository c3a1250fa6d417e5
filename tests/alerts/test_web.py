"""Alerts in the API and the pages: own subscriptions only, READ_DRAFTS, the feed three ways."""

from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser

from armtrace.accounts.roles import Role
from armtrace.accounts.tokens import create_token
from armtrace.accounts.users import create_user, set_disabled
from armtrace.alerts import emit
from armtrace.alerts.worker import WorkerConfig, run_worker
from armtrace.store import Store
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from web.support import PASSWORD, RoleClient

ATOM = "{http://www.w3.org/2005/Atom}"

# A client signed in as the named user (anonymous for None).
Login = Callable[[str | None], RoleClient]


@pytest.fixture
def app(store: Store) -> FastAPI:
    for name, role in (("ana", Role.ANALYST), ("bob", Role.INVESTIGATOR), ("vic", Role.VIEWER)):
        create_user(store, name, PASSWORD, role, actor="test-setup")
    return create_app(store=store, web_config=WebConfig())


@pytest.fixture
def login(app: FastAPI) -> Iterator[Login]:
    opened: list[RoleClient] = []

    def make(name: str | None) -> RoleClient:
        client = RoleClient(app)
        opened.append(client)
        if name is not None:
            answer = client.post("/api/session", json={"name": name, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return client

    yield make
    for client in opened:
        client.close()


def _documented(store: Store, country: str = "UA") -> None:
    with store.begin() as conn:
        emit(conn, "item.documented", {"item": "EX-MSL-009", "country": country, "exercise": True})
    run_worker(store, WorkerConfig(), once=True)


def test_api_subscriptions_are_per_user(store: Store, login: Login) -> None:
    ana, bob = login("ana"), login("bob")
    made = ana.post(
        "/api/alerts/subscriptions",
        json={"topic": "country", "values": ["UA"], "channel": "webhook",
              "target": "https://hooks.example.org/a"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    assert len(made.json()["secret"]) > 30
    listed = ana.get("/api/alerts/subscriptions").json()
    assert [s["id"] for s in listed] == [made.json()["id"]] and "secret" not in listed[0]
    assert bob.get("/api/alerts/subscriptions").json() == []
    gone = bob.delete(f"/api/alerts/subscriptions/{made.json()['id']}")
    assert gone.status_code == 404
    bad = ana.post("/api/alerts/subscriptions", json={"topic": "country", "values": ["Ukraine"]})
    assert bad.status_code == 400 and "ISO 3166" in bad.json()["detail"]
    assert ana.delete(f"/api/alerts/subscriptions/{made.json()['id']}").status_code == 200
    assert ana.get("/api/alerts/subscriptions").json() == []


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("vic", 403)])
def test_viewers_and_strangers_get_no_alerts(login: Login, who: str | None, status: int) -> None:
    client = login(who)
    assert client.get("/api/alerts/subscriptions").status_code == status
    assert client.get("/api/alerts/events").status_code == status
    assert client.get("/api/alerts/feed.atom").status_code == status
    page = client.get("/alerts", follow_redirects=False)
    assert page.status_code == (303 if who is None else 403)


def test_feed_by_session_token_and_key(store: Store, login: Login) -> None:
    ana, stranger = login("ana"), login(None)
    ana.post("/api/alerts/subscriptions", json={"topic": "country", "values": ["UA"]})
    _documented(store)
    by_session = ana.get("/api/alerts/feed.atom")
    assert by_session.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(by_session.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "EXERCISE DATA: New item EX-MSL-009 documented in UA."
    ]
    token = create_token(store, "ana", "feed-reader", actor="ana")
    by_token = stranger.get("/api/alerts/feed.atom", headers={"Authorization": f"Bearer {token}"})
    assert by_token.status_code == 200 and by_token.content == by_session.content
    made = ana.post("/api/alerts/feed-key")
    assert made.status_code == 201
    key = made.json()["key"]
    assert made.json()["url"].endswith(f"/api/alerts/feed.atom?key={key}")
    assert stranger.get(f"/api/alerts/feed.atom?key={key}").content == by_session.content
    assert stranger.get("/api/alerts/feed.atom?key=guessed").status_code == 401
    set_disabled(store, "ana", True, actor="test-setup")
    assert stranger.get(f"/api/alerts/feed.atom?key={key}").status_code == 403


def test_event_history_api_shows_delivery_states(store: Store, login: Login) -> None:
    ana, bob = login("ana"), login("bob")
    ana.post("/api/alerts/subscriptions", json={"topic": "country", "values": ["UA"]})
    _documented(store)
    _documented(store, country="KP")  # reaches nobody
    events = ana.get("/api/alerts/events").json()
    assert [(e["payload"]["country"], e["deliveries"]) for e in events] == [("UA", {"sent": 1})]
    assert bob.get("/api/alerts/events").json() == []


def test_pages_subscribe_list_unsubscribe_and_history(store: Store, login: Login) -> None:
    ana = login("ana")
    token = ana.headers["X-CSRF-Token"]
    del ana.headers["X-CSRF-Token"]  # forms carry the token as a field
    page = ana.get("/alerts")
    assert page.status_code == 200 and "You follow nothing yet." in page.text
    refused = ana.post("/alerts/subscribe", data={"topic": "country", "values": "UA"})
    assert refused.status_code == 403  # no CSRF token
    form = {"csrf_token": token, "topic": "country", "values": "UA, KP"}
    added = ana.post("/alerts/subscribe", data=form, follow_redirects=True)
    assert added.status_code == 200 and "country: UA, KP" in added.text
    wrong = ana.post("/alerts/subscribe", data={**form, "values": "Ukraine"})
    assert wrong.status_code == 400 and "ISO 3166" in wrong.text
    hook = {**form, "channel": "webhook", "target": "https://hooks.example.org/x"}
    shown = ana.post("/alerts/subscribe", data=hook)
    assert "Webhook secret (shown once)" in shown.text
    _documented(store)
    history = ana.get("/alerts/events")
    assert "EX-MSL-009" in history.text and "exercise" in history.text
    keyed = ana.post("/alerts/feed-key", data={"csrf_token": token})
    assert "/api/alerts/feed.atom?key=" in keyed.text
    first_id = ana.get("/api/alerts/subscriptions").json()[0]["id"]
    ana.post(f"/alerts/{first_id}/unsubscribe", data={"csrf_token": token})
    assert "country: UA, KP" in ana.get("/alerts").text  # the webhook one is still there
    assert len(ana.get("/api/alerts/subscriptions").json()) == 1


def test_subscribing_in_a_real_browser(store: Store, app: FastAPI, browser: Browser) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    page = browser.new_page()
    try:
        page.goto(f"{base}/login?next=/alerts")
        page.fill("input[name=name]", "ana")
        page.fill("input[name=password]", PASSWORD)
        page.click('form[action="/login"] button[type=submit]')
        page.wait_for_url(f"{base}/alerts")
        page.select_option("select[name=topic]", "weapon_system")
        page.fill("form.alert-subscribe input[name=values]", "KN-23")
        page.click("form.alert-subscribe button[type=submit]")
        page.wait_for_selector("table.alert-subscriptions")
        assert "weapon system: KN-23" in page.inner_text("table.alert-subscriptions")
        page.click("table.alert-subscriptions button")
        page.wait_for_selector("text=You follow nothing yet.")
    finally:
        page.close()
        server.should_exit = True
        thread.join(10)
        sock.close()
