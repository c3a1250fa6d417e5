"""The screening API and page, in-process over the real app (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from armtrace.screening import load_list, run_screening
from armtrace.screening.model import Party
from armtrace.store import Store
from web.support import ClientFactory

EXERCISE = (
    Path(__file__).resolve().parents[2]
    / "src" / "armtrace" / "demo" / "data" / "exercise_sanctions.ftm.json"
)  # fmt: skip
NAME = "Exercise Northstar Components Trading Co., Limited"


def _screened(store: Store) -> str:
    load_list(store, EXERCISE, actor="setup")
    run = run_screening(store, actor="setup", names=[Party(NAME, "HK")])
    return run.matches[0].id


def test_api_reads_judges_and_refuses_viewers(store: Store, client_for: ClientFactory) -> None:
    match_id = _screened(store)
    viewer = client_for("viewer")
    assert viewer.get("/api/screening/matches").status_code == 403
    assert client_for(None).get("/api/screening/matches").status_code == 401
    analyst = client_for("analyst")
    (match,) = analyst.get("/api/screening/matches").json()["matches"]
    assert match["match_id"] == match_id and match["exercise"] is True
    answer = analyst.get("/api/screening/name", params={
        "name": "演习北极星元件贸易有限公司", "country": "HK", "date": "2023-01-10"})  # fmt: skip
    (checked,) = answer.json()["matches"]
    assert checked["transfer_after_listing"] is False
    done = analyst.post(f"/api/screening/matches/{match_id}/judgement",
                        json={"verdict": "match", "note": "same registration"})  # fmt: skip
    assert done.status_code == 200 and done.json()["actor"] == "analyst-user"
    bad = analyst.post(f"/api/screening/matches/{match_id}/judgement", json={"verdict": "maybe"})
    assert bad.status_code == 422
    missing = analyst.post("/api/screening/matches/ffffffffffffffff/judgement",
                           json={"verdict": "match"})  # fmt: skip
    assert missing.status_code == 404
    investigator = client_for("investigator")
    assert investigator.post(f"/api/screening/matches/{match_id}/judgement",
                             json={"verdict": "no-match"}).status_code == 403  # fmt: skip
    (after,) = analyst.get("/api/screening/matches").json()["matches"]
    assert after["judgement"]["verdict"] == "match"


def test_api_uploads_a_list_and_runs(store: Store, client_for: ClientFactory) -> None:
    analyst = client_for("analyst")
    with EXERCISE.open("rb") as handle:
        upload = {"file": ("exercise.ftm.json", handle, "application/json")}
        answer = analyst.post("/api/screening/lists", files=upload)
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"]["dataset"] == "armtrace_exercise"
    run = analyst.post("/api/screening/run", json={"names": [NAME], "country": "hk"}).json()
    assert [m["entity_id"] for m in run["changes"]["new"]] == ["ex-northstar"]
    (version,) = analyst.get("/api/screening/lists").json()["lists"]
    assert version["current"] is True


def test_page_shows_matches_and_records_a_verdict(store: Store, client_for: ClientFactory) -> None:
    match_id = _screened(store)
    analyst = client_for("analyst")
    page = analyst.get("/screening")
    assert page.status_code == 200
    assert NAME in page.text and "listed since 2023-05-19" in page.text
    assert "exercise" in page.text.lower()
    done = analyst.post(f"/screening/{match_id}/judge",
                        data={"verdict": "unsure", "note": "ask the registry",
                              "csrf_token": analyst.csrf_token}, follow_redirects=True)  # fmt: skip
    assert done.status_code == 200 and "unsure recorded" in done.text
    assert "ask the registry" in done.text
    checked = analyst.get("/screening", params={"name": "Exercise Northstar Components Ltd",
                                                "country": "HK"})  # fmt: skip
    assert "Screening “Exercise Northstar Components Ltd”" in checked.text
    assert client_for("viewer").get("/screening", follow_redirects=False).status_code in (
        303, 307, 403
    )  # fmt: skip
