"""OWASP-style checks the other web tests do not make (see docs/security.md), on both stores.

Each test names the weakness it guards against; several are regressions for bugs the API
fuzzing (tests/hardening/test_api_schema.py) found: a huge ``offset`` and NUL characters ended
in a 500, and a rejected screening list named the server's temporary folder.
"""

from __future__ import annotations

import io
import logging
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from armtrace.reports.document.gather import _embeddable
from armtrace.store import Store, tables
from web.support import PASSWORD, ClientFactory, RoleClient, SampleCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_huge_offset_is_refused_not_overflowed(
    viewer_client: RoleClient, sample_case: SampleCase
) -> None:
    for route in ("/api/items", "/api/incidents"):
        answer = viewer_client.get(route, params={"offset": 2**70})
        assert answer.status_code == 422, (route, answer.text)
        assert viewer_client.get(route, params={"offset": 1_000_000}).status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/api/serials?fragment=00%00", None),
        ("GET", "/api/search?q=KH%00", None),
        ("GET", "/api/items/KH-0001%00", None),
        ("GET", "/items/KH-0001%00", None),
        ("POST", "/api/session", {"name": "viewer-user\u0000", "password": PASSWORD}),
    ],
)
def test_nul_characters_are_refused_on_both_stores(
    anon_client: RoleClient,
    sample_case: SampleCase,
    accounts: object,
    method: str,
    url: str,
    body: object,
) -> None:
    """PostgreSQL cannot store NUL: it used to reach the driver and answer 500."""
    answer = anon_client.request(method, url, json=body)
    assert answer.status_code == 400, answer.text
    assert "NUL" in answer.text
    assert anon_client.get("/api/items").status_code == 200


def test_nul_in_a_form_field_is_refused(investigator_client: RoleClient, store: Store) -> None:
    files = {"file": ("c1.png", io.BytesIO(PNG), "image/png")}
    answer = investigator_client.post("/api/evidence", files=files, data={"note": "C1\x00"})
    assert answer.status_code == 400, answer.text
    assert store.counts()["evidence"] == 0
    # An escaped backslash before "u0000" is text, not a NUL character.
    fine = investigator_client.post("/api/identify", json={"markings": ["ADM3202 \\u0000"]})
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize("name", ["..", ".", "../../etc/list.ftm.json"])
def test_rejected_screening_list_names_the_clients_file_only(
    admin_client: RoleClient, name: str
) -> None:
    """A name of "." or ".." named the temporary folder itself (500); errors showed its path."""
    files = {"file": (name, io.BytesIO(b"this is not FtM JSON\n"), "application/json")}
    answer = admin_client.post("/api/screening/lists", files=files)
    assert answer.status_code == 422, answer.text
    assert "armtrace-list-" not in answer.text and "/tmp" not in answer.text
    assert {e["file"] for e in answer.json()["errors"]} <= {"list.ftm.json"}


def test_export_answers_declare_their_media_type(
    analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    jsonl = analyst_client.get("/api/sheets/export", params={"format": "jsonl"})
    assert jsonl.headers["content-type"] == "application/x-ndjson"
    spec = analyst_client.get("/api/openapi.json").json()
    content = spec["paths"]["/api/sheets/export"]["get"]["responses"]["200"]["content"]
    assert "application/x-ndjson" in content and "application/json" not in content


INJECTIONS = [
    "' OR '1'='1",
    "KH-0001' OR state='draft' --",
    "%' OR 1=1 --",
    "'; DROP TABLE items; --",
    '" OR ""="',
    "KH-000_",
    "\\' OR 1=1 #",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_in_search_and_filters_finds_nothing_extra(
    viewer_client: RoleClient, store: Store, sample_case: SampleCase, payload: str
) -> None:
    """Every query binds parameters; hostile text is searched for literally, on both stores."""
    reads = [
        ("/api/search", {"q": payload}),
        ("/api/items", {"incident": payload}),
        ("/api/items", {"item_type": payload, "country": payload}),
        ("/api/serials", {"fragment": payload}),
        ("/search", {"q": payload}),
    ]
    for route, params in reads:
        answer = viewer_client.get(route, params=params)
        assert answer.status_code < 500, (route, answer.text)
        assert sample_case.draft not in answer.text, route
        if route == "/api/items":
            assert answer.json()["items"] == [], (route, params)
    with store.engine.connect() as conn:
        keys = set(conn.execute(select(tables.items.c.key)).scalars())
    assert keys == {sample_case.published, sample_case.draft}


def test_security_headers_on_pages_api_and_errors(anon_client: RoleClient) -> None:
    for url in ("/", "/login", "/api/items", "/no-such-page", "/static/map.js"):
        headers = anon_client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["x-frame-options"] == "DENY", url
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], url
    # Swagger UI starts from an inline script: its page keeps working without the CSP.
    assert "content-security-policy" not in anon_client.get("/api/docs").headers


def test_passwords_tokens_and_session_ids_are_never_logged(
    client_for: ClientFactory,
    accounts: object,
    store: Store,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every logger at DEBUG (SQL statements with their parameters included) while signing in,
    failing to, making and using a token and a session: no secret shows in any record."""
    caplog.set_level(logging.DEBUG)
    # Alembic's logging set-up quiets SQLAlchemy when the store migrates: turn it back on.
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    viewer = client_for("viewer")
    session_id = viewer.cookies.get("armtrace_session")
    token = viewer.post("/api/tokens", json={"name": "nightly"}).json()["token"]
    anon = client_for(None)
    anon.post("/api/session", json={"name": "viewer-user", "password": "wrong " + PASSWORD})
    anon.headers["Authorization"] = f"Bearer {token}"
    assert anon.get("/api/session").json()["user"]["name"] == "viewer-user"
    assert viewer.get("/api/tokens").status_code == 200
    secrets = {
        "password": PASSWORD,
        "token": token,
        "session": session_id,
        "csrf": viewer.csrf_token,
    }
    assert all(secrets.values()), secrets
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "no SQL logged"
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert [name for name, secret in secrets.items() if secret in logged] == []
    with store.engine.connect() as conn:
        audit = repr(conn.execute(select(tables.audit_log)).all())
    assert [name for name, secret in secrets.items() if secret in audit] == []


def _xlsx_bomb(inflated_mib: int) -> bytes:
    """A workbook whose sheet XML inflates to ``inflated_mib`` MiB of whitespace (valid XML)."""
    buffer = io.BytesIO()
    header = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        b'incident_id</t></is></c><c r="B1" t="inlineStr"><is><t>item_id</t></is></c></row>'
    )
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"'
        b'/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1'
        b'.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet'
        b'+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"'
        b"/></Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument'
        b'/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas'
        b'.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        b'"worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(header)
            blank = b" " * (1 << 20)
            for _ in range(inflated_mib):
                sheet.write(blank)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_xlsx_zip_bomb_is_refused_before_it_inflates(
    investigator_client: RoleClient, store: Store
) -> None:
    bomb = _xlsx_bomb(200)
    assert len(bomb) < 1024 * 1024  # under the upload limit: the size check alone lets it in
    tracemalloc.start()
    try:
        files = {"file": ("bomb.xlsx", io.BytesIO(bomb), "application/octet-stream")}
        answer = investigator_client.post("/api/sheets", files=files)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 422, answer.text
    assert "zip bomb" in answer.text
    assert peak < 64 * 1024 * 1024, f"peak {peak:,} bytes while refusing the bomb"
    assert store.counts()["items"] == 0


def _png_claiming(width: int, height: int) -> bytes:
    """A valid one-pixel PNG whose header claims ``width`` x ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def test_image_bomb_is_stored_as_evidence_but_never_decoded(
    investigator_client: RoleClient,
) -> None:
    """Uploads keep the bytes as evidence without decoding them; the readers that do decode
    (OCR: tests/test_ocr.py, report photos here) refuse a picture this large."""
    bomb = _png_claiming(60_000, 60_000)  # 3.6 gigapixels in 67 bytes
    tracemalloc.start()
    try:
        files = {"file": ("bomb.png", io.BytesIO(bomb), "image/png")}
        stored = investigator_client.post("/api/evidence", files=files)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.status_code == 201, stored.text
    assert peak < 64 * 1024 * 1024
    assert _embeddable(bomb) is None  # raised DecompressionBombError and ended the report
    assert _embeddable(_png_claiming(12_000, 9_000)) is None  # 108 Mpx: over the photo limit


def test_row_ids_past_64_bits_are_refused_not_overflowed(
    admin_client: RoleClient, sample_case: SampleCase
) -> None:
    huge = 2**70
    calls = [
        ("DELETE", f"/api/alerts/subscriptions/{huge}", None),
        ("PUT", f"/api/trace/transfers/{huge}/diversion", {"last_legitimate_custodian": "A"}),
        ("DELETE", f"/api/trace/transfers/{huge}/diversion", None),
        ("POST", f"/alerts/{huge}/unsubscribe", None),
        (
            "POST",
            "/api/trace/requests",
            {"recipient_name": "A", "recipient_kind": "manufacturer", "component_ids": [huge]},
        ),
    ]
    for method, url, body in calls:
        answer = admin_client.request(method, url, json=body)
        assert answer.status_code == 422, (url, answer.text)


def test_xlsx_export_of_a_control_character_says_why(
    admin_client: RoleClient, sample_case: SampleCase
) -> None:
    """XLSX cannot hold control characters: the export used to end in a 500."""
    changed = admin_client.patch(
        f"/api/items/{sample_case.draft}", json={"item_markings": "lot 7\x1bA"}
    )
    assert changed.status_code == 200, changed.text
    answer = admin_client.get("/api/sheets/export", params={"format": "xlsx"})
    assert answer.status_code == 400
    assert "control character" in answer.json()["detail"]
    assert admin_client.get("/api/sheets/export", params={"format": "jsonl"}).status_code == 200


@pytest.mark.parametrize("ref", ["\u00b9", "\u0661", "9" * 30])
def test_odd_numeric_trace_request_refs_are_not_found(admin_client: RoleClient, ref: str) -> None:
    """Superscript and non-ASCII digits passed ``isdigit`` and failed ``int`` (500); a long
    number overflowed the driver."""
    for url in (f"/api/trace/requests/{ref}", f"/api/trace/requests/{ref}/letter.html"):
        answer = admin_client.get(url)
        assert answer.status_code == 404, (url, answer.text)
