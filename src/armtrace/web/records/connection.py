"""Connections for reads: autocommit, so a read costs its queries and no BEGIN/ROLLBACK.

Invariants:
- Only SELECTs run on these connections; writes go through ``store.begin()``. Each statement
  sees a consistent snapshot of its own, which is all a single-query read needs.
- ``read_rows`` gives the same values on both stores as SQLAlchemy's own result rows would
  (tests/web/test_read_speed_paths.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Select

from armtrace.store import Store


@contextmanager
def reading(store: Store) -> Iterator[Connection]:
    """A pooled connection in autocommit mode (two fewer round trips per read on PostgreSQL)."""
    with store.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


# statement -> (the statement, its PostgreSQL text, bound values it carries, column names)
_COMPILED: dict[int, tuple[Select[Any], str, dict[str, Any], list[str]]] = {}


def read_rows(store: Store, statement: Select[Any], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a prebuilt SELECT as a dict by column name.

    On PostgreSQL the statement, compiled once, runs as a prepared statement on the psycopg
    connection itself: SQLAlchemy's result handling (a description object per column on every
    execution, then the row metadata) cost more CPU than everything else in an item read. Only
    for statements built once (module constants) whose columns psycopg returns as SQLAlchemy
    would: text, numbers, dates, booleans.
    """
    if store.engine.dialect.name != "postgresql":
        with reading(store) as conn:
            return [dict(row._mapping) for row in conn.execute(statement, params)]
    sql, bound, names = _compiled(store, statement)
    pooled = store.engine.raw_connection()  # a pool checkout, with its liveness check
    try:
        driver = pooled.driver_connection
        assert driver is not None
        driver.autocommit = True
        try:
            rows = driver.execute(sql, {**bound, **params}, prepare=True).fetchall()
        finally:
            if not driver.closed:
                driver.autocommit = False  # as the pool expects it back
    finally:
        pooled.close()
    return [dict(zip(names, row, strict=True)) for row in rows]


def _compiled(store: Store, statement: Select[Any]) -> tuple[str, dict[str, Any], list[str]]:
    known = _COMPILED.get(id(statement))
    if known is None or known[0] is not statement:
        compiled = statement.compile(dialect=store.engine.dialect)
        names = list(statement.selected_columns.keys())
        if len(set(names)) != len(names):
            raise ValueError("read_rows needs distinct column names: label the duplicates")
        known = (statement, str(compiled), dict(compiled.params), names)
        _COMPILED[id(statement)] = known
    return known[1], known[2], known[3]
