"""Pooled connections survive the database server dropping them (restart, terminated backend)."""

from __future__ import annotations

import os

import psycopg
import pytest

from armtrace.store import Store
from armtrace.web.records import reads
from armtrace.web.visibility import PUBLIC

PG_ADMIN = os.environ.get("ARMTRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_a_read_after_the_server_dropped_pooled_connections_succeeds(store: Store) -> None:
    """Without a ping per checkout, the pool must still notice a connection the server closed
    and open a fresh one instead of failing the next request."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    with store.engine.connect() as conn:  # leaves one connection in the pool
        driver = conn.connection.driver_connection
        assert driver is not None
        backend = driver.info.backend_pid
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", (backend,))  # waits for it
    with pytest.raises(Exception, match="no item"):
        reads.get_item(store, PUBLIC, "NO-SUCH-ITEM")  # the query ran: NotFound, not a disconnect
    assert store.counts()["items"] == 0
