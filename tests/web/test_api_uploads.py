"""Sheet and photo uploads: all or nothing, row-level errors, size and type checked by content."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from armtrace.store import Store, tables
from sheetdata import rows, write_csv
from web.support import RoleClient

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def csv_upload(path: Path) -> dict[str, tuple[str, io.BytesIO, str]]:
    """A multipart file field holding the sheet at ``path``."""
    return {"file": (path.name, io.BytesIO(path.read_bytes()), "text/csv")}


def test_upload_a_sheet(store: Store, investigator_client: RoleClient, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "kharkiv.csv", rows())
    answer = investigator_client.post("/api/sheets", files=csv_upload(sheet))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["rows"], report["items"], report["components"]) == (4, 1, 4)
    assert store.counts()["components"] == 4
    again = investigator_client.post("/api/sheets", files=csv_upload(sheet)).json()
    assert again["changed"] == 0
    item = investigator_client.get("/api/items/KH-0001").json()
    assert item["state"] == "draft"
    # The upload identified what it brought in: every component has a machine reading.
    with store.engine.connect() as conn:
        readings = conn.execute(select(tables.readings.c.part_number)).scalars().all()
    assert len(readings) == 4 and "MAX2769ETI+" in readings


def test_bad_rows_come_back_with_row_column_reason(
    store: Store, investigator_client: RoleClient, tmp_path: Path
) -> None:
    records = rows()
    records[1]["incident_date"] = "2024-13-45"
    records[3]["latitude"] = "north"
    sheet = write_csv(tmp_path / "bad.csv", records)
    answer = investigator_client.post("/api/sheets", files=csv_upload(sheet))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "incident_date"), (5, "latitude")]
    assert all(e["reason"] for e in errors)
    assert store.counts()["components"] == 0  # nothing written


def test_uploaded_sheet_cannot_pull_server_files_in_as_photos(
    store: Store, investigator_client: RoleClient, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    records = rows()
    records[0]["photo"] = str(secret)
    records[1]["photo"] = "https://example.org/c2.jpg"
    sheet = write_csv(tmp_path / "sneaky.csv", records)
    answer = investigator_client.post("/api/sheets", files=csv_upload(sheet))
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["row"], error["column"]) == (2, "photo")
    assert store.counts()["evidence"] == 0


def test_sheet_type_and_size_are_bounded(investigator_client: RoleClient) -> None:
    exe = {"file": ("tool.exe", io.BytesIO(b"MZ" + b"\x00" * 100), "application/octet-stream")}
    refused = investigator_client.post("/api/sheets", files=exe)
    assert refused.status_code == 400 and "not a component sheet" in refused.json()["detail"]
    huge = {"file": ("big.csv", io.BytesIO(b"incident_id,item_id\n" + b"a,b\n" * 400_000), "")}
    assert investigator_client.post("/api/sheets", files=huge).status_code == 413


def test_photo_upload_is_checked_by_content(
    store: Store, investigator_client: RoleClient, viewer_client: RoleClient
) -> None:
    stored = investigator_client.post(
        "/api/evidence", files={"file": ("c1.jpg", io.BytesIO(PNG), "image/jpeg")},
        data={"note": "component C1"},
    )  # fmt: skip
    assert stored.status_code == 201, stored.text
    sha = stored.json()["sha256"]
    assert stored.json()["media_type"] == "image/png"  # by content, not by name or header
    assert investigator_client.get(f"/api/evidence/{sha}").content == PNG
    custody = investigator_client.get(f"/api/evidence/{sha}/custody").json()
    assert custody[0]["actor"] == "investigator-user"
    assert viewer_client.get(f"/api/evidence/{sha}").status_code == 403
    script = {"file": ("photo.png", io.BytesIO(b"<script>alert(1)</script>"), "image/png")}
    refused = investigator_client.post("/api/evidence", files=script)
    assert refused.status_code == 400 and "not a photo or PDF" in refused.json()["detail"]
    big = {"file": ("big.png", io.BytesIO(PNG * 1200), "image/png")}
    assert investigator_client.post("/api/evidence", files=big).status_code == 413
    assert store.counts()["evidence"] == 1
    evidence_files = [
        p for p in (store.settings.evidence_dir / "objects").rglob("*") if p.is_file()
    ]
    assert len(evidence_files) == 1


def test_export_download(analyst_client: RoleClient, sample_case: object) -> None:
    answer = analyst_client.get("/api/sheets/export", params={"format": "csv"})
    assert answer.status_code == 200
    records = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["item_id"], r["component_id"]) for r in records][:2] == [
        ("KH-0001", "C1"), ("KH-0001", "C2"),
    ]  # fmt: skip
    assert len(records) == 6  # 4 + 2 components
    assert "attachment" in answer.headers["content-disposition"]


def test_a_full_evidence_disk_answers_507_without_server_paths(
    store: Store, investigator_client: RoleClient
) -> None:
    where = store.settings.evidence_dir
    where.mkdir(parents=True, exist_ok=True)
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(where)], capture_output=True
    ).returncode:
        pytest.skip("mounting a tiny tmpfs needs root (the project's machines and CI have it)")
    try:
        photo = {"file": ("c1.png", io.BytesIO(PNG * 50), "image/png")}
        answer = investigator_client.post("/api/evidence", files=photo)
        assert answer.status_code == 507, answer.text
        detail = answer.json()["detail"]
        assert detail == "the evidence store is out of space; nothing was stored"
        assert str(where) not in answer.text
        assert store.counts()["evidence"] == 0
        assert not [p for p in where.rglob("*") if p.is_file()]  # no partial file either
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
