"""Browsers get the error page for a refused or missing page; the API keeps answering JSON."""

from __future__ import annotations

from armtrace.accounts.roles import Role
from web.support import ClientFactory, SampleCase

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_forbidden_page_renders_the_error_page_for_a_browser(client_for: ClientFactory) -> None:
    answer = client_for(Role.VIEWER).get("/upload", headers=HTML)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>Not allowed</h1>" in answer.text
    assert "your role (viewer) may not do this" in answer.text


def test_missing_page_renders_the_error_page(client_for: ClientFactory) -> None:
    anonymous = client_for(None)
    answer = anonymous.get("/no-such-page", headers=HTML)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in answer.text
    unknown_maker = anonymous.get("/manufacturers/no-such-maker", headers=HTML)
    assert unknown_maker.status_code == 404
    assert unknown_maker.headers["content-type"].startswith("text/html")


def test_incomplete_form_renders_the_error_page(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    analyst = client_for(Role.ANALYST)
    url = f"/items/{sample_case.draft}/state"
    answer = analyst.post(url, data={"csrf_token": analyst.csrf_token or ""}, headers=HTML)
    assert answer.status_code == 422
    assert "<h1>Could not read the request</h1>" in answer.text
    assert "state: Field required" in answer.text


def test_api_keeps_json_even_when_html_is_accepted(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    viewer = client_for(Role.VIEWER)
    refused = viewer.post("/api/incidents", json={"key": "X-1"}, headers=HTML)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json"
    assert "may not do this" in refused.json()["detail"]
    missing = viewer.get(f"/api/items/{sample_case.draft}", headers=HTML)
    assert missing.status_code == 404 and "detail" in missing.json()
    invalid = viewer.get("/api/items?limit=0", headers=HTML)
    assert invalid.status_code == 422 and isinstance(invalid.json()["detail"], list)


def test_scripts_without_html_accept_keep_json_on_pages(client_for: ClientFactory) -> None:
    answer = client_for(Role.VIEWER).get("/upload", headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.json()["detail"].startswith("your role (viewer)")


def test_anonymous_page_request_still_goes_to_login(client_for: ClientFactory) -> None:
    answer = client_for(None).get("/upload", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
