"""The search page: part numbers, serials, makers and places, for each audience."""

from __future__ import annotations

import pytest

from armtrace.markings.readings import identify_components
from armtrace.store import Store, tables
from web.support import ClientFactory, RoleClient, SampleCase

NO_MARKING = "No identified part number starts with it"


def section(html: str, heading: str) -> str:
    return html.split(f"<h2>{heading}", 1)[1].split("<h2>", 1)[0]


@pytest.fixture
def identified(store: Store, sample_case: SampleCase) -> SampleCase:
    identify_components(store)
    return sample_case


def test_part_number_search_is_case_insensitive_and_links_components(
    analyst_client: RoleClient, identified: SampleCase
) -> None:
    found = section(analyst_client.get("/search?q=adm3202").text, "Markings")
    assert f"/items/{identified.published}/components/C1" in found
    assert f"/items/{identified.draft}/components/C1" in found
    assert "/manufacturers/analog-devices" in found
    assert "STM32" not in found


def test_wildcards_in_the_query_are_taken_literally(
    analyst_client: RoleClient, identified: SampleCase
) -> None:
    for query in ("%25%25%25%25%25", "_____", "kh-0%25"):
        html = analyst_client.get(f"/search?q={query}").text
        assert NO_MARKING in section(html, "Markings")
        assert "No place matches." in section(html, "Places")


def test_maker_and_place_search(analyst_client: RoleClient, identified: SampleCase) -> None:
    makers = section(analyst_client.get("/search?q=texas").text, "Makers")
    assert "/manufacturers/texas-instruments" in makers
    places = section(analyst_client.get("/search?q=kharkiv").text, "Places")
    assert f"/items?incident={identified.incident}" in places


def test_serial_search_finds_item_markings(
    analyst_client: RoleClient, identified: SampleCase
) -> None:
    serials = section(analyst_client.get("/search?q=guidance").text, "Serials")
    assert f'<a href="/items/{identified.published}">' in serials
    assert f'<a href="/items/{identified.draft}">' in serials


def test_public_search_finds_published_items_only(
    client_for: ClientFactory, identified: SampleCase
) -> None:
    for role in (None, "viewer"):
        client = client_for(role)
        html = client.get("/search?q=adm3202").text
        assert f"/items/{identified.published}/components/C1" in html
        assert identified.draft not in html
        assert identified.draft not in client.get("/search?q=guidance").text


def test_exercise_hits_raise_the_banner(
    store: Store, analyst_client: RoleClient, identified: SampleCase
) -> None:
    assert "EXERCISE DATA" not in analyst_client.get("/search?q=kharkiv").text
    with store.begin() as conn:
        conn.execute(tables.incidents.update().values(exercise=True))
    assert "EXERCISE DATA" in analyst_client.get("/search?q=kharkiv").text
    assert "EXERCISE DATA" in analyst_client.get("/search?q=adm3202").text


def test_short_and_empty_queries(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    assert "at least 2 characters" in analyst_client.get("/search?q=a").text
    assert "Search part numbers" in analyst_client.get("/search").text
