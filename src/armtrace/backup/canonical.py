"""Tables as canonical JSON Lines, the same bytes whichever database holds them.

Invariants:
- One line per row, keys sorted, no spaces, UTF-8; rows ordered by primary key, strings compared
  by code point (PostgreSQL is told ``COLLATE "C"``, SQLite compares bytes), so SQLite and
  PostgreSQL holding the same data give byte-identical dumps and the same SHA-256.
- Timestamps are UTC ISO 8601 with microseconds (SQLite hands back naive UTC, PostgreSQL aware
  values); dates are ISO; booleans JSON booleans; floats JSON numbers (64-bit, exact round trip).
- ``load_value`` is the inverse of ``dump_value`` for every column type the schema uses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import IO, Any

from sqlalchemy import Boolean, Column, Connection, Date, DateTime, String, Table, select

from armtrace.store import tables
from armtrace.store.dialect import is_postgres


def backup_tables() -> list[Table]:
    """Every table of the schema, parents before children (the order a restore loads them)."""
    return list(tables.metadata.sorted_tables)


def dump_value(column: Column[Any], value: Any) -> Any:
    """A stored value as a plain JSON value, independent of the database it came from."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        stamp: datetime = value
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
        return stamp.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(column.type, Date):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    return value


def load_value(column: Column[Any], value: Any) -> Any:
    """A JSON value from a dump back into the Python value the column takes."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def row_line(table: Table, row: Any) -> bytes:
    """One row as one canonical JSON line, newline included."""
    record = {c.name: dump_value(c, row[c.name]) for c in table.columns}
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def ordered_rows(conn: Connection, table: Table) -> Iterator[Any]:
    """Every row of a table in canonical order, streamed."""
    order: list[Any] = []
    for column in table.primary_key.columns:
        if is_postgres(conn) and isinstance(column.type, String):
            order.append(column.collate("C"))
        else:
            order.append(column)
    query = select(table).order_by(*order)
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
    for row in result:
        yield row._mapping


def dump_table(conn: Connection, table: Table, handle: IO[bytes] | None) -> tuple[int, str]:
    """Write a table's canonical dump to ``handle`` (or only hash it); return rows and SHA-256."""
    digest = hashlib.sha256()
    count = 0
    for row in ordered_rows(conn, table):
        line = row_line(table, row)
        digest.update(line)
        if handle is not None:
            handle.write(line)
        count += 1
    return count, digest.hexdigest()


def parse_line(table: Table, line: bytes) -> dict[str, Any]:
    """One dump line back into insertable values; unknown or missing columns are errors."""
    record = json.loads(line)
    if not isinstance(record, dict) or set(record) != {c.name for c in table.columns}:
        raise ValueError(f"a line of table {table.name} does not have the table's columns")
    return {c.name: load_value(c, record[c.name]) for c in table.columns}
