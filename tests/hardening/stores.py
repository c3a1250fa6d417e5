"""Helpers for the hardening tests: fill a store with everything, read everything back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from armtrace.accounts.demo import demo_logins
from armtrace.accounts.sessions import LoginFailed, login
from armtrace.demo import run_demo
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from sheetdata import KHARKIV, write_csv

PNG = b"\x89PNG\r\n\x1a\n" + b"not really a picture of a chip, number "


def fill(store: Store, tmp_path: Path) -> None:
    """Everything the demo makes (case, accounts, audit, traces, alerts) plus photo evidence."""
    run_demo(store, tmp_path / "demo-out")
    # Accounts, a session and a failed login (the demo makes accounts in its CLI command only).
    admin = demo_logins(store, actor="test")[0]
    login(store, admin.name, admin.password, client="127.0.0.1")
    with pytest.raises(LoginFailed):
        login(store, admin.name, "wrong password", client="127.0.0.1")
    for n in range(3):
        (tmp_path / f"chip{n}.png").write_bytes(PNG + str(n).encode())
    records = [
        {**KHARKIV, "item_id": "KH-PHOTO", "component_id": f"P{n}", "marking": f"LM358 {n}"}
        | {"photo": f"chip{n}.png"}
        for n in range(3)
    ]
    import_sheet(store, write_csv(tmp_path / "photos.csv", records), actor="test")


def everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as comparable tuples, sorted (written apart from the backup)."""
    content: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            rows = [tuple(_plain(v) for v in row) for row in conn.execute(select(table))]
            content[table.name] = sorted(rows, key=repr)
    return content


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite hands back UTC without an offset; PostgreSQL in the session's time zone.
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.astimezone(UTC)
    return value


def evidence_bytes(store: Store) -> dict[str, bytes]:
    """Every evidence object the store records, read (and hash-checked) from its directory."""
    with store.engine.connect() as conn:
        shas = conn.execute(select(tables.evidence.c.sha256)).scalars().all()
    return {sha: store.evidence.read(sha) for sha in shas}
