"""Shared fixtures: every test that takes ``store`` runs against SQLite and PostgreSQL.

PostgreSQL comes from ARMTRACE_TEST_PG (default: trust auth on 127.0.0.1:5432). When it cannot be
reached the PostgreSQL cases skip and say why, unless ARMTRACE_REQUIRE_POSTGRES=1 (CI sets it), in
which case they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import text

from armtrace.settings import load_settings
from armtrace.store import Store
from armtrace.store.tables import metadata

PG_ADMIN = os.environ.get("ARMTRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_reason() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN}: {str(exc).strip().splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A scratch PostgreSQL database for this test session, dropped at the end."""
    reason = _pg_reason()
    if reason:
        if os.environ.get("ARMTRACE_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"armtrace_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'armtrace.db'}"
        return
    url: str = request.getfixturevalue("pg_database")
    store = Store.open(load_settings(db=url, evidence=str(tmp_path / "evidence")))
    with store.engine.begin() as conn:
        names = ", ".join(t.name for t in reversed(metadata.sorted_tables))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    store.close()
    yield url


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """An open, empty store (SQLite and PostgreSQL) with its own evidence directory."""
    opened = Store.open(load_settings(db=store_url, evidence=str(tmp_path / "evidence")))
    yield opened
    opened.close()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_path() -> str:
    """Debian's chromium, or a skip (a failure under CI=true) when it is missing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(browser_path: str) -> Iterator[Browser]:
    """One headless chromium for the whole session.

    Playwright's sync API allows one running instance per thread, so every browser test in the
    suite shares this one instead of starting its own.
    """
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=browser_path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
