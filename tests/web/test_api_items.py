"""Items, incidents and components through the API: reads per audience, edits, states."""

from __future__ import annotations

from armtrace.audit import entries, verify_chain
from armtrace.store import Store
from web.support import ClientFactory, RoleClient, SampleCase


def test_viewer_sees_published_items_only(
    viewer_client: RoleClient, sample_case: SampleCase
) -> None:
    page = viewer_client.get("/api/items").json()
    assert [item["key"] for item in page["items"]] == [sample_case.published]
    assert viewer_client.get(f"/api/items/{sample_case.draft}").status_code == 404


def test_analyst_sees_drafts_with_exact_coordinates(
    analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    page = analyst_client.get("/api/items").json()
    assert {item["key"] for item in page["items"]} == {sample_case.published, sample_case.draft}
    item = analyst_client.get(f"/api/items/{sample_case.draft}").json()
    assert item["incident"]["latitude"] == sample_case.latitude
    assert item["components"][0]["notes"] == sample_case.draft_note
    assert "withheld" not in item


def test_public_item_has_rounded_coordinates_and_no_notes(
    anon_client: RoleClient, sample_case: SampleCase
) -> None:
    item = anon_client.get(f"/api/items/{sample_case.published}").json()
    assert item["incident"]["latitude"] == round(sample_case.latitude, 1)
    assert item["incident"]["longitude"] == round(sample_case.longitude, 1)
    assert "latitude (rounded to 0.1 degree)" in item["incident"]["withheld"]
    assert all(part["notes"] is None for part in item["components"])
    assert sample_case.component_note not in str(item)
    assert len(item["components"]) == 4


def test_item_list_filters_and_pages(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    first = analyst_client.get("/api/items", params={"limit": 1}).json()
    assert [i["key"] for i in first["items"]] == [sample_case.published]
    assert first["next_offset"] == 1
    second = analyst_client.get("/api/items", params={"limit": 1, "offset": 1}).json()
    assert [i["key"] for i in second["items"]] == [sample_case.draft]
    assert second["next_offset"] is None
    drafts = analyst_client.get("/api/items", params={"state": "draft"}).json()
    assert [i["key"] for i in drafts["items"]] == [sample_case.draft]
    assert analyst_client.get("/api/items", params={"country": "PL"}).json()["items"] == []
    assert analyst_client.get("/api/items", params={"limit": 0}).status_code == 422


def test_state_transitions_are_audited(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    url = f"/api/items/{sample_case.draft}/state"
    refused = analyst_client.post(url, json={"state": "published"})
    assert refused.status_code == 400
    assert "can move to verified" in refused.json()["detail"]
    assert analyst_client.post(url, json={"state": "verified"}).json()["state"] == "verified"
    assert analyst_client.post(url, json={"state": "published"}).json()["before"] == "verified"
    moves = entries(store, entity="item", entity_key=sample_case.draft)
    assert [(e.before, e.after, e.actor) for e in moves[:2]] == [
        ({"state": "verified"}, {"state": "published"}, "analyst-user"),
        ({"state": "draft"}, {"state": "verified"}, "analyst-user"),
    ]
    assert verify_chain(store).ok


def test_investigator_cannot_publish(
    investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    answer = investigator_client.post(
        f"/api/items/{sample_case.draft}/state", json={"state": "verified"}
    )
    assert answer.status_code == 403


def test_document_an_item_by_hand(
    store: Store, investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    client = investigator_client
    made = client.post("/api/incidents", json={
        "key": "UA-OD-2024-03-01", "incident_date": "2024-03-01", "place": "Odesa",
        "country": "ua", "latitude": 46.48, "longitude": 30.72,
    })  # fmt: skip
    assert made.status_code == 201, made.text
    assert client.post("/api/items", json={"key": "OD-1", "incident": "UA-OD-2024-03-01",
                                           "item_type": "UAV"}).status_code == 201  # fmt: skip
    part = client.post("/api/items/OD-1/components", json={"key": "C1", "marking": "MAX2769"})
    assert part.status_code == 201
    edited = client.patch("/api/items/OD-1/components/C1", json={"description": "GNSS front end"})
    assert edited.status_code == 200
    got = client.get("/api/items/OD-1/components/C1").json()
    assert (got["marking"], got["description"], got["item_state"]) == (
        "MAX2769",
        "GNSS front end",
        "draft",
    )
    assert client.get("/api/incidents/UA-OD-2024-03-01").json()["country"] == "UA"
    actions = {e.action for e in entries(store, limit=20)}
    assert {"incident.create", "item.create", "component.create", "component.edit"} <= actions


def test_bad_edits_are_refused_with_reasons(
    investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    client = investigator_client
    dup = client.post(
        "/api/items", json={"key": sample_case.draft, "incident": sample_case.incident}
    )
    assert dup.status_code == 400 and "exists already" in dup.json()["detail"]
    far = client.post("/api/incidents", json={"key": "X", "latitude": 123.0})
    assert far.status_code == 400 and "latitude" in far.json()["detail"]
    nowhere = client.post("/api/items", json={"key": "Y", "incident": "no-such-incident"})
    assert nowhere.status_code == 404
    ghost_photo = client.patch(
        f"/api/items/{sample_case.draft}/components/C1", json={"photo_sha256": "a" * 64}
    )
    assert ghost_photo.status_code == 400 and "upload the photo" in ghost_photo.json()["detail"]


def test_manufacturer_judgement_is_audited(
    store: Store, client_for: ClientFactory, sample_case: SampleCase
) -> None:
    url = f"/api/items/{sample_case.published}/components/C1/manufacturer"
    assert (
        client_for("investigator").put(url, json={"manufacturer": "Analog Devices"}).status_code
        == 403
    )
    answer = client_for("analyst").put(url, json={"manufacturer": "Analog Devices"})
    assert answer.status_code == 200
    [entry] = entries(store, entity="component", entity_key=f"{sample_case.published}/C1")
    assert entry.action == "component.judge_manufacturer"
    assert entry.after == {"manufacturer": "Analog Devices"}
    assert entry.actor == "analyst-user"


def test_incidents_hide_unpublished_ones(
    anon_client: RoleClient, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    analyst_client.post(f"/api/items/{sample_case.published}/state", json={"state": "draft"})
    assert anon_client.get("/api/incidents").json()["incidents"] == []
    assert anon_client.get(f"/api/incidents/{sample_case.incident}").status_code == 404
    assert len(analyst_client.get("/api/incidents").json()["incidents"]) == 1


def test_manufacturer_judgement_keeps_the_analysts_note(
    store: Store, client_for: ClientFactory, sample_case: SampleCase
) -> None:
    url = f"/api/items/{sample_case.published}/components/C4/manufacturer"
    body = {"manufacturer": "Texas Instruments", "note": "TI logo on the package"}
    answer = client_for("analyst").put(url, json=body)
    assert answer.status_code == 200, answer.text
    [entry] = entries(store, entity="component", entity_key=f"{sample_case.published}/C4")
    assert entry.after == {"manufacturer": "Texas Instruments", "note": "TI logo on the package"}
    too_long = client_for("analyst").put(url, json={**body, "note": "x" * 2001})
    assert too_long.status_code == 422
