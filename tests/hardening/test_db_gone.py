"""The database goes away mid-request: a clear error (CLI message, HTTP 503 with a JSON body),
nothing half-written, and the next request succeeds once the database is back.

PostgreSQL: the server process serving armtrace is ended with ``pg_terminate_backend`` from
another connection while an import writes (CLI and API), and the database refuses connections
(``ALLOW_CONNECTIONS false``) during API reads. SQLite: another connection holds the write lock
longer than the busy timeout (ARMTRACE_SQLITE_BUSY_SECONDS, 1 s here).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from armtrace.accounts.roles import Role
from armtrace.accounts.tokens import create_token
from armtrace.accounts.users import create_user
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.web.app import create_app
from hardening.faults import PG_ADMIN, armtrace, check_sound, store_env
from hardening.fuzzing import RESULTS
from sheetdata import KHARKIV, rows, write_csv

ROWS = 40_000
ROUNDS = int(os.environ.get("ARMTRACE_GONE_ROUNDS", "1"))
FOUND: dict[str, int] = {}


def _sheet(tmp_path: Path, rows_count: int = ROWS) -> Path:
    records = [
        {**KHARKIV, "item_id": f"G-{i // 100:05d}", "component_id": f"C{i}", "marking": "LM358"}
        for i in range(rows_count)
    ]
    return Path(write_csv(tmp_path / "gone.csv", records))


def _client(store: Store) -> TestClient:
    create_user(store, "gone-analyst", "a long enough password 1", Role.ANALYST, actor="test")
    token = create_token(store, "gone-analyst", "fault", actor="test")
    app = create_app(store=store)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _database(store: Store) -> str:
    return store.settings.db_url.rsplit("/", 1)[1]


def _terminator(database: str, stop: threading.Event) -> threading.Thread:
    """Ends the first busy backend of ``database`` (a statement running, or a transaction open)."""

    def run() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            while not stop.wait(0.05):
                ended = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                    " AND pid <> pg_backend_pid()"
                    " AND state IN ('active', 'idle in transaction')"
                    " AND query ILIKE ANY (ARRAY['%%insert%%', '%%copy%%', '%%update%%'])",
                    (database,),
                ).fetchall()
                if ended:
                    FOUND[database] = FOUND.get(database, 0) + len(ended)
                    return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _plain(text: str) -> None:
    """A message for people: no traceback, no SQL statement, no parameters."""
    for leak in ("Traceback", "INSERT INTO", "SELECT ", "[SQL", "[parameters"):
        assert leak not in text, text


@pytest.mark.postgres
def test_postgres_backend_ended_during_imports(
    empty_store_factory: Callable[[str], Store], tmp_path: Path
) -> None:
    store = empty_store_factory("postgres")
    import_sheet(store, write_csv(tmp_path / "base.csv", rows()), actor="baseline")
    before = store.counts()
    sheet = _sheet(tmp_path)
    client = _client(store)
    database = _database(store)
    env = store_env(store.settings.db_url, store.evidence.root)
    messages: list[str] = []
    for _ in range(ROUNDS):
        # The CLI: exit 1 with one clear line, nothing written.
        stop = threading.Event()
        killer = _terminator(database, stop)
        done = subprocess.run(armtrace("import", str(sheet)), env=env, capture_output=True)
        stop.set()
        killer.join()
        message = done.stderr.decode()
        assert done.returncode == 1, f"the import was not interrupted: {message}"
        assert "database is unavailable" in message and "nothing was written" in message
        _plain(message)
        messages.append(message.strip().splitlines()[0][:200])
        assert store.counts() == before
        check_sound(store)
        # The API: 503 with a JSON body, nothing written.
        stop = threading.Event()
        killer = _terminator(database, stop)
        with sheet.open("rb") as handle:
            answer = client.post("/api/sheets", files={"file": ("gone.csv", handle, "text/csv")})
        stop.set()
        killer.join()
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/json")
        assert "database is unavailable" in answer.json()["detail"]
        assert answer.headers.get("retry-after") == "5"
        _plain(answer.text)
        assert store.counts() == before
        check_sound(store)
    # The database is back (it never left): the next import succeeds, every row once.
    with sheet.open("rb") as handle:
        answer = client.post("/api/sheets", files={"file": ("gone.csv", handle, "text/csv")})
    assert answer.status_code == 200, answer.text
    assert store.counts()["components"] == before["components"] + ROWS
    check_sound(store)
    RESULTS["db_gone.postgres_imports"] = {
        "kills": 2 * ROUNDS,
        "backends_ended": FOUND.get(database, 0),
        "cli_message": messages[:1],
    }


@pytest.mark.postgres
def test_postgres_refusing_connections_during_reads(
    empty_store_factory: Callable[[str], Store], tmp_path: Path
) -> None:
    store = empty_store_factory("postgres")
    import_sheet(store, write_csv(tmp_path / "base.csv", rows()), actor="baseline")
    client = _client(store)
    database = _database(store)
    reads = ["/api/items/KH-0001", "/api/search?q=ADM3202", "/api/items"]
    good = {path: client.get(path) for path in reads}
    assert all(answer.status_code == 200 for answer in good.values()), good
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (database,),
            )
            for path in reads:
                answer = client.get(path)
                assert answer.status_code == 503, (path, answer.text)
                assert "database is unavailable" in answer.json()["detail"]
                _plain(answer.text)
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    for path in reads:  # back: the pool replaces its dead connections
        answer = client.get(path)
        assert answer.status_code == 200, answer.text
        assert answer.json() == good[path].json()
    RESULTS["db_gone.postgres_reads"] = {"cases": len(reads), "then_ok": len(reads)}


def test_sqlite_locked_longer_than_the_busy_timeout(
    empty_store_factory: Callable[[str], Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARMTRACE_SQLITE_BUSY_SECONDS", "1")
    store = empty_store_factory("sqlite")
    import_sheet(store, write_csv(tmp_path / "base.csv", rows()), actor="baseline")
    client = _client(store)
    before = store.counts()
    sheet = _sheet(tmp_path, 100)
    env = store_env(store.settings.db_url, store.evidence.root, ARMTRACE_SQLITE_BUSY_SECONDS="1")
    holder = sqlite3.connect(store.settings.db_url[len("sqlite:///") :], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        started = time.monotonic()
        done = subprocess.run(armtrace("import", str(sheet)), env=env, capture_output=True)
        message = done.stderr.decode()
        assert done.returncode == 1, message
        assert "database is unavailable (database is locked)" in message, message
        _plain(message)
        with sheet.open("rb") as handle:
            answer = client.post("/api/sheets", files={"file": ("gone.csv", handle, "text/csv")})
        assert answer.status_code == 503, answer.text
        assert "database is locked" in answer.json()["detail"]
        _plain(answer.text)
        assert client.get("/api/items/KH-0001").status_code == 200  # readers are not blocked
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.counts() == before
    check_sound(store)
    with sheet.open("rb") as handle:
        answer = client.post("/api/sheets", files={"file": ("gone.csv", handle, "text/csv")})
    assert answer.status_code == 200, answer.text
    RESULTS["db_gone.sqlite_locked"] = {"cases": 2, "seconds_until_errors": round(waited, 1)}
