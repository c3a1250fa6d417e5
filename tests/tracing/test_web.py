"""Tracing over HTTP: permissions, the workflow through the API, public chains redacted, pages."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from armtrace.accounts.roles import Role
from armtrace.store import Store
from armtrace.workflow import set_item_state

Clients = Callable[[Role | None], TestClient]
DIST = "Testfall Bauteile Vertrieb GmbH"
TRADER = "Testcase Harbour Trading Co., Limited"


def _workflow(analyst: TestClient) -> str:
    made = analyst.post(
        "/api/trace/requests",
        json={
            "recipient_name": DIST,
            "recipient_kind": "distributor",
            "recipient_country": "DE",
            "item_key": "KH-0001",
            "component_keys": ["C3", "C4"],
        },
    )
    assert made.status_code == 201, made.text
    key = str(made.json()["key"])
    assert (
        analyst.post(f"/api/trace/requests/{key}/send", json={"on": "2024-03-01"}).json()["state"]
        == "sent"
    )
    answered = analyst.post(
        f"/api/trace/requests/{key}/answer", json={"on": "2024-03-20", "text": f"Sold to {TRADER}."}
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    moved = analyst.post(
        "/api/trace/transfers",
        json={
            "from_company": DIST,
            "from_country": "DE",
            "to_company": TRADER,
            "to_country": "HK",
            "transfer_date": "2023-08-14",
            "request": key,
        },
    )
    assert moved.status_code == 201, moved.text
    terms = analyst.post(
        "/api/trace/terms",
        json={
            "company_name": DIST,
            "may_name_publicly": False,
            "company_kind": "distributor",
            "company_country": "DE",
        },
    )
    assert terms.json()["public_label"] == "a distributor in Germany"
    return key


def test_roles_and_workflow(traced: Store, client_as: Clients) -> None:
    anonymous, viewer = client_as(None), client_as(Role.VIEWER)
    investigator, analyst = client_as(Role.INVESTIGATOR), client_as(Role.ANALYST)
    assert anonymous.get("/api/trace/requests").status_code == 401
    assert viewer.get("/api/trace/requests").status_code == 403
    refused = investigator.post(
        "/api/trace/requests",
        json={
            "recipient_name": "X",
            "recipient_kind": "distributor",
            "item_key": "KH-0001",
            "component_keys": ["C1"],
        },
    )
    assert refused.status_code == 403
    key = _workflow(analyst)
    listed = investigator.get(
        "/api/trace/requests", params={"overdue": True, "as_of": "2024-03-30"}
    )
    assert listed.json() == []  # answered in time
    illegal = analyst.post(f"/api/trace/requests/{key}/send", json={})
    assert illegal.status_code == 400 and "cannot send" in illegal.json()["detail"]
    assert analyst.get("/api/trace/requests/TR-0404").status_code == 404
    letter = investigator.get(f"/api/trace/requests/{key}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")
    companies = investigator.get("/api/trace/companies").json()
    assert {c["name"] for c in companies} == {DIST, TRADER}


def test_public_chain_is_redacted_and_needs_a_published_item(
    traced: Store, client_as: Clients
) -> None:
    analyst, anonymous = client_as(Role.ANALYST), client_as(None)
    _workflow(analyst)
    assert anonymous.get("/api/trace/chains/KH-0001").status_code == 404  # still a draft
    team = analyst.get("/api/trace/chains/KH-0001").json()
    assert DIST in str(team)
    set_item_state(traced, "KH-0001", "verified", actor="test")
    set_item_state(traced, "KH-0001", "published", actor="test")
    public = anonymous.get("/api/trace/chains/KH-0001")
    assert public.status_code == 200
    assert DIST not in public.text and "a distributor in Germany" in public.text
    assert TRADER in public.text
    svg = anonymous.get("/api/trace/chains/KH-0001/0.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert DIST not in svg.text and "a distributor in Germany" in svg.text
    assert anonymous.get("/api/trace/chains/KH-0001/5.svg").status_code == 404
    page = anonymous.get("/items/KH-0001/chain")
    assert page.status_code == 200 and "<svg" in page.text and DIST not in page.text
    assert "Point of diversion" in page.text


def test_request_pages_and_form_step(traced: Store, client_as: Clients) -> None:
    analyst, viewer = client_as(Role.ANALYST), client_as(Role.VIEWER)
    key = _workflow(analyst)
    listing = analyst.get("/trace")
    assert listing.status_code == 200 and key in listing.text and DIST in listing.text
    assert viewer.get("/trace").status_code == 403
    page = analyst.get(f"/trace/{key}")
    assert "Sold to" in page.text and "Record a step" in page.text
    token = analyst.headers["X-CSRF-Token"]
    step = analyst.post(
        f"/trace/{key}/step",
        data={"action": "reply-summary", "text": "Summary.", "csrf_token": token},
        follow_redirects=False,
    )
    assert step.status_code == 303
    assert "reply_sent" in analyst.get(f"/trace/{key}").text
    wrong = analyst.post(f"/trace/{key}/step", data={"action": "send", "csrf_token": token})
    assert wrong.status_code == 409 and "cannot send" in wrong.text


def test_forms_create_a_request_record_a_transfer_and_terms(
    traced: Store, client_as: Clients
) -> None:
    analyst, investigator = client_as(Role.ANALYST), client_as(Role.INVESTIGATOR)
    token = analyst.headers["X-CSRF-Token"]
    form = analyst.get("/trace/new", params={"item": "KH-0001"})
    assert (
        form.status_code == 200 and "MAX2769" in form.text and "To whom did you sell" in form.text
    )
    assert investigator.get("/trace/new", params={"item": "KH-0001"}).status_code == 403
    empty = analyst.post(
        "/trace/new",
        data={
            "item": "KH-0001",
            "recipient_name": DIST,
            "recipient_kind": "distributor",
            "csrf_token": token,
        },
    )
    assert empty.status_code == 409 and "at least one component" in empty.text
    made = analyst.post(
        "/trace/new",
        data={
            "item": "KH-0001",
            "recipient_name": DIST,
            "recipient_kind": "distributor",
            "recipient_country": "de",
            "component": ["C3", "C4"],
            "questions": "Who bought it?",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    key = made.headers["location"].split("/trace/")[1].split("?")[0]
    request = analyst.get(f"/api/trace/requests/{key}").json()
    assert request["questions"] == ["Who bought it?"] and request["recipient"]["country"] == "DE"
    analyst.post(f"/api/trace/requests/{key}/send", json={"on": "2024-03-01"})
    analyst.post(f"/api/trace/requests/{key}/answer", json={"on": "2024-03-02", "text": "Sold."})
    moved = analyst.post(
        f"/trace/{key}/transfer",
        data={
            "from_company": DIST,
            "from_country": "DE",
            "to_company": TRADER,
            "to_country": "HK",
            "transfer_date": "2023-08-14",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    bad = analyst.post(
        f"/trace/{key}/transfer",
        data={
            "from_company": DIST,
            "to_company": TRADER,
            "transfer_date": "14/08/2023",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 409
    terms = analyst.post(
        f"/trace/{key}/terms", data={"named": "no", "csrf_token": token}, follow_redirects=False
    )
    assert terms.status_code == 303
    page = analyst.get(f"/trace/{key}").text
    assert "a distributor in Germany" in page and "2023-08-14" in page
    no_csrf = client_as(Role.ADMIN)
    del no_csrf.headers["X-CSRF-Token"]
    assert no_csrf.post(f"/trace/{key}/terms", data={"named": "yes"}).status_code == 403
