"""Write a backup: every table and every evidence object in one verified archive.

Invariants:
- All tables are read in one snapshot (one transaction; REPEATABLE READ on PostgreSQL), so the
  archive is consistent even while others write.
- Evidence objects are re-hashed as they are copied; a missing or altered object stops the
  backup rather than carrying damage into it.
- The archive is written to ``FILE.partial`` and renamed when complete: a crash never leaves a
  file under the target name that looks like a backup but is not one.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select, text

import armtrace
from armtrace.audit import verify_chain
from armtrace.backup.canonical import backup_tables, dump_table
from armtrace.backup.manifest import (
    MANIFEST_NAME,
    BackupError,
    EvidenceEntry,
    Manifest,
    TableEntry,
    evidence_member,
    table_member,
)
from armtrace.evidence.files import CHUNK
from armtrace.sheets.importer.report import ProgressFn
from armtrace.store import Store, tables
from armtrace.store.dialect import is_postgres


@dataclass(frozen=True)
class BackupReport:
    """What a backup holds."""

    file: str
    tables: int
    rows: int
    evidence: int
    bytes: int
    seconds: float


def alembic_revision(conn: Connection) -> str:
    """The schema revision the store is at."""
    heads = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(heads))


def backup_store(
    store: Store, path: Path, *, on_progress: ProgressFn | None = None
) -> BackupReport:
    """Write a backup archive of the store and its evidence to ``path`` (.tar.gz)."""
    started = time.perf_counter()
    if path.exists():
        raise BackupError(
            f"{path} exists already; choose a new name (backups are never overwritten)"
        )
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory; create it or choose another place")
    partial = path.with_name(path.name + ".partial")
    # Scratch space beside the target: the same disk the archive needs room on anyway.
    with tempfile.TemporaryDirectory(prefix=".armtrace-backup-", dir=path.parent) as scratch:
        work = Path(scratch)
        manifest = _dump(store, work, on_progress)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                (work / MANIFEST_NAME).write_bytes(manifest.to_bytes())
                tar.add(work / MANIFEST_NAME, arcname=MANIFEST_NAME)
                for name in manifest.tables:
                    tar.add(work / "tables" / f"{name}.jsonl", arcname=table_member(name))
                for entry in manifest.evidence:
                    tar.add(store.evidence.path_for(entry.sha256), evidence_member(entry.sha256))
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"{path}: cannot write the backup ({exc.strerror})") from exc
    rows = sum(e.rows for e in manifest.tables.values())
    return BackupReport(
        file=str(path),
        tables=len(manifest.tables),
        rows=rows,
        evidence=len(manifest.evidence),
        bytes=path.stat().st_size,
        seconds=time.perf_counter() - started,
    )


def _dump(store: Store, work: Path, on_progress: ProgressFn | None) -> Manifest:
    (work / "tables").mkdir()
    schema = backup_tables()
    with store.engine.connect() as conn:
        if is_postgres(conn):
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if not is_postgres(conn):
                # pysqlite starts no transaction for reads: open one, so that every table is
                # read from the same snapshot (WAL lets writers go on meanwhile).
                conn.exec_driver_sql("BEGIN")
            revision = alembic_revision(conn)
            shas = list(conn.execute(select(tables.evidence.c.sha256)).scalars())
            total = len(schema) + len(shas)
            entries: dict[str, TableEntry] = {}
            for done, table in enumerate(schema, 1):
                with (work / "tables" / f"{table.name}.jsonl").open("wb") as handle:
                    rows, sha = dump_table(conn, table, handle)
                entries[table.name] = TableEntry(rows=rows, sha256=sha)
                if on_progress:
                    on_progress(done, total)
            source = conn.dialect.name
    evidence = []
    for done, sha in enumerate(sorted(shas), len(schema) + 1):
        evidence.append(EvidenceEntry(sha256=sha, size=_checked_size(store, sha)))
        if on_progress:
            on_progress(done, total)
    return Manifest(
        armtrace_version=armtrace.__version__,
        alembic_revision=revision,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=source,
        audit_entries=entries["audit_log"].rows,
        audit_chain_ok=verify_chain(store).ok,
        tables=entries,
        evidence=evidence,
    )


def _checked_size(store: Store, sha256: str) -> int:
    path = store.evidence.path_for(sha256)
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise BackupError(
            f"evidence {sha256} is missing from {store.evidence.root} ({exc.strerror}); "
            "nothing was written. Restore it from an older backup, then back up again"
        ) from exc
    if digest.hexdigest() != sha256:
        raise BackupError(
            f"evidence {sha256} at {path} no longer matches its hash; nothing was written. "
            "Restore it from an older backup, then back up again"
        )
    return size
