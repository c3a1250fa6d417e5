"""What anonymous visitors and viewers can and cannot see on the pages (both stores)."""

from __future__ import annotations

import json
import re

import pytest

from web.support import ClientFactory, RoleClient, SampleCase


def map_points(html: str) -> list[dict[str, object]]:
    found = re.search(r'data-points="([^"]*)"', html)
    assert found, "the map page carries its points"
    raw = found.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
    points: list[dict[str, object]] = json.loads(raw)
    return points


@pytest.mark.parametrize("role", [None, "viewer"])
def test_public_map_shows_published_incidents_with_rounded_coordinates(
    client_for: ClientFactory, sample_case: SampleCase, role: str | None
) -> None:
    page = client_for(role).get("/")
    assert page.status_code == 200
    (point,) = map_points(page.text)
    assert point["item_count"] == 1 and point["first_item"] == sample_case.published
    assert point["latitude"] == 50.0 and point["longitude"] == 36.2
    assert "49.9935" not in page.text and "36.2304" not in page.text
    assert sample_case.draft not in page.text


def test_investigator_map_has_exact_coordinates_and_drafts(
    investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    (point,) = map_points(investigator_client.get("/").text)
    assert point["latitude"] == sample_case.latitude
    assert point["item_count"] == 2 and point["first_item"] == sample_case.published


@pytest.mark.parametrize("role", [None, "viewer"])
def test_draft_item_reads_as_missing_for_the_public(
    client_for: ClientFactory, sample_case: SampleCase, role: str | None
) -> None:
    client = client_for(role)
    for path in (f"/items/{sample_case.draft}", f"/items/{sample_case.draft}/components/C1"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert sample_case.draft_note not in answer.text
    assert sample_case.draft not in client.get("/items").text
    assert sample_case.draft not in client.get("/search?q=KH-").text


@pytest.mark.parametrize("role", [None, "viewer"])
def test_published_item_withholds_notes_and_exact_place(
    client_for: ClientFactory, sample_case: SampleCase, role: str | None
) -> None:
    client = client_for(role)
    item = client.get(f"/items/{sample_case.published}")
    assert item.status_code == 200
    assert "ADM3202" in item.text
    assert "Officer Ivanenko" not in item.text
    assert "49.9935" not in item.text and "exact place withheld" in item.text
    component = client.get(f"/items/{sample_case.published}/components/C1")
    assert component.status_code == 200
    assert "Officer Ivanenko" not in component.text
    assert "Record the analyst" not in component.text  # no judging form for the public


def test_investigator_sees_notes_and_exact_coordinates(
    investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    component = investigator_client.get(f"/items/{sample_case.published}/components/C1")
    assert "Officer Ivanenko" in component.text
    item = investigator_client.get(f"/items/{sample_case.draft}")
    assert item.status_code == 200
    assert "49.9935, 36.2304" in item.text
    assert "Mark verified" not in item.text  # investigators document; analysts judge


def test_upload_page_sends_the_public_to_login(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    answer = client_for(None).get("/upload", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fupload"
    assert client_for("viewer").get("/upload").status_code == 403
