"""The workspace in a real browser: log in, map, item with charts, upload, what viewers see."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from web.browser.support import DRAFT, PUBLISHED, SECRET_NOTE, Site, screenshot

PageFor = Callable[[str | None], Page]


def test_analyst_logs_in_and_sees_incidents_on_the_offline_map(
    page_as: PageFor, site: Site
) -> None:
    page = page_as("analyst")
    expect(page.locator("header .who")).to_contain_text("analyst-user")
    expect(page.locator(".exercise")).to_contain_text("EXERCISE DATA")
    expect(page.locator("#map")).to_have_attribute("data-ready", "11")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(11)
    outline = "document.querySelectorAll('#map path:not(.leaflet-interactive)').length"
    page.wait_for_function(f"{outline} > 150")  # the bundled world outline's countries
    assert page.locator("#map img.leaflet-tile").count() == 0  # no tile server configured
    screenshot(page, "map")
    page.locator("#map path.leaflet-interactive").last.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("EXERCISE DATA")
    popup.locator("a").last.click()
    expect(page.locator("main h1")).to_be_visible()
    assert "/items" in page.url


def test_item_page_shows_map_charts_sections_and_components(page_as: PageFor, site: Site) -> None:
    page = page_as("analyst")
    page.goto(f"{site.url}/items/{DRAFT}")
    expect(page.locator("h1")).to_contain_text(DRAFT)
    charts = page.locator("main svg[role=img]")
    expect(charts).to_have_count(4)  # the place map and three charts
    for title in ("Components by maker's headquarters country", "Date codes over time"):
        expect(page.locator("svg title", has_text=title)).to_have_count(1)
    expect(page.locator(".item-map svg circle")).to_have_count(1)
    expect(page.locator("table.components tbody tr")).to_have_count(286)
    expect(page.locator("h2", has_text="Summary")).to_be_visible()
    expect(page.get_by_role("button", name="Mark verified")).to_be_visible()
    screenshot(page, "item", height=2100)


def test_analyst_verifies_an_item_and_records_a_maker(page_as: PageFor, site: Site) -> None:
    page = page_as("analyst")
    page.goto(f"{site.url}/items/EX-MSL-004")
    page.get_by_role("button", name="Mark verified").click()
    expect(page.locator("p.ok")).to_have_text("EX-MSL-004 moved from draft to verified.")
    page.goto(f"{site.url}/items/EX-MSL-004/components/%2355")
    page.fill("#manufacturer", "Analog Devices")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("p.ok")).to_contain_text("recorded as made by Analog Devices, Inc.")
    expect(page.locator("dl.facts")).to_contain_text("Analog Devices, Inc.")
    screenshot(page, "component", height=1000)


def _sheet(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(**changes: str) -> dict[str, str]:
    row = {
        "incident_id": "EX-BROWSER-2024-02-01", "incident_date": "2024-02-01",
        "place": "Exercise town", "country": "UA", "latitude": "48.5", "longitude": "35.0",
        "item_id": "EX-BROWSER-1", "item_type": "UAV", "component_id": "",
        "marking": "STM32F405RGT6", "description": "microcontroller", "exercise": "yes",
    }  # fmt: skip
    return {**row, **changes}


def test_investigator_uploads_a_sheet_and_sees_row_errors_for_a_bad_one(
    page_as: PageFor, site: Site, tmp_path: Path
) -> None:
    page = page_as("investigator")
    page.goto(f"{site.url}/upload")
    bad = _sheet(
        tmp_path / "bad.csv",
        [_row(), _row(latitude="north"), _row(incident_date="2024-02-30", component_id="x")],
    )
    page.set_input_files("#sheet", str(bad))
    page.get_by_role("button", name="Upload and import").click()
    errors = page.locator("#outcome table.row-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("latitude")
    expect(errors.nth(0).locator("td").nth(1)).to_have_text("3")
    expect(page.locator("#progress")).to_have_attribute("value", "100")
    screenshot(page, "upload-errors", height=900)

    good = _sheet(tmp_path / "good.csv", [_row(), _row(marking="ADM3202ARNZ")])
    page.set_input_files("#sheet", str(good))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#outcome .ok")).to_contain_text("2 rows imported from good.csv")
    page.goto(f"{site.url}/items/EX-BROWSER-1")
    expect(page.locator("table.components tbody tr")).to_have_count(2)


def test_viewer_sees_published_findings_only_without_exact_places_or_notes(
    page_as: PageFor, site: Site
) -> None:
    page = page_as("viewer")
    expect(page.locator("nav a", has_text="Upload")).to_have_count(0)
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    page.goto(f"{site.url}/items/{DRAFT}")
    expect(page.locator("h1")).to_have_text("Not found")
    page.goto(f"{site.url}/items/{PUBLISHED}")
    expect(page.locator("h1")).to_contain_text(PUBLISHED)
    expect(page.locator("dl.facts")).to_contain_text("exact place withheld")
    content = page.content()
    assert SECRET_NOTE not in content
    assert "50.4501" not in content  # the exercise case's exact Kyiv coordinates
    expect(page.get_by_role("button", name="Mark verified")).to_have_count(0)
    screenshot(page, "viewer-item", height=900)
    page.goto(f"{site.url}/search?q=STM32")
    expect(page.locator("main")).to_contain_text(PUBLISHED)
    expect(page.locator("main")).not_to_contain_text(DRAFT)


def test_anonymous_upload_goes_to_login(page_as: PageFor, site: Site) -> None:
    page = page_as(None)
    page.goto(f"{site.url}/upload")
    expect(page).to_have_url(f"{site.url}/login?next=%2Fupload")


def test_reference_and_search_pages(page_as: PageFor, site: Site) -> None:
    page = page_as("analyst")
    page.goto(f"{site.url}/manufacturers/analog-devices")
    expect(page.locator("h1")).to_have_text("Analog Devices, Inc.")
    expect(page.locator("main svg[role=img]")).to_have_count(2)  # map and date-code timeline
    screenshot(page, "manufacturer", height=1100)
    page.fill("#q", "ADXRS453")
    page.keyboard.press("Enter")
    expect(page.locator("h2", has_text="Markings")).to_contain_text("Markings (")
    screenshot(page, "search", height=900)
