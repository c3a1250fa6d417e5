"""The screening page in a real browser: an analyst reads a match's explanation and judges it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from armtrace.screening import Party, load_list, run_screening
from web.browser.support import Site

EXERCISE = (
    Path(__file__).resolve().parents[2]
    / "src" / "armtrace" / "demo" / "data" / "exercise_sanctions.ftm.json"
)  # fmt: skip
NAME = "Exercise Northstar Components Trading Co., Limited"


def test_analyst_judges_a_match_and_the_verdict_stays(
    page_as: Callable[[str | None], Page], site: Site
) -> None:
    load_list(site.store, EXERCISE, actor="browser-setup")
    run = run_screening(site.store, actor="browser-setup", names=[Party(NAME, "HK")])
    (match,) = [m for m in run.matches if m.entity_id == "ex-northstar"]
    page = page_as("analyst")
    page.goto(f"{site.url}/screening")
    row = page.locator(f"#match-{match.id}")
    expect(row).to_contain_text(NAME)
    expect(row.locator(".timing")).to_contain_text("listed since 2023-05-19")
    expect(row.locator(".why")).to_contain_text("distinctive words")
    expect(page.locator(".exercise").first).to_contain_text("EXERCISE")
    row.locator("select[name=verdict]").select_option("no-match")
    row.locator("input[name=note]").fill("different HK registration")
    row.locator("button[type=submit]").click()
    expect(page.locator(".message")).to_contain_text("no-match recorded")
    expect(page.locator(f"#match-{match.id} .verdict")).to_have_text("no-match")
    page.fill("input[name=name]", "演习北极星元件贸易有限公司")
    page.fill("input[name=country]", "HK")
    page.click("form.screen-name button[type=submit]")
    expect(page.locator("h2", has_text="Screening")).to_be_visible()
    expect(page.locator("table.screening-matches").first).to_contain_text(NAME)
