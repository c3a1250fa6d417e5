"""The migrations build exactly the schema the code declares, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from armtrace.store import Store
from armtrace.store.tables import metadata


def test_migrations_match_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_opening_twice_is_harmless(store: Store) -> None:
    again = Store.open(store.settings)
    assert again.counts() == store.counts()
    again.close()
