"""Serial, place and component-marking search run from the trigram indexes on PostgreSQL.

The statements checked are the ones the search code really sends (captured from the engine),
so a query whose expression drifts from the index expression (lower() against an upper()
index, say) fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any

from sqlalchemy import event, text

from armtrace.attribution.serials import search_serials
from armtrace.store import Store
from armtrace.store.dialect import is_postgres
from armtrace.web.records.search import search
from armtrace.web.visibility import FULL, PUBLIC
from web.support import SampleCase


@contextmanager
def captured(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements and parameters sent through ``store.engine`` meanwhile."""
    seen: list[tuple[str, Any]] = []

    def remember(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)


def plans(store: Store, statements: list[tuple[str, Any]]) -> list[str]:
    """PostgreSQL's plan for each statement when a sequential scan is the last resort."""
    found = []
    with store.engine.connect() as conn:
        # Tiny test tables: make whole-table reads (sequential or full index scans) the last
        # resort, so the plan shows whether the trigram indexes can serve the query at all.
        conn.execute(text("SET enable_seqscan = off"))
        conn.execute(text("SET enable_indexscan = off"))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with closing(raw.cursor()) as cursor:  # DB-API cursors need not be context managers
            for statement, params in statements:
                cursor.execute("EXPLAIN " + statement, params)
                found.append("\n".join(str(row[0]) for row in cursor.fetchall()))
        conn.rollback()
    return found


def test_search_queries_use_the_trigram_indexes(store: Store, sample_case: SampleCase) -> None:
    with store.engine.connect() as conn:
        if not is_postgres(conn):
            # SQLite: no trigram indexes; the same searches still answer by scanning.
            assert search(store, PUBLIC, "kharkiv", kinds=("places",))["places"]
            return
    with captured(store) as seen:
        hits = search(store, FULL, "guidance", kinds=("serials", "places"))
        search_serials(store, "ARNZ")
    assert {hit["item"] for hit in hits["serials"]} == {sample_case.published, sample_case.draft}
    text_of = "\n".join(plans(store, seen))
    for index in (
        "ix_items_item_markings_trgm",
        "ix_items_key_trgm",
        "ix_incidents_place_trgm",
        "ix_incidents_key_trgm",
        "ix_components_marking_trgm",
    ):
        assert index in text_of, f"{index} unused:\n{text_of}"
