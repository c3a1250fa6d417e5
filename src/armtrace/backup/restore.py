"""Restore a backup into an empty store, all or nothing, and prove it arrived intact.

Invariants:
- The target must be empty and at the archive's schema revision; the archive is fully checked
  (every hash) before anything is written.
- All rows load in one transaction. Before it commits, every table is dumped again and must give
  the row count and SHA-256 the manifest states; any difference rolls everything back, and
  evidence objects this restore added are removed again.
- After the commit the audit chain and every evidence object are verified.
- PostgreSQL sequences are moved past the restored ids so new rows do not collide.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Integer, Table, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from armtrace.audit import verify_chain
from armtrace.backup.archive import read_archive
from armtrace.backup.canonical import backup_tables, dump_table, parse_line
from armtrace.backup.create import alembic_revision
from armtrace.backup.manifest import BackupError, Manifest
from armtrace.errors import EvidenceError
from armtrace.evidence.records import verify_all
from armtrace.sheets.importer.report import ProgressFn
from armtrace.store import Store
from armtrace.store.dialect import DRIVER_ERRORS, is_postgres

BATCH = 2000


@dataclass(frozen=True)
class RestoreReport:
    """What a restore wrote and checked."""

    file: str
    tables: int
    rows: int
    evidence: int
    audit_entries: int
    seconds: float


def restore_store(
    store: Store, path: Path, *, on_progress: ProgressFn | None = None
) -> RestoreReport:
    """Load a backup archive into an empty store, then verify counts, hashes, audit and evidence."""
    started = time.perf_counter()
    with store.engine.connect() as conn:
        _check_target(conn, None)
    with tempfile.TemporaryDirectory(prefix="armtrace-restore-") as scratch:
        work = Path(scratch)
        manifest = read_archive(path, work)
        with store.engine.connect() as conn:
            _check_target(conn, manifest)
        total = len(manifest.tables) + len(manifest.evidence)
        added = _put_evidence(store, manifest, work, on_progress, total)
        try:
            with store.engine.connect() as conn, conn.begin():
                _check_target(conn, manifest)
                _load(conn, manifest, work, on_progress, total)
        except BaseException as exc:
            for sha in added:
                store.evidence.discard(sha)
            if isinstance(exc, (SQLAlchemyError, *DRIVER_ERRORS)):
                cause = getattr(exc, "orig", exc)
                raise BackupError(
                    f"{path}: the store refused the restore ({cause}); nothing was written"
                ) from exc
            raise
    _verify_after(store, manifest, path)
    return RestoreReport(
        file=str(path),
        tables=len(manifest.tables),
        rows=sum(e.rows for e in manifest.tables.values()),
        evidence=len(manifest.evidence),
        audit_entries=manifest.audit_entries,
        seconds=time.perf_counter() - started,
    )


def _check_target(conn: Connection, manifest: Manifest | None) -> None:
    for table in backup_tables():
        if conn.execute(select(table).limit(1)).first() is not None:
            raise BackupError(
                f"the target store is not empty (table {table.name} has rows); restore only "
                "into a new, empty store"
            )
    if manifest is None:
        return
    revision = alembic_revision(conn)
    if revision != manifest.alembic_revision:
        raise BackupError(
            f"the backup is at schema revision {manifest.alembic_revision}, this store at "
            f"{revision}; restore with armtrace {manifest.armtrace_version}, then upgrade"
        )
    names = {t.name for t in backup_tables()}
    if set(manifest.tables) != names:
        raise BackupError("the backup's tables differ from this store's schema; nothing restored")


def _put_evidence(
    store: Store, manifest: Manifest, work: Path, on_progress: ProgressFn | None, total: int
) -> list[str]:
    added: list[str] = []
    try:
        for done, entry in enumerate(manifest.evidence, 1):
            stored = store.evidence.put_file(work / "evidence" / entry.sha256)
            if stored.sha256 != entry.sha256:
                raise EvidenceError(f"evidence {entry.sha256} changed while it was restored")
            if stored.created:
                added.append(stored.sha256)
            if on_progress:
                on_progress(done, total)
    except BaseException:
        for sha in added:
            store.evidence.discard(sha)
        raise
    return added


def _load(
    conn: Connection, manifest: Manifest, work: Path, on_progress: ProgressFn | None, total: int
) -> None:
    done = len(manifest.evidence)
    for table in backup_tables():
        with (work / "tables" / f"{table.name}.jsonl").open("rb") as handle:
            batch = []
            for number, line in enumerate(handle, 1):
                try:
                    batch.append(parse_line(table, line))
                except ValueError as exc:
                    raise BackupError(f"table {table.name}, line {number}: {exc}") from None
                if len(batch) >= BATCH:
                    conn.execute(insert(table), batch)
                    batch = []
            if batch:
                conn.execute(insert(table), batch)
        if is_postgres(conn):
            _advance_sequence(conn, table)
        done += 1
        if on_progress:
            on_progress(done, total)
    for table in backup_tables():
        expected = manifest.tables[table.name]
        rows, sha = dump_table(conn, table, None)
        if (rows, sha) != (expected.rows, expected.sha256):
            raise BackupError(
                f"table {table.name} reads back as {rows} rows (hash {sha[:12]}), the backup "
                f"says {expected.rows} (hash {expected.sha256[:12]}); rolled back, nothing restored"
            )


def _advance_sequence(conn: Connection, table: Table) -> None:
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].autoincrement is not True:
        return
    column = keys[0].name
    highest = conn.execute(select(func.max(table.c[column]))).scalar_one()
    if highest is None:
        return
    conn.execute(
        text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
        {"table": table.name, "column": column, "value": int(highest)},
    )


def _verify_after(store: Store, manifest: Manifest, path: Path) -> None:
    chain = verify_chain(store)
    if chain.entries != manifest.audit_entries or chain.ok != manifest.audit_chain_ok:
        raise BackupError(
            f"{path}: restored, but the audit chain check differs from the backup's "
            f"({chain.entries} entries, ok={chain.ok}); keep the archive and report this"
        )
    with store.engine.connect() as conn:
        bad = verify_all(conn, store.evidence)
    if bad:
        raise BackupError(f"{path}: restored, but {len(bad)} evidence object(s) do not verify")
