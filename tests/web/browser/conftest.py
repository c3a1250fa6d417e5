"""Browser tests: a real uvicorn server over an SQLite store holding the exercise case, driven by
Playwright with Debian's chromium.

The server runs in a thread on an ephemeral port for the whole session. Without
/usr/bin/chromium the tests skip and say why, except under CI=true, where they fail.
Screenshots of the main pages go to docs/screenshots/ (committed, shown in the README).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from importlib import resources

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import update

from armtrace.accounts.roles import Role
from armtrace.accounts.users import create_user
from armtrace.markings.readings import identify_components
from armtrace.settings import load_settings
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from armtrace.web.app import create_app
from armtrace.workflow import set_item_state
from web.browser.support import PASSWORD, PUBLISHED, SECRET_NOTE, Site


def _load_case(store: Store) -> None:
    case = resources.files("armtrace.demo") / "data" / "exercise_case.csv"
    with resources.as_file(case) as path:
        import_sheet(store, path, actor="browser-setup", exercise=True)
    identify_components(store)
    for role in Role:
        create_user(store, f"{role.value}-user", PASSWORD, role, actor="browser-setup")
    set_item_state(store, PUBLISHED, "verified", actor="browser-setup")
    set_item_state(store, PUBLISHED, "published", actor="browser-setup")
    with store.begin() as conn:
        conn.execute(
            update(tables.items).where(tables.items.c.key == PUBLISHED).values(notes=SECRET_NOTE)
        )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, browser_path: str) -> Iterator[Site]:
    """A uvicorn server on an ephemeral port serving the exercise case."""
    folder = tmp_path_factory.mktemp("browser-store")
    settings = load_settings(db=f"sqlite:///{folder / 'armtrace.db'}", evidence=str(folder / "ev"))
    store = Store.open(settings)
    _load_case(store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store=store), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start within 30 s")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", store)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    store.close()


@pytest.fixture
def page_as(browser: Browser, site: Site) -> Iterator[Callable[[str | None], Page]]:
    """A factory of pages in fresh browser contexts, logged in as a role (None: anonymous)."""
    contexts: list[BrowserContext] = []

    def make(role: str | None) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if role is not None:
            page.goto(f"{site.url}/login")
            page.fill("#name", f"{role}-user")
            page.fill("#password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(f"{site.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
