"""Identification, reference, search and analysis routes, and what viewers never see there."""

from __future__ import annotations

from armtrace.markings.readings import identify_components
from armtrace.store import Store
from web.support import RoleClient, SampleCase


def test_identify_gives_the_cli_json(anon_client: RoleClient) -> None:
    answer = anon_client.post("/api/identify", json={"markings": ["ADM3202 ARNZ / #2135", "zz"]})
    assert answer.status_code == 200
    first, unknown = answer.json()
    assert first["input"] == "ADM3202 ARNZ / #2135"
    assert first["manufacturer_id"] == "analog-devices" and first["country"] == "US"
    assert set(first) >= {"part_number", "parent", "date_code", "confidence", "why"}
    assert unknown["manufacturer"] is None and unknown["why"]
    assert anon_client.post("/api/identify", json={"markings": []}).status_code == 422


def test_manufacturer_record_and_where_its_parts_turned_up(
    store: Store, anon_client: RoleClient, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    public = anon_client.get("/api/manufacturers/analog-devices").json()
    assert public["country"] == "US" and public["sources"][0]["url"].startswith("http")
    assert [f["item"] for f in public["found_in"]] == [sample_case.published]
    full = analyst_client.get("/api/manufacturers/analog-devices").json()
    assert {f["item"] for f in full["found_in"]} == {sample_case.published, sample_case.draft}
    assert anon_client.get("/api/manufacturers/no-such-maker").status_code == 404
    listing = anon_client.get("/api/manufacturers", params={"country": "us", "limit": 5}).json()
    assert len(listing["manufacturers"]) == 5 and listing["next_offset"] == 5


def test_where_seen_and_search_keep_drafts_from_viewers(
    store: Store, viewer_client: RoleClient, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    seen = viewer_client.get("/api/where-seen", params={"marking": "ADM3202"}).json()
    assert {s["item"] for s in seen} == {sample_case.published}
    assert all(s.get("withheld") is None or "notes" not in s["withheld"] for s in seen)
    seen_all = analyst_client.get("/api/where-seen", params={"marking": "ADM3202"}).json()
    assert {s["item"] for s in seen_all} == {sample_case.published, sample_case.draft}
    hits = viewer_client.get("/api/search", params={"q": "ADM3202"}).json()
    assert [h["item"] for h in hits["markings"]] == [sample_case.published]
    hits = viewer_client.get("/api/search", params={"q": "KH-000"}).json()
    assert [h["item"] for h in hits["serials"]] == [sample_case.published]
    places = viewer_client.get("/api/search", params={"q": "kharkiv"}).json()["places"]
    assert [p["incident"] for p in places] == [sample_case.incident]
    makers = viewer_client.get("/api/search", params={"q": "analog", "kinds": "makers"}).json()
    assert makers["makers"][0]["id"] == "analog-devices" and "places" not in makers
    bad = viewer_client.get("/api/search", params={"q": "x", "kinds": "people"})
    assert bad.status_code == 400


def test_nothing_a_viewer_gets_holds_notes_exact_coordinates_or_drafts(
    store: Store, viewer_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    exact = (str(sample_case.latitude), str(sample_case.longitude))
    for url in ("/api/items", f"/api/items/{sample_case.published}", "/api/incidents",
                f"/api/incidents/{sample_case.incident}", "/api/search?q=KH",
                f"/api/items/{sample_case.published}/components/C1",
                "/api/where-seen?marking=STM32F407", "/api/summary"):  # fmt: skip
        answer = viewer_client.get(url)
        assert answer.status_code == 200, url
        body = answer.text
        assert sample_case.draft not in body, url
        assert sample_case.component_note not in body and sample_case.draft_note not in body, url
        assert exact[0] not in body and exact[1] not in body, url


def test_summary_and_dating_follow_visibility(
    store: Store, viewer_client: RoleClient, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    public = viewer_client.get("/api/summary").json()
    full = analyst_client.get("/api/summary").json()
    assert (public["components"], full["components"]) == (4, 6)
    assert viewer_client.get("/api/summary", params={"item": sample_case.draft}).status_code == 404
    dated = analyst_client.get(f"/api/items/{sample_case.draft}/dating")
    assert dated.status_code == 200 and "assembled_not_before" in dated.json()
    assert viewer_client.get(f"/api/items/{sample_case.draft}/dating").status_code == 404
    assert viewer_client.get(f"/api/items/{sample_case.draft}/attribution").status_code == 404
    assert viewer_client.get(f"/api/items/{sample_case.draft}/links").status_code == 404


def test_links_attribution_and_judgements(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    ranked = analyst_client.get(f"/api/items/{sample_case.published}/attribution")
    assert ranked.status_code == 200 and "candidates" in ranked.json()
    assert analyst_client.get(f"/api/items/{sample_case.published}/links").status_code == 200
    verdict = {"item_a": sample_case.published, "item_b": sample_case.draft, "verdict": "same"}
    made = analyst_client.post("/api/links/judgements", json=verdict)
    assert made.status_code == 201, made.text
    clusters = analyst_client.get("/api/links").json()
    assert any({sample_case.published, sample_case.draft} <= set(c["items"]) for c in clusters)
    assert analyst_client.get("/api/first-sightings").status_code == 200


def test_audit_trail_over_http(admin_client: RoleClient, sample_case: SampleCase) -> None:
    log = admin_client.get("/api/audit", params={"entity": "item"}).json()
    assert [e["after"] for e in log[:2]] == [{"state": "published"}, {"state": "verified"}]
    assert admin_client.get("/api/audit/verify").json()["ok"] is True
