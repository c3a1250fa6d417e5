"""Every difference between SQLite and PostgreSQL lives here.

The rest of armtrace speaks SQLAlchemy Core; only bulk loading and engine set-up differ: SQLite
gets ``executemany`` on the raw driver cursor and PostgreSQL gets ``COPY`` (both inside the
caller's transaction, so an import stays all-or-nothing); a large load on PostgreSQL also sets
aside the table's GIN indexes and foreign keys and puts them back set-based before the commit.
"""

from __future__ import annotations

import os
import select
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any

import psycopg
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    or_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DisconnectionError

Row = Sequence[Any]

# Errors the raw drivers raise on the bulk paths, which bypass SQLAlchemy's wrapping.
DRIVER_ERRORS = (sqlite3.Error, psycopg.Error)


def raw_connection(conn: Connection) -> Any:
    """The DB-API connection under SQLAlchemy, inside the same transaction."""
    return conn.connection.driver_connection


def make_engine(url: str) -> Engine:
    """Create an engine with the pragmas and pool settings each dialect needs."""
    if url.startswith("sqlite"):
        # How long a writer waits for another's lock before "database is locked".
        busy = float(os.environ.get("ARMTRACE_SQLITE_BUSY_SECONDS", "60"))
        engine = create_engine(url, connect_args={"timeout": busy})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pool_pre_ping: its ``SELECT 1`` on every checkout cost a round trip and about 7% of an
    # API read's CPU. ``_check_idle_connection`` catches the same failures (server restarted,
    # connection terminated) without a round trip; recycling bounds a connection's age for
    # firewalls that drop idle TCP connections silently.
    engine = create_engine(url, pool_recycle=POOL_RECYCLE_SECONDS)
    event.listen(engine, "checkout", _check_idle_connection)
    return engine


POOL_RECYCLE_SECONDS = 1800


def _check_idle_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled PostgreSQL connection the server has hung up on.

    An idle connection in the pool has nothing to read: readable data (PostgreSQL's
    "terminating connection" message on a restart or ``pg_terminate_backend``, or end of file)
    means the server is gone. Raising DisconnectionError makes the pool drop it and connect
    afresh (up to three attempts); when the server is down that attempt fails with the
    driver's own "connection refused" error, as with ``pool_pre_ping``.
    """
    if dbapi_connection.closed:
        raise DisconnectionError("the PostgreSQL connection is closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):
        raise DisconnectionError("PostgreSQL closed this idle connection")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web UI read while an import writes; FULL sync because evidence records may
    # end up in court and a commit must survive a power cut.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-131072")  # 128 MiB page cache, bounded
    cursor.execute("PRAGMA temp_store=FILE")
    cursor.close()


def is_postgres(conn: Connection) -> bool:
    """True when the connection talks to PostgreSQL."""
    return conn.dialect.name == "postgresql"


def bulk_insert(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Row]) -> int:
    """Append rows to a table as fast as the dialect allows, inside the open transaction."""
    if not rows:
        return 0
    raw = raw_connection(conn)
    if is_postgres(conn):
        cols = ", ".join(columns)
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return len(rows)
    placeholders = ", ".join("?" for _ in columns)
    cur = raw.cursor()
    try:
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
    finally:
        cur.close()
    return len(rows)


def copy_csv(columns: Sequence[Sequence[Any]], integer_columns: Collection[int] = ()) -> bytes:
    """Columns of text, integers and None as CSV for ``COPY ... (FORMAT csv)``, built by Arrow.

    Formatting COPY text row by row in Python cost twice this (Arrow's writer is C; columns
    need no row objects in between). Arrow writes NULL as an empty unquoted field and quotes
    every text value, so an empty text stays empty and ``\\.`` is never read as the end of the
    data. The columns at ``integer_columns`` are integers, the rest text. Text must not contain
    NUL: PostgreSQL text cannot hold it, and the sheet validators reject it before a row gets
    here.
    """
    import pyarrow as pa  # imported here: most armtrace commands never write a bulk load
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    arrays = []
    for index, values in enumerate(columns):
        array = pa.array(values, pa.int64() if index in integer_columns else pa.string())
        if index not in integer_columns and pc.any(pc.match_substring(array, "\x00")).as_py():
            raise ValueError("text for PostgreSQL cannot contain a NUL character")
        arrays.append(array)
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])
    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False))
    return bytes(sink.getvalue())


def copy_in(raw: Any, table: str, columns: Sequence[str], data: bytes) -> None:
    """COPY CSV from ``copy_csv`` into a table on a raw psycopg connection (any thread)."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    with raw.cursor() as cur, cur.copy(sql) as copy:
        copy.write(data)


def bulk_upsert(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    rows: Sequence[Row],
) -> int:
    """Insert rows, or update the existing row with the same key when a value differs.

    Returns how many rows were inserted or changed (unchanged rows do not count).
    """
    if not rows:
        return 0
    raw = raw_connection(conn)
    cols = ", ".join(columns)
    updates = [c for c in columns if c not in key]
    set_clause = ", ".join(f"{c} = excluded.{c}" for c in updates)
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM excluded.{c}" for c in updates)
    conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {set_clause} WHERE {changed}"
    if is_postgres(conn):
        staging = f"_stage_{table}"
        with raw.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {staging} "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cur.execute(f"TRUNCATE {staging}")
            with cur.copy(f"COPY {staging} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {staging} {conflict}")
            return int(cur.rowcount)
    placeholders = ", ".join("?" for _ in columns)
    # SQLite spells IS DISTINCT FROM as IS NOT.
    conflict = conflict.replace("IS DISTINCT FROM", "IS NOT")
    cur = raw.cursor()
    try:
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({placeholders}) {conflict}", rows)
        return int(cur.rowcount)
    finally:
        cur.close()


def upsert_merge(
    conn: Connection,
    table: Table,
    key: str,
    rows: list[dict[str, Any]],
    sticky_true: Sequence[str] = (),
) -> int:
    """Insert rows by natural key; on conflict fill in values without erasing known ones.

    An empty (None) value never overwrites a stored one, and a ``sticky_true`` flag once set stays
    set (exercise data must not lose its label when re-imported without it). Returns how many rows
    were inserted or changed.
    """
    if not rows:
        return 0
    insert_fn = pg_insert if is_postgres(conn) else sqlite_insert
    # One single-row statement run over all rows: SQLAlchemy compiles it once and batches the
    # rows itself ("insertmanyvalues"); a multi-VALUES statement per chunk was compiled anew
    # for every chunk size, which cost more than the writes.
    stmt = insert_fn(table)
    updates: dict[str, Any] = {}
    for name in rows[0]:
        if name == key:
            continue
        if name in sticky_true:
            updates[name] = or_(stmt.excluded[name], table.c[name])
        else:
            updates[name] = func.coalesce(stmt.excluded[name], table.c[name])
    differs = or_(*[table.c[n].is_distinct_from(v) for n, v in updates.items()])
    stmt = stmt.on_conflict_do_update(index_elements=[key], set_=updates, where=differs)
    # RETURNING counts written rows on both dialects (psycopg reports rowcount -1 here).
    changed = len(conn.execute(stmt.returning(table.c[key]), rows).all())
    return changed


def insert_missing(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """Insert rows, skipping any whose primary key is already stored (a racing writer's).

    On the raw driver cursor, like ``bulk_insert``: a where-seen filing writes about a hundred
    rows per new part number.
    """
    if not rows:
        return
    cols = ", ".join(columns)
    raw = raw_connection(conn)
    if is_postgres(conn):
        marks = ", ".join("%s" for _ in columns)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        with raw.cursor() as cur:
            cur.executemany(sql, rows)
        return
    marks = ", ".join("?" for _ in columns)
    cur = raw.cursor()
    try:
        cur.executemany(f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({marks})", rows)
    finally:
        cur.close()


def in_bound_list(column: ColumnElement[str], name: str, *, postgres: bool) -> ColumnElement[bool]:
    """``column`` IN the list of texts bound as ``name`` when the statement runs.

    PostgreSQL gets one array parameter (``= ANY``), so the statement's text does not change with
    the list's length and the driver's prepared plan is reused; SQLite expands an IN list.
    """
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(String())))
    return column.in_(bindparam(name, expanding=True))


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
    raw = raw_connection(conn)
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


# For the index builds of a bulk load (SET LOCAL: only for that transaction); a GIN build
# gathers its entries in this much memory before writing them out.
MAINTENANCE_WORK_MEM = "256MB"


def restore_after_bulk_load(conn: Connection, statements: Sequence[str]) -> None:
    """Run the statements from ``suspend_for_bulk_load``: foreign keys checked, indexes built."""
    if not statements:
        return
    raw = raw_connection(conn)
    with raw.cursor() as cur:
        cur.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        for statement in statements:
            cur.execute(statement)
