"""The item page: components, charts, map, sections, and the analyst's verification buttons."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from armtrace.audit import entries
from armtrace.markings.readings import identify_components
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from sheetdata import rows, write_csv
from web.support import ClientFactory, RoleClient, SampleCase


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed (they must be well-formed XML)."""
    found = []
    start = html.find("<svg")
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(html[start:end]))
        start = html.find("<svg", end)
    return found


def titles(html: str) -> list[str]:
    return ["".join(el.itertext()) for svg in svgs(html) for el in svg if el.tag.endswith("title")]


def test_item_page_shows_components_identification_charts_and_map(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    page = analyst_client.get(f"/items/{sample_case.published}")
    assert page.status_code == 200
    html = page.text
    for part in ("ADM3202", "STM32F407", "MAX2769", "TPS7A4501"):
        assert part in html
    assert "Analog Devices" in html and "Texas Instruments" in html
    assert "/manufacturers/analog-devices" in html
    shown = titles(html)
    assert "Components by maker's headquarters country" in shown
    assert "Components by maker" in shown
    assert "Date codes over time" in shown
    assert f"Where {sample_case.published} was documented" in shown
    country_chart = next(s for s in svgs(html) if "headquarters country" in "".join(s.itertext()))
    assert "United States (US)" in "".join(country_chart.itertext())


def test_item_page_sections_render(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    html = analyst_client.get(f"/items/{sample_case.published}").text
    for heading in ("Summary", "Dating", "Attribution", "Links to other items"):
        assert f"<h2>{heading}</h2>" in html
    section = html.split("<h2>Summary</h2>", 1)[1].split("<h2>", 1)[0]
    assert 'class="sentence"' in section


def test_exercise_banner_only_on_pages_with_exercise_records(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    assert "EXERCISE DATA" not in analyst_client.get(f"/items/{sample_case.published}").text
    with store.begin() as conn:
        conn.execute(tables.incidents.update().values(exercise=True))
    assert "EXERCISE DATA" in analyst_client.get(f"/items/{sample_case.published}").text
    assert "EXERCISE DATA" in analyst_client.get("/").text


def test_analyst_moves_an_item_through_states_and_it_is_audited(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    page = analyst_client.get(f"/items/{sample_case.draft}")
    assert "Mark verified" in page.text and "Mark published" not in page.text
    answer = analyst_client.post(
        f"/items/{sample_case.draft}/state",
        data={"state": "verified", "csrf_token": analyst_client.csrf_token},
    )
    assert answer.status_code == 200
    assert f"{sample_case.draft} moved from draft to verified." in answer.text
    (entry,) = entries(store, entity="item", entity_key=sample_case.draft, limit=1)
    assert entry.actor == "analyst-user"
    assert entry.before == {"state": "draft"} and entry.after == {"state": "verified"}


def test_a_state_move_out_of_order_is_refused_with_the_reason(
    analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    answer = analyst_client.post(f"/items/{sample_case.draft}/state", data={"state": "published"})
    assert answer.status_code == 409
    assert "it can move to verified, not to published" in answer.text


def test_state_change_needs_the_csrf_token_and_the_judge_permission(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    analyst = client_for("analyst")
    del analyst.headers["X-CSRF-Token"]
    refused = analyst.post(f"/items/{sample_case.draft}/state", data={"state": "verified"})
    assert refused.status_code == 403
    investigator = client_for("investigator")
    answer = investigator.post(f"/items/{sample_case.draft}/state", data={"state": "verified"})
    assert answer.status_code == 403
    anonymous = client_for(None).post(
        f"/items/{sample_case.draft}/state", data={"state": "verified"}, follow_redirects=False
    )
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_unknown_item_is_a_404_page(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    answer = analyst_client.get("/items/NO-SUCH-ITEM")
    assert answer.status_code == 404
    assert "There is no item NO-SUCH-ITEM here" in answer.text


def test_markup_in_records_is_escaped(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    hostile = '<script>alert("x")</script>'
    with store.begin() as conn:
        conn.execute(tables.components.update().values(description=hostile))
        conn.execute(tables.incidents.update().values(place=hostile))
    for path in (f"/items/{sample_case.published}", "/", "/search?q=script"):
        html = analyst_client.get(path).text
        assert hostile not in html
        assert "&lt;script&gt;" in html


LINK_PARTS = ("ADM3202ARNZ", "STM32F407VGT6", "MAX2769ETI+", "TPS7A4501", "ADXRS453BRGZ", "LM358DR")


def test_analyst_judges_a_link_and_the_verdict_shows(
    store: Store, analyst_client: RoleClient, tmp_path: Path
) -> None:
    twins = [
        {**rows()[0], "item_id": item, "component_id": f"P{n}", "marking": part}
        for item in ("LN-0001", "LN-0002")
        for n, part in enumerate(LINK_PARTS)
    ]
    import_sheet(store, write_csv(tmp_path / "twins.csv", twins), actor="test-setup")
    identify_components(store)
    page = analyst_client.get("/items/LN-0001").text
    links = page.split("<h2>Links to other items</h2>", 1)[1].split("<h2>", 1)[0]
    assert '<a href="/items/LN-0002">' in links and "none yet" in links
    answer = analyst_client.post(
        "/items/LN-0001/links/LN-0002", data={"verdict": "same", "note": "same harness layout"}
    )
    assert answer.status_code == 200
    assert "Recorded: LN-0001 is the same build as LN-0002." in answer.text
    judged = answer.text.split("<h2>Links to other items</h2>", 1)[1].split("<h2>", 1)[0]
    assert "none yet" not in judged and "same" in judged
    (entry,) = entries(store, limit=1)
    assert entry.actor == "analyst-user" and entry.after is not None
    assert "same harness layout" in str(entry.after)
    refused = analyst_client.post("/items/LN-0001/links/LN-0002", data={"verdict": "maybe"})
    assert refused.status_code == 400 and "verdict" in refused.text
