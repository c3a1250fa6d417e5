"""Uploading a component sheet with photos from the upload page: all or nothing, row errors."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from armtrace.store import Store
from sheetdata import rows, write_csv
from web.support import ClientFactory, RoleClient

XHR = {"X-Requested-With": "XMLHttpRequest"}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def sheet_bytes(tmp_path: Path, records: list[dict[str, str]]) -> bytes:
    return write_csv(tmp_path / "sheet.csv", records).read_bytes()


def test_investigator_uploads_a_sheet_with_a_photo(
    store: Store, investigator_client: RoleClient, client_for: ClientFactory, tmp_path: Path
) -> None:
    records = rows()
    records[0]["photo"] = "c1.png"
    answer = investigator_client.post(
        "/upload",
        headers=XHR,
        files=[
            ("sheet", ("kharkiv.csv", sheet_bytes(tmp_path, records), "text/csv")),
            ("photos", ("c1.png", png_bytes(), "image/png")),
        ],
        data={"exercise": "true"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is True
    assert "4 rows imported from kharkiv.csv" in body["message"]
    assert store.counts()["components"] == 4 and store.counts()["evidence"] == 1
    item = investigator_client.get("/items/KH-0001")
    assert "EXERCISE DATA" in item.text
    photo = item.text.split('<img src="/evidence/', 1)[1].split('"', 1)[0]
    image = investigator_client.get(f"/evidence/{photo}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert not any((store.settings.evidence_dir / "incoming").iterdir())  # staging removed
    public = client_for(None).get(f"/evidence/{photo}")  # the item is still a draft
    assert public.status_code == 404 and public.content == b"no such photo"
    assert client_for("viewer").get(f"/evidence/{photo}").status_code == 404
    assert client_for(None).get("/evidence/" + "0" * 64).status_code == 404


def test_bad_rows_are_all_listed_and_nothing_is_written(
    store: Store, investigator_client: RoleClient, tmp_path: Path
) -> None:
    records = rows()
    records[1]["incident_date"] = "2024-13-45"
    records[3]["latitude"] = "north"
    answer = investigator_client.post(
        "/upload",
        headers=XHR,
        files={"sheet": ("bad.csv", sheet_bytes(tmp_path, records), "text/csv")},
    )
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "incident_date"), (5, "latitude")]
    assert all(e["file"] == "bad.csv" for e in errors)
    assert str(tmp_path) not in answer.text and "incoming" not in answer.text
    assert store.counts()["items"] == 0


def test_plain_form_post_shows_row_errors_in_the_page(
    investigator_client: RoleClient, tmp_path: Path
) -> None:
    records = rows()
    records[2]["country"] = "Ukraine"
    answer = investigator_client.post(
        "/upload", files={"sheet": ("bad.csv", sheet_bytes(tmp_path, records), "text/csv")}
    )
    assert answer.status_code == 422
    assert 'class="row-errors"' in answer.text
    assert "<td>4</td><td>country</td>" in answer.text


def test_photo_paths_cannot_reach_server_files(
    store: Store, investigator_client: RoleClient, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    records = rows()
    records[0]["photo"] = str(secret)
    records[1]["photo"] = "../secret.png"
    records[2]["photo"] = "missing.png"
    answer = investigator_client.post(
        "/upload",
        headers=XHR,
        files={"sheet": ("sheet.csv", sheet_bytes(tmp_path, records), "text/csv")},
    )
    assert answer.status_code == 422
    reasons = {e["row"]: e["reason"] for e in answer.json()["errors"]}
    assert "plain name of an uploaded photo, not a path" in reasons[2]
    assert "plain name of an uploaded photo, not a path" in reasons[3]
    assert "was not uploaded with the sheet" in reasons[4]
    assert store.counts()["evidence"] == 0


def test_files_are_checked_by_content(investigator_client: RoleClient, tmp_path: Path) -> None:
    fake_photo = investigator_client.post(
        "/upload",
        headers=XHR,
        files=[
            ("sheet", ("s.csv", sheet_bytes(tmp_path, rows()), "text/csv")),
            ("photos", ("c1.png", b"#!/bin/sh\necho not an image\n", "image/png")),
        ],
    )
    assert fake_photo.status_code == 422
    assert fake_photo.json()["errors"][0]["reason"] == "not an image (checked by content)"
    fake_sheet = investigator_client.post(
        "/upload", headers=XHR, files={"sheet": ("s.csv", png_bytes(), "text/csv")}
    )
    assert "its content is not text" in fake_sheet.json()["errors"][0]["reason"]
    fake_xlsx = investigator_client.post(
        "/upload", headers=XHR, files={"sheet": ("s.xlsx", b"incident_id,item_id\n", "x")}
    )
    assert "not an Excel workbook" in fake_xlsx.json()["errors"][0]["reason"]
    wrong_kind = investigator_client.post(
        "/upload", headers=XHR, files={"sheet": ("s.exe", b"MZ", "application/octet-stream")}
    )
    assert "name it .csv, .jsonl or .xlsx" in wrong_kind.json()["errors"][0]["reason"]


def test_uploads_over_the_limit_are_refused(investigator_client: RoleClient) -> None:
    big = b"incident_id,item_id\n" + b"x" * (2 * 1024 * 1024)
    answer = investigator_client.post(
        "/upload", headers=XHR, files={"sheet": ("big.csv", big, "text/csv")}
    )
    assert answer.status_code == 413


def test_viewers_and_analysts_without_csrf_cannot_upload(
    viewer_client: RoleClient, investigator_client: RoleClient, tmp_path: Path
) -> None:
    sheet = {"sheet": ("s.csv", sheet_bytes(tmp_path, rows()), "text/csv")}
    assert viewer_client.post("/upload", headers=XHR, files=sheet).status_code == 403
    del investigator_client.headers["X-CSRF-Token"]
    assert investigator_client.post("/upload", headers=XHR, files=sheet).status_code == 403
