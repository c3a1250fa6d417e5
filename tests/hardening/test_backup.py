"""Backup and restore: a round trip between any two stores keeps every row and every file."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from armtrace.audit import record_change, verify_chain
from armtrace.backup import BackupError, backup_store, restore_store
from armtrace.cli.app import app
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from hardening.fuzzing import RESULTS
from hardening.stores import everything, evidence_bytes, fill
from sheetdata import rows, write_csv

Factory = Callable[[str], Store]


@pytest.fixture
def archive(store: Store, tmp_path: Path) -> Path:
    """A backup of a full store (both kinds of source store)."""
    fill(store, tmp_path)
    target = tmp_path / "full.tar.gz"
    report = backup_store(store, target)
    RESULTS[f"backup.{store.engine.dialect.name}"] = {
        "rows": report.rows,
        "evidence": report.evidence,
        "bytes": report.bytes,
        "seconds": round(report.seconds, 2),
    }
    return target


@pytest.mark.parametrize(
    "target_kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_round_trip_keeps_everything(
    store: Store, archive: Path, empty_store_factory: Factory, target_kind: str, tmp_path: Path
) -> None:
    target = empty_store_factory(target_kind)
    report = restore_store(target, archive)
    RESULTS[f"restore.{store.engine.dialect.name}->{target.engine.dialect.name}"] = {
        "rows": report.rows,
        "seconds": round(report.seconds, 2),
        "compared": "every row of every table, every evidence file",
    }
    source_rows = everything(store)
    assert source_rows["components"] and source_rows["audit_log"] and source_rows["users"]
    assert source_rows["trace_requests"] and source_rows["evidence"] and source_rows["sessions"]
    assert source_rows["login_failures"] and source_rows["alert_events"] and source_rows["readings"]
    assert everything(target) == source_rows
    assert evidence_bytes(target) == evidence_bytes(store) and len(evidence_bytes(store)) == 3
    assert report.rows == sum(len(r) for r in source_rows.values())
    assert verify_chain(target).ok and verify_chain(target).entries == len(source_rows["audit_log"])
    # New rows after a restore take fresh ids (PostgreSQL sequences were moved on).
    import_sheet(target, write_csv(tmp_path / "after.csv", rows(item_id="KH-AFTER")))
    with target.begin() as conn:
        record_change(conn, actor="t", action="test", entity="item", entity_key="KH-AFTER")
    assert verify_chain(target).ok


def test_restore_refuses_a_store_with_data(archive: Path, empty_store_factory: Factory) -> None:
    target = empty_store_factory("sqlite")
    restore_store(target, archive)
    before = everything(target)
    with pytest.raises(BackupError, match="not empty"):
        restore_store(target, archive)
    assert everything(target) == before


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy an archive member by member, letting ``change`` alter or drop (None) each one."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            handle = source.extractfile(member)
            assert handle is not None
            data = change(member.name, handle.read())
            if data is None:
                continue
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def _assert_untouched(target: Store) -> None:
    assert all(not rows for rows in everything(target).values())
    objects = target.evidence.root / "objects"
    assert not objects.exists() or not [p for p in objects.rglob("*") if p.is_file()]


def test_truncated_archive_changes_nothing(
    archive: Path, empty_store_factory: Factory, tmp_path: Path
) -> None:
    data = archive.read_bytes()
    for cut in (10, len(data) // 3, len(data) - 200):
        broken = tmp_path / f"cut{cut}.tar.gz"
        broken.write_bytes(data[:cut])
        target = empty_store_factory("sqlite")
        with pytest.raises(BackupError, match=r"damaged or truncated|missing"):
            restore_store(target, broken)
        _assert_untouched(target)


def test_flipped_byte_is_caught(
    archive: Path, empty_store_factory: Factory, tmp_path: Path
) -> None:
    raw = bytearray(gzip.decompress(archive.read_bytes()))
    raw[len(raw) // 2] ^= 0x01
    broken = tmp_path / "flipped.tar.gz"
    broken.write_bytes(gzip.compress(bytes(raw)))
    target = empty_store_factory("sqlite")
    with pytest.raises(BackupError):
        restore_store(target, broken)
    _assert_untouched(target)


def test_edited_table_does_not_match_its_hash(
    archive: Path, empty_store_factory: Factory, tmp_path: Path
) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return data.replace(b"EX-MSL-001", b"EX-MSL-999") if name.endswith("items.jsonl") else data

    target = empty_store_factory("sqlite")
    with pytest.raises(BackupError, match="does not match the hash"):
        restore_store(target, _rewrite(archive, tmp_path / "edited.tar.gz", edit))
    _assert_untouched(target)


def test_missing_evidence_and_foreign_members_are_refused(
    archive: Path, empty_store_factory: Factory, tmp_path: Path
) -> None:
    def drop_evidence(name: str, data: bytes) -> bytes | None:
        return None if name.startswith("evidence/") else data

    target = empty_store_factory("sqlite")
    with pytest.raises(BackupError, match="missing"):
        restore_store(target, _rewrite(archive, tmp_path / "noev.tar.gz", drop_evidence))
    _assert_untouched(target)
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(hostile, "w:gz") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("../../escaped.txt")
        evil.size = 4
        out.addfile(evil, io.BytesIO(b"evil"))
    with pytest.raises(BackupError, match="unexpected member"):
        restore_store(target, hostile)
    assert not (tmp_path.parent / "escaped.txt").exists()
    _assert_untouched(target)


def test_not_a_backup(empty_store_factory: Factory, tmp_path: Path) -> None:
    target = empty_store_factory("sqlite")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(os.urandom(5000))
    with pytest.raises(BackupError):
        restore_store(target, junk)
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as out:
        info = tarfile.TarInfo("manifest.json")
        body = json.dumps({"format": "something-else/9"}).encode()
        info.size = len(body)
        out.addfile(info, io.BytesIO(body))
    with pytest.raises(BackupError, match="unknown backup format"):
        restore_store(target, other)
    _assert_untouched(target)


@pytest.mark.postgres
def test_load_failure_in_postgres_rolls_back(empty_store_factory: Factory, tmp_path: Path) -> None:
    # SQLite holds a NUL in text; PostgreSQL cannot. The load fails part-way: nothing stays.
    source = empty_store_factory("sqlite")
    import_sheet(source, write_csv(tmp_path / "s.csv", rows()))
    with source.begin() as conn:
        conn.execute(update(tables.items).values(notes="bad\x00note"))
    archive = tmp_path / "nul.tar.gz"
    backup_store(source, archive)
    target = empty_store_factory("postgres")
    with pytest.raises(BackupError, match="refused the restore"):
        restore_store(target, archive)
    _assert_untouched(target)


def test_backup_refuses_altered_evidence_and_existing_file(
    empty_store_factory: Factory, tmp_path: Path
) -> None:
    source = empty_store_factory("sqlite")
    (tmp_path / "chip.png").write_bytes(b"\x89PNG\r\n\x1a\nchip")
    import_sheet(source, write_csv(tmp_path / "s.csv", rows(photo="chip.png")))
    existing = tmp_path / "exists.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists already"):
        backup_store(source, existing)
    assert existing.read_bytes() == b"keep me"
    with source.engine.connect() as conn:
        sha = conn.execute(select(tables.evidence.c.sha256)).scalar_one()
    path = source.evidence.path_for(sha)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    target = tmp_path / "after-tamper.tar.gz"
    with pytest.raises(BackupError, match="no longer matches its hash"):
        backup_store(source, target)
    assert not target.exists() and not Path(str(target) + ".partial").exists()


def test_backup_of_an_empty_store_restores(empty_store_factory: Factory, tmp_path: Path) -> None:
    source = empty_store_factory("sqlite")
    backup_store(source, tmp_path / "empty.tar.gz")
    target = empty_store_factory("sqlite")
    assert restore_store(target, tmp_path / "empty.tar.gz").rows == 0


def test_cli_backup_and_restore(empty_store_factory: Factory, tmp_path: Path) -> None:
    source = empty_store_factory("sqlite")
    import_sheet(source, write_csv(tmp_path / "s.csv", rows()))
    runner = CliRunner()
    src = ["--db", source.settings.db_url, "--evidence", str(source.evidence.root)]
    archive = tmp_path / "cli.tar.gz"
    result = runner.invoke(app, [*src, "backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "31 tables" in result.stderr or "tables" in result.stderr
    target = empty_store_factory("sqlite")
    dst = ["--db", target.settings.db_url, "--evidence", str(target.evidence.root)]
    result = runner.invoke(app, [*dst, "restore", str(archive), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == sum(len(r) for r in everything(source).values())
    result = runner.invoke(app, [*dst, "restore", str(archive)])
    assert result.exit_code == 1 and "not empty" in result.stderr
    assert everything(target) == everything(source)


def test_backup_reads_one_snapshot_while_others_write(
    store: Store, empty_store_factory: Factory, tmp_path: Path
) -> None:
    import_sheet(store, write_csv(tmp_path / "s.csv", rows()))
    written = []

    def write_meanwhile(done: int, total: int) -> None:
        if done == 1:  # after the first table, before the others are read
            import_sheet(store, write_csv(tmp_path / "later.csv", rows(item_id="KH-LATER")))
            written.append(done)

    archive = tmp_path / "snapshot.tar.gz"
    report = backup_store(store, archive, on_progress=write_meanwhile)
    assert written
    target = empty_store_factory("sqlite")
    restore_store(target, archive)
    assert target.counts()["items"] == 1 and store.counts()["items"] == 2
    assert report.rows == sum(len(r) for r in everything(target).values())
