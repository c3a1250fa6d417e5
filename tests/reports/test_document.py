"""Reports rendered from the exercise case: their figures, their pages, their labels."""

from __future__ import annotations

import base64
import datetime
import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from armtrace.cli.app import app
from armtrace.exports import export
from armtrace.reports.document import (
    NOT_PROOF,
    ReportError,
    ReportRequest,
    build_report,
    render_html,
    write_report,
)
from armtrace.reports.summary import Scope, summarise
from armtrace.store import Store
from armtrace.tracing.disclosure import set_terms
from exports.exercise_case import load_exercise, publish
from sheetdata import rows, write_csv

BAR = (0x2B, 0x6C, 0xB0)  # armtrace.reports.charts.BAR_COLOUR
LAND = (0xE2, 0xE8, 0xF0)  # armtrace.reports.maps.LAND
POINT = (0xC5, 0x30, 0x30)  # armtrace.reports.maps.POINT


@pytest.fixture
def case(store: Store) -> Store:
    loaded: Store = load_exercise(store)
    return loaded


def test_item_report_figures_are_the_summary_figures(case: Store) -> None:
    report = build_report(case, ReportRequest("item", "EX-MSL-001"))
    summary = summarise(case, Scope(item_key="EX-MSL-001")).as_json()
    assert report.exercise and report.sentence == summary["sentence"]
    assert (report.components, report.identified) == (summary["components"], summary["identified"])
    assert {c: n for c, n in report.countries if c != "unknown"} == summary["by_country"]
    assert len(report.companies) == summary["companies"]
    assert {c.registry_id or c.name: c.components for c in report.companies} == dict(
        summary["by_company"]
    )
    assert sum(c.share for c in report.companies) == pytest.approx(1.0)
    ti = next(c for c in report.companies if c.registry_id == "texas-instruments")
    assert ti.headquarters == "US" and "1" in ti.chpl_tiers and "854239" in ti.hs_codes


def test_html_is_self_contained_labelled_and_explains_itself(case: Store) -> None:
    report = build_report(case, ReportRequest("incident", "EX-KHARKIV-2024-01-02"))
    html = render_html(report)
    assert html.count("EXERCISE DATA") >= 3  # banner, page header rule, closing banner
    assert not re.search(r"<(script|link)\b", html)
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 3
    assert 'class="map"' in html and "Kharkiv (exercise)" in html
    assert NOT_PROOF in html
    assert report.provenance["registry version (bundled)"] in html
    for section in ("summary", "supply-chain", "charts", "map", "dating", "attribution",
                    "photos", "method", "provenance"):  # fmt: skip
        assert f'<section id="{section}">' in html


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def _colour_pixels(image: Image.Image, colour: tuple[int, int, int], slack: int = 12) -> int:
    found = 0
    for count, pixel in image.convert("RGB").getcolors(maxcolors=1 << 20) or []:
        assert isinstance(pixel, tuple)
        if all(abs(int(a) - b) <= slack for a, b in zip(pixel, colour, strict=True)):
            found += count
    return found


def test_pdf_has_charts_map_and_exercise_label_on_every_page(case: Store, tmp_path: Path) -> None:
    report = build_report(case, ReportRequest("item", "EX-MSL-002"))
    pdf = write_report(report, tmp_path / "r.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    texts = _page_texts(pdf)
    assert len(texts) >= 2
    assert all("EXERCISE DATA" in text for text in texts)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(pages) == len(texts)
    chart_page = next(i for i, t in enumerate(texts) if "Components by company" in t)
    map_page = next(i for i, t in enumerate(texts) if "Base map: Natural Earth" in t)
    assert _colour_pixels(Image.open(pages[chart_page]), BAR) > 500  # the bars are drawn
    with Image.open(pages[map_page]) as image:
        assert _colour_pixels(image, LAND) > 2000  # land of the base map
        # The documented place: the only red on the page (the report uses it for nothing else).
        assert _colour_pixels(image, POINT, slack=30) >= 5


def test_campaign_report_shows_trends_over_time(case: Store) -> None:
    request = ReportRequest("campaign", country="UA", since=datetime.date(2024, 1, 1))
    report = build_report(case, request)
    assert report.campaign is not None
    periods = report.campaign["periods"]
    assert sum(p["components"] for p in periods) == report.components
    assert all(p["period"] >= "2024-01-01" for p in periods)
    assert "Supply chain over time" in render_html(report)


def test_system_report_from_parquet_equals_the_store(case: Store, tmp_path: Path) -> None:
    export(case, tmp_path / "facts.parquet")
    request = ReportRequest("weapon_system", "KN-23")
    from_store = build_report(case, request)
    from_file = build_report(case, request, parquet=tmp_path / "facts.parquet")
    assert from_file.components == from_store.components > 0
    assert from_file.identified == from_store.identified
    assert [(c.name, c.components, c.chpl_tiers) for c in from_file.companies] == [
        (c.name, c.components, c.chpl_tiers) for c in from_store.companies
    ]
    assert from_file.map.provenance == from_store.map.provenance


def test_public_report_has_published_items_only(case: Store) -> None:
    with pytest.raises(ReportError, match="nothing to report"):
        build_report(case, ReportRequest("campaign", public=True))
    publish(case, "EX-MSL-001")
    report = build_report(case, ReportRequest("campaign", public=True))
    draft = build_report(case, ReportRequest("item", "EX-MSL-001"))
    assert report.components == draft.components
    assert "rounded to 0.1 degree" in report.map.provenance


def test_public_report_does_not_name_unpublished_reference_items(case: Store) -> None:
    # EX-MSL-001 is attributed by comparison with the KN-23/KN-24 references, still drafts.
    publish(case, "EX-MSL-001")
    team = render_html(build_report(case, ReportRequest("item", "EX-MSL-001")))
    public = render_html(build_report(case, ReportRequest("item", "EX-MSL-001", public=True)))
    assert "EX-MSL-101" in team
    assert "EX-MSL-101" not in public and "EX-MSL-102" not in public
    assert "an unpublished reference item" in public
    publish(case, "EX-MSL-101")
    assert "EX-MSL-101" in render_html(
        build_report(case, ReportRequest("item", "EX-MSL-001", public=True))
    )


def test_unknown_subject_and_missing_subject_are_errors(case: Store) -> None:
    with pytest.raises(ReportError, match="no documented components"):
        build_report(case, ReportRequest("item", "EX-NOPE"))
    with pytest.raises(ReportError, match="needs its subject"):
        build_report(case, ReportRequest("manufacturer"))


def test_photos_are_embedded_from_evidence(store: Store, tmp_path: Path) -> None:
    photo = tmp_path / "chip.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Field Camera Co"  # Make: metadata that must not travel into a report
    Image.new("RGB", (1600, 1200), (20, 20, 20)).save(photo, exif=exif)
    records = rows()
    records[1]["photo"] = "chip.jpg"
    from armtrace.sheets.importer import import_sheet

    import_sheet(store, write_csv(tmp_path / "s.csv", records))
    report = build_report(store, ReportRequest("item", "KH-0001"))
    assert not report.exercise and len(report.photos) == 1
    html = render_html(report)
    assert 'src="data:image/jpeg;base64,' in html and "EXERCISE DATA" not in html
    embedded = base64.b64decode(report.photos[0].data_uri.split(",", 1)[1])
    with Image.open(io.BytesIO(embedded)) as image:
        assert max(image.size) == 800 and not image.getexif()


def test_cli_writes_pdf_and_refuses_no_subject(case: Store, tmp_path: Path) -> None:
    url = str(case.engine.url.render_as_string(hide_password=False))
    base = ["--db", url, "--evidence", str(tmp_path / "ev")]
    runner = CliRunner()
    target = tmp_path / "r.pdf"
    result = runner.invoke(
        app, [*base, "report", "EX-MSL-003", "--format", "pdf", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF") and "EXERCISE DATA" in result.stderr
    result = runner.invoke(app, [*base, "report", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "say what the report is about" in result.stderr


def test_public_report_honours_disclosure_terms(case: Store) -> None:
    publish(case, "EX-MSL-001")
    set_terms(
        case, "Texas Instruments Incorporated", actor="test-analyst", may_name_publicly=False,
        public_label="a manufacturer in the United States",
    )  # fmt: skip
    html = render_html(build_report(case, ReportRequest("item", "EX-MSL-001", public=True)))
    assert "Texas Instruments" not in html
    assert "a manufacturer in the United States" in html
    team = render_html(build_report(case, ReportRequest("item", "EX-MSL-001")))
    assert "Texas Instruments Incorporated" in team


@pytest.mark.parametrize("source", ["export", "snapshot"])
def test_parquet_alone_gives_hs_codes_and_map(case: Store, tmp_path: Path, source: str) -> None:
    from armtrace.analytics.snapshot import write_snapshot

    if source == "export":
        parquet = tmp_path / "facts.parquet"
        export(case, parquet)
    else:
        parquet = write_snapshot(case, tmp_path / "snap")
    request = ReportRequest("weapon_system", "KN-23")
    from_store = build_report(case, request)
    from_file = build_report(None, request, parquet=parquet)  # no store: the file alone
    assert [(c.name, c.hs_codes) for c in from_file.companies] == [
        (c.name, c.hs_codes) for c in from_store.companies
    ]
    assert any(c.hs_codes for c in from_file.companies)
    assert from_file.map.svg == from_store.map.svg and "<circle" in str(from_file.map.svg)
    assert from_file.map.provenance == from_store.map.provenance
