"""Evidence is stored by content, never altered, re-checked when read, with a custody log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from armtrace.errors import EvidenceError
from armtrace.evidence.records import add_evidence, custody_log, verify_all
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from sheetdata import rows, write_csv

JPEG = b"\xff\xd8\xff\xe0" + b"guidance board, left side" * 100


def test_add_is_content_addressed_and_logged(store: Store, tmp_path: Path) -> None:
    photo = tmp_path / "IMG_0412.jpg"
    photo.write_bytes(JPEG)
    with store.begin() as conn:
        first = add_evidence(conn, store.evidence, photo, actor="field-team-3", detail="left side")
        second = add_evidence(conn, store.evidence, photo, actor="analyst-1")
    assert first.sha256 == second.sha256 and first.created and not second.created
    assert first.media_type == "image/jpeg"
    assert photo.read_bytes() == JPEG, "the original is never altered"
    assert store.evidence.read(first.sha256) == JPEG
    with store.engine.connect() as conn:
        log = custody_log(conn, first.sha256)
    assert [(e.action, e.actor) for e in log] == [
        ("added", "field-team-3"),
        ("added-again", "analyst-1"),
    ]
    assert log[0].origin == str(photo.resolve()) and log[0].host


def test_altered_file_is_caught_on_read(store: Store, tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(JPEG)
    with store.begin() as conn:
        stored = add_evidence(conn, store.evidence, photo, actor="t")
    path = store.evidence.path_for(stored.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(JPEG + b"edited")
    with pytest.raises(EvidenceError, match="no longer matches its hash"):
        store.evidence.read(stored.sha256)
    with store.engine.connect() as conn:
        assert verify_all(conn, store.evidence) == [stored.sha256]


def test_sheet_photo_becomes_evidence(store: Store, tmp_path: Path) -> None:
    (tmp_path / "c1.jpg").write_bytes(JPEG)
    records = rows()
    records[0]["photo"] = "c1.jpg"
    report = import_sheet(store, write_csv(tmp_path / "s.csv", records))
    assert report.evidence_added == 1
    with store.engine.connect() as conn:
        (sha,) = conn.exec_driver_sql("SELECT photo_sha256 FROM components WHERE key='C1'").one()
        detail = custody_log(conn, sha)[0].detail
        assert detail is not None and detail.startswith("photo of component 'C1'")


def test_missing_photo_rejects_the_row(store: Store, tmp_path: Path) -> None:
    from armtrace.errors import ImportRejected

    records = rows()
    records[1]["photo"] = "nowhere.jpg"
    with pytest.raises(ImportRejected) as info:
        import_sheet(store, write_csv(tmp_path / "s.csv", records))
    error = info.value.errors[0]
    assert (error.row, error.column) == (3, "photo") and "was not found" in error.reason


def test_temp_files_a_killed_writer_left_are_swept_once_a_day_old(tmp_path: Path) -> None:
    from armtrace.evidence.files import STALE_TEMP_SECONDS, EvidenceStore

    evidence = EvidenceStore(tmp_path / "evidence")
    (tmp_path / "evidence" / "tmp").mkdir(parents=True)
    stale = tmp_path / "evidence" / "tmp" / "incoming-killed"
    recent = tmp_path / "evidence" / "tmp" / "incoming-in-flight"
    other = tmp_path / "evidence" / "tmp" / "notes.txt"
    for path in (stale, recent, other):
        path.write_bytes(b"partial")
    old = os.path.getmtime(stale) - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    photo = tmp_path / "IMG.jpg"
    photo.write_bytes(JPEG)
    evidence.put_file(photo)
    # The day-old temp file is gone; one that may still have a writer stays, and so does
    # anything armtrace did not name.
    assert not stale.exists() and recent.exists() and other.exists()
    assert sorted(p.name for p in (tmp_path / "evidence" / "tmp").iterdir()) == [
        "incoming-in-flight",
        "notes.txt",
    ]
