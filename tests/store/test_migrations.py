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


def test_head_revision_constant_is_alembics_head(store: Store) -> None:
    from alembic.script import ScriptDirectory

    from armtrace.store.db import HEAD_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD_REVISION]
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == (HEAD_REVISION,)


def test_an_up_to_date_store_opens_without_alembic(store: Store) -> None:
    # In a fresh process, as a command runs: opening the (already migrated) store must not
    # import Alembic, which would cost every command about half a second.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from armtrace.settings import load_settings\n"
        "from armtrace.store import Store\n"
        f"Store.open(load_settings(db={store.settings.db_url!r}, evidence='unused')).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
