"""The chain page in a real browser: the diagram renders, the withheld name never reaches it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
import uvicorn
from playwright.sync_api import Browser

from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.custody import TransferSpec, add_transfer
from armtrace.tracing.disclosure import set_terms
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from armtrace.workflow import set_item_state
from tracing.support import ACTOR, SENT, Draft

DIST = "Testfall Bauteile Vertrieb GmbH"


@pytest.fixture
def base_url(traced: Store) -> Iterator[str]:
    """The app over ``traced`` served by uvicorn on an ephemeral port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(store=traced, web_config=WebConfig())
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


def test_public_chain_page_draws_the_diagram(
    traced: Store, draft: Draft, base_url: str, browser: Browser
) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=date(2024, 6, 1))
    t.answer(traced, key, text="Sold on.", actor=ACTOR, on=date(2024, 3, 5), today=date(2024, 6, 1))
    add_transfer(
        traced,
        TransferSpec(DIST, "Testcase Harbour Trading Co., Limited", "DE", "HK", date(2023, 8, 14)),
        actor=ACTOR,
        request=key,
    )
    set_terms(
        traced,
        DIST,
        actor=ACTOR,
        may_name_publicly=False,
        company_kind="distributor",
        company_country="DE",
    )
    set_item_state(traced, "KH-0001", "verified", actor=ACTOR)
    set_item_state(traced, "KH-0001", "published", actor=ACTOR)
    page = browser.new_page()
    response = page.goto(f"{base_url}/items/KH-0001/chain")
    assert response is not None and response.status == 200
    diagram = page.locator(".chain-diagram svg")
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    body = page.content()
    assert DIST not in body and "a distributor in Germany" in body
    assert page.get_by_text("Point of diversion", exact=True).count() == 1
    page.close()
