"""Manufacturer and weapon-system pages, and the lists of them."""

from __future__ import annotations

import pytest

from armtrace.markings.readings import identify_components
from armtrace.store import Store, tables
from web.support import ClientFactory, RoleClient, SampleCase


@pytest.fixture
def identified(store: Store, sample_case: SampleCase) -> SampleCase:
    identify_components(store)
    return sample_case


def test_manufacturer_page_has_record_sources_and_where_parts_turned_up(
    analyst_client: RoleClient, identified: SampleCase
) -> None:
    page = analyst_client.get("/manufacturers/analog-devices")
    assert page.status_code == 200
    html = page.text
    assert "Analog Devices" in html and "United States (US)" in html
    assert "https://" in html.split("<h2>Sources</h2>", 1)[1]
    turned_up = html.split("Where its parts turned up", 1)[1]
    assert f"/items/{identified.published}" in turned_up
    assert f"/items/{identified.draft}" in turned_up
    assert "ADM3202" in turned_up
    assert "date codes over time</title>" in html


def test_owner_chain_links_the_current_owner(
    analyst_client: RoleClient, identified: SampleCase
) -> None:
    html = analyst_client.get("/manufacturers/maxim").text
    chain = html.split("Owner chain", 1)[1].split("</dd>", 1)[0]
    assert '<a href="/manufacturers/analog-devices">' in chain


def test_public_manufacturer_page_counts_published_items_only(
    client_for: ClientFactory, identified: SampleCase
) -> None:
    html = client_for(None).get("/manufacturers/analog-devices").text
    assert f"/items/{identified.published}" in html
    assert identified.draft not in html
    listing = client_for(None).get("/manufacturers").text
    assert "/manufacturers/analog-devices" in listing


def test_unknown_manufacturer_is_a_404(analyst_client: RoleClient, identified: SampleCase) -> None:
    assert analyst_client.get("/manufacturers/no-such-maker").status_code == 404


def test_weapon_system_page_lists_attributed_items(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    with store.begin() as conn:
        conn.execute(
            tables.items.update()
            .where(tables.items.c.key == sample_case.published)
            .values(weapon_system="KN-23")
        )
    page = analyst_client.get("/weapon-systems/kn_23")
    assert page.status_code == 200
    assert "KN-23" in page.text and "Hwasong-11" in page.text
    assert f"/items/{sample_case.published}" in page.text
    assert sample_case.draft not in page.text
    assert '<a href="/weapon-systems/kn_24">' in page.text
    supply = page.text.split("Supply chain of items named KN-23", 1)[1]
    assert 'class="sentence"' in supply
    listing = analyst_client.get("/weapon-systems").text
    row = listing.split('href="/weapon-systems/kn_23"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">1</td>' in row
    item = analyst_client.get(f"/items/{sample_case.published}").text
    assert 'href="/weapon-systems/kn_23"' in item
    assert analyst_client.get("/weapon-systems/nope").status_code == 404
