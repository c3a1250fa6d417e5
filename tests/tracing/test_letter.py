"""The request letter renders as HTML and PDF with markings, photos, questions and deadline."""

from __future__ import annotations

import base64
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from weasyprint import HTML

from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.errors import TracingError
from armtrace.tracing.letter import letter_html, write_letter
from tracing.support import ACTOR, SENT, Draft

TODAY = date(2024, 3, 5)


def test_html_letter_has_everything(traced: Store, draft: Draft) -> None:
    request = draft()
    html = letter_html(traced, request.key, today=TODAY)
    assert "MAX2769 (MAX2769ETI+)" in html and "TPS7A4501 / 2207" in html
    assert "Testfall Bauteile Vertrieb GmbH" in html and "Germany" in html
    assert "ballistic missile" in html and "Kharkiv" in html and "2024-01-02" in html
    assert "2024-04-02" in html  # a draft: 28 days after the letter's date
    assert "To whom did you sell" in html
    assert "EXERCISE" not in html
    # C4's photo, embedded and identical to the stored evidence.
    [sha] = [c.photo_sha256 for c in request.components if c.photo_sha256]
    payload = base64.b64encode(traced.evidence.read(sha)).decode()
    assert f"data:image/png;base64,{payload}" in html


def test_sent_letter_shows_the_stored_deadline(traced: Store, draft: Draft) -> None:
    key = draft().key
    t.send(traced, key, actor=ACTOR, on=SENT, today=TODAY)
    html = letter_html(traced, key, today=date(2024, 5, 1))
    assert "2024-03-29" in html and "2024-03-01" in html


def test_exercise_letter_is_labelled(traced: Store, draft: Draft) -> None:
    from sqlalchemy import update

    from armtrace.store.tables_tracing import trace_requests

    key = draft().key
    with traced.begin() as conn:
        conn.execute(update(trace_requests).values(exercise=True))
    html = letter_html(traced, key, today=TODAY)
    assert html.count("EXERCISE DATA") >= 3  # banner, footer rule, closing banner


def test_pdf_renders(traced: Store, draft: Draft, tmp_path: Path) -> None:
    key = draft().key
    out = write_letter(traced, key, tmp_path / "letter.pdf", today=TODAY)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = HTML(string=letter_html(traced, key, today=TODAY)).render().pages
    assert len(pages) >= 1
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True
        )
        assert sorted(tmp_path.glob("page*.png"))


def test_html_file_and_bad_suffix(traced: Store, draft: Draft, tmp_path: Path) -> None:
    key = draft().key
    assert "<html" in write_letter(traced, key, tmp_path / "l.html", today=TODAY).read_text()
    with pytest.raises(TracingError, match=r"\.pdf or \.html"):
        write_letter(traced, key, tmp_path / "l.docx", today=TODAY)


def test_altered_photo_is_named_not_dropped(traced: Store, draft: Draft) -> None:
    request = draft()
    [sha] = [c.photo_sha256 for c in request.components if c.photo_sha256]
    path = traced.evidence.path_for(sha)
    path.chmod(0o644)
    path.write_bytes(b"tampered")
    html = letter_html(traced, request.key, today=TODAY)
    assert "photo not included" in html and "no longer matches its hash" in html
