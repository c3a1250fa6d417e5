"""The migrations build exactly the schema the code declares, on both stores."""

from __future__ import annotations

import importlib
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from armtrace.store import Store
from armtrace.store.dialect import is_postgres
from armtrace.store.tables import metadata

# PostgreSQL-only trigram indexes (migration 0009): expressions with an operator class that
# the table metadata cannot declare for one dialect only; checked by name below instead.
_search_indexes = importlib.import_module("armtrace.store.migrations.versions.0009_search_indexes")
TRIGRAM_INDEXES = {name: (table, column) for name, table, column in _search_indexes.TRIGRAM_INDEXES}


def _not_trigram(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "index" and reflected and name in TRIGRAM_INDEXES)


def test_migrations_match_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": _not_trigram}
        context = MigrationContext.configure(conn, opts=opts)
        assert compare_metadata(context, metadata) == []


def test_trigram_search_indexes_exist_on_postgres_only(store: Store) -> None:
    with store.engine.connect() as conn:
        postgres = is_postgres(conn)
        inspector = inspect(conn)
        found = {
            index["name"]: (table, index.get("expressions"))
            for table in {t for t, _ in TRIGRAM_INDEXES.values()}
            for index in inspector.get_indexes(table)
            if index["name"] in TRIGRAM_INDEXES
        }
    if not postgres:
        assert found == {}
        return
    assert set(found) == set(TRIGRAM_INDEXES)
    for name, (table, column) in TRIGRAM_INDEXES.items():
        assert found[name][0] == table
        # PostgreSQL shows a varchar column cast to text; queries on upper(key) get the same cast.
        expressions = found[name][1] or []  # None (no expression index) fails below
        assert [e.replace("::text", "") for e in expressions] == [f"upper({column})"], name


def test_opening_twice_is_harmless(store: Store) -> None:
    again = Store.open(store.settings)
    assert again.counts() == store.counts()
    again.close()
