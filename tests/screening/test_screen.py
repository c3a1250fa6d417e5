"""Screening against a stored list: scripts, listing dates, judgements, re-screening."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from armtrace.audit import entries
from armtrace.errors import NotFound
from armtrace.screening import (
    Party,
    judge,
    load_list,
    matches_for,
    run_screening,
    screen_parties,
    stored_matches,
)
from armtrace.screening.errors import ScreeningError
from armtrace.store import Store

ACTOR = "analyst@test"


@pytest.mark.parametrize(
    ("name", "country", "entity_id"),
    [
        ("Polar Star Components Trading Company Ltd", "HK", "t-polar"),
        ("北极星元件贸易有限公司", "HK", "t-polar"),  # Simplified; the list has Traditional
        ("Severnaja Zvezda Trade LLC", "RU", "t-severnaya"),
        ("ООО «Северная Звезда Трейд»", None, "t-severnaya"),
    ],
)
def test_names_in_other_scripts_and_spellings_match(
    store: Store, list_v1: Path, name: str, country: str | None, entity_id: str
) -> None:
    load_list(store, list_v1, actor=ACTOR)
    found = matches_for(store, name, country=country)
    assert [m.entity_id for m in found] == [entity_id]
    match = found[0]
    assert match.is_match and match.name == name
    assert match.party_name_compared == name
    assert match.why  # the sentences reach the user
    assert {f.name for f in match.features} >= {"name_similarity", "distinctive_similarity"}


@pytest.mark.parametrize(
    "name", ["Hong Kong Electronics Trading Co., Limited", "Polaris Components Trading Limited"]
)
def test_generic_words_and_near_misses_do_not_match(store: Store, list_v1: Path, name: str) -> None:
    load_list(store, list_v1, actor=ACTOR)
    assert matches_for(store, name, country="HK") == []


def test_an_identifier_matches_whatever_the_name(store: Store, list_v1: Path) -> None:
    load_list(store, list_v1, actor=ACTOR)
    party = Party("Unrelated Name Ltd", "RU", identifiers=("1157746000000",))
    found = screen_parties(store, [party])
    assert [m.entity_id for m in found] == ["t-severnaya"]
    assert "identifier registrationNumber:1157746000000" in found[0].why


@pytest.mark.parametrize(
    ("transfer", "after", "words"),
    [
        (date(2023, 8, 2), True, "on or after the listing on 2023-05-19"),
        (date(2023, 5, 19), True, "on or after the listing"),
        (date(2023, 5, 18), False, "before the listing on 2023-05-19"),
        (None, None, "transfer date unknown"),
    ],
)
def test_a_transfer_is_placed_before_or_after_the_listing(
    store: Store, list_v1: Path, transfer: date | None, after: bool | None, words: str
) -> None:
    load_list(store, list_v1, actor=ACTOR)
    (match,) = matches_for(
        store, "Polar Star Components Trading Co Ltd", country="HK", transfer_date=transfer
    )
    assert match.listed_since == date(2023, 5, 19)
    assert match.transfer_after_listing is after
    assert words in match.timing
    assert match.as_json()["transfer_after_listing"] is after


def test_unknown_listing_date_stays_unknown(store: Store, list_v1: Path) -> None:
    load_list(store, list_v1, actor=ACTOR)
    (match,) = matches_for(store, "Kestrel Microwave Inc", country="US",
                           transfer_date=date(2024, 1, 1))  # fmt: skip
    assert match.listed_since is None and match.transfer_after_listing is None
    assert match.timing == "listing date unknown"


def test_screening_without_a_list_says_so(store: Store) -> None:
    with pytest.raises(ScreeningError, match="no sanctions list loaded"):
        matches_for(store, "Anything Ltd")
    with pytest.raises(ScreeningError, match="armtrace screen load"):
        run_screening(store, actor=ACTOR)


def _parties() -> list[Party]:
    return [
        Party("Polar Star Components Trading Company Ltd", "HK", transfer_date=date(2023, 8, 2)),
        Party("Kestrel Microwave Limited Liability Company", "US"),
        Party("Amberline Devices AG", "DE"),
        Party("Orbitalis Components", "HK"),
        Party("Veltraco Components", "TR"),
    ]


def test_rescreening_reports_only_what_changed(store: Store, list_v1: Path, list_v2: Path) -> None:
    load_list(store, list_v1, actor=ACTOR)
    first = run_screening(store, actor=ACTOR, names=_parties())
    assert {m.entity_id for m in first.changes.new} == {"t-polar", "t-kestrel", "t-veltraco"}
    again = run_screening(store, actor=ACTOR)  # same list, same parties: nothing to report
    assert again.changes.empty and len(again.matches) == 3
    report = load_list(store, list_v2, actor=ACTOR)  # re-screens the stored parties
    changes = report.changes
    assert changes is not None
    assert [m.entity_id for m in changes.new] == ["t-amberline"]
    assert [g["entity_id"] for g in changes.gone] == ["t-kestrel"]
    assert [m.entity_id for m in changes.crossed_up] == ["t-orbitalis"]
    assert [m.entity_id for m in changes.crossed_down] == ["t-veltraco"]
    assert {m.entity_id for m in stored_matches(store)} == {
        "t-polar", "t-amberline", "t-orbitalis"
    }  # fmt: skip
    assert "t-veltraco" in {m.entity_id for m in stored_matches(store, include_weak=True)}


def test_judgements_are_audited_and_survive_rescreening(
    store: Store, list_v1: Path, list_v2: Path
) -> None:
    load_list(store, list_v1, actor=ACTOR)
    run = run_screening(store, actor=ACTOR, names=_parties())
    polar = next(m for m in run.matches if m.entity_id == "t-polar")
    judged = judge(store, polar.id, "unsure", actor=ACTOR, note="check the HK registry")
    judge(store, polar.id, "match", actor="lead@test", note="same registration")
    assert judged.verdict == "unsure"
    load_list(store, list_v2, actor=ACTOR)
    (after,) = [m for m in stored_matches(store) if m.entity_id == "t-polar"]
    assert after.id == polar.id
    assert after.judgement is not None and after.judgement.verdict == "match"
    assert after.judgement.actor == "lead@test"
    assert after.score == polar.score  # a judgement never changes a score
    (live,) = matches_for(store, "Polar Star Components Trading Company Ltd", country="HK")
    assert live.judgement is not None and live.judgement.verdict == "match"
    log = entries(store, entity="screening_match", entity_key=polar.id)
    assert [(e.actor, (e.after or {})["verdict"]) for e in log] == [
        ("lead@test", "match"), (ACTOR, "unsure")
    ]  # fmt: skip
    assert log[0].before is not None and log[0].before["verdict"] == "unsure"


def test_judging_an_unknown_match_or_with_a_bad_verdict_fails(store: Store, list_v1: Path) -> None:
    load_list(store, list_v1, actor=ACTOR)
    run = run_screening(store, actor=ACTOR, names=_parties())
    with pytest.raises(NotFound, match="screen run"):
        judge(store, "0000000000000000", "match", actor=ACTOR)
    with pytest.raises(ScreeningError, match="match, no-match, unsure"):
        judge(store, run.matches[0].id, "maybe", actor=ACTOR)
    assert entries(store, entity="screening_match") == []
