"""Bulk loads on PostgreSQL: constraints and search indexes set aside, then put back set-based.

A dialect difference kept next to ``dialect.py`` (PostgreSQL only; on SQLite both functions do
nothing). Everything runs inside the caller's transaction: a rollback, or a killed client,
restores what was dropped, so an import stays all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from armtrace.store.dialect import is_postgres


def suspend_for_bulk_load(conn: Connection, table: str, incoming: int) -> list[str]:
    """Drop a table's GIN indexes and foreign keys when ``incoming`` rows at least match it.

    Both cost far more row by row than set-based at the end: on 1M component rows the trigram
    index took about twice its one-pass build, and the foreign-key triggers turned a 4 s insert
    into 22 s where one anti-join per key checks them all. Returns the statements that put them
    back, for ``restore_after_bulk_load`` before the commit. Counting stops at ``incoming`` rows,
    so a large table costs no full scan. Dropping takes exclusive locks on the table and the
    tables its foreign keys refer to until the transaction ends: callers do this for bulk loads.
    """
    if not is_postgres(conn):
        return []
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin' ORDER BY c.relname",
            (table,),
        )
        indexes: list[tuple[str, str]] = cur.fetchall()
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            (table,),
        )
        foreign_keys: list[tuple[str, str]] = cur.fetchall()
        if not indexes and not foreign_keys:
            return []
        cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS held", (incoming,))
        row = cur.fetchone()
        if row is None or int(row[0]) >= incoming:
            return []
        for name, _definition in foreign_keys:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    restore = [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in foreign_keys]
    return restore + [definition for _name, definition in indexes]


def restore_after_bulk_load(conn: Connection, statements: Sequence[str]) -> None:
    """Run the statements from ``suspend_for_bulk_load``: foreign keys checked, indexes built."""
    if not statements:
        return
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur:
        # SET LOCAL: only for this transaction; a GIN build sorts in maintenance_work_mem.
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in statements:
            cur.execute(statement)
