"""First sightings of item types, weapon systems, makers and production years in a country."""

from __future__ import annotations

import datetime
from pathlib import Path

from analysis.analysis_cases import DONETSK, GUIDANCE, KHARKIV, case_rows, item_rows, load_case
from armtrace.attribution.sightings import FirstSighting, first_sightings
from armtrace.store import Store

POLAND = {"incident_id": "PL-PR-2022-11-15", "incident_date": "2022-11-15", "country": "PL"}
EARLIER_DONETSK = {**DONETSK, "incident_id": "UA-DN-2023-05-02", "incident_date": "2023-05-02"}
UNDATED = {"incident_id": "UA-XX-UNDATED", "country": "UA"}


def _find(
    sightings: list[FirstSighting], aspect: str, value: str, country: str | None = "UA"
) -> list[FirstSighting]:
    wanted = (aspect, value.casefold(), country)
    return [s for s in sightings if (s.aspect, s.value.casefold(), s.country) == wanted]


def test_rocket_marked_1977_is_a_first_sighting(store: Store, tmp_path: Path) -> None:
    load_case(store, tmp_path)
    found = first_sightings(store)
    (year,) = _find(found, "production_year", "1977")
    assert (year.item_key, year.first_seen) == ("DN-0001", datetime.date(2024, 2, 10))
    (system,) = _find(found, "weapon_system", "BM-21 Grad")
    assert system.later_sightings == 0
    assert "theatre is the country" in system.why
    assert system.as_json()["first_seen"] == "2024-02-10"


def test_earliest_item_wins_and_later_ones_are_counted(store: Store, tmp_path: Path) -> None:
    earlier = item_rows(EARLIER_DONETSK, "DN-0000", [], item_type="artillery rocket",
                        item_markings="9M22U 1977", weapon_system="bm-21 grad")  # fmt: skip
    load_case(store, tmp_path, case_rows() + earlier)
    (system,) = _find(first_sightings(store), "weapon_system", "BM-21 Grad")
    assert (system.item_key, system.first_seen) == ("DN-0000", datetime.date(2023, 5, 2))
    assert system.later_sightings == 1
    assert system.value == "bm-21 grad"  # as the first item spelt it


def test_makers_are_first_seen_per_country(store: Store, tmp_path: Path) -> None:
    rows = case_rows() + item_rows(POLAND, "PL-0001", GUIDANCE[:2], item_type="UAV")
    load_case(store, tmp_path, rows)
    found = first_sightings(store)
    (poland,) = _find(found, "manufacturer", "Texas Instruments Incorporated", "PL")
    (ukraine,) = _find(found, "manufacturer", "Texas Instruments Incorporated", "UA")
    assert poland.first_seen == datetime.date(2022, 11, 15)
    assert (ukraine.item_key, ukraine.first_seen) == ("ZP-0031", datetime.date(2024, 3, 15))
    # An analyst's maker unknown to the registry is still a maker, named as entered.
    assert _find(found, "manufacturer", "Obscure Widget Works (fictitious)")


def test_since_keeps_only_recent_first_sightings(store: Store, tmp_path: Path) -> None:
    load_case(store, tmp_path)
    recent = first_sightings(store, since=datetime.date(2024, 5, 1))
    assert recent and all(
        s.first_seen and s.first_seen >= datetime.date(2024, 5, 1) for s in recent
    )
    assert not _find(recent, "weapon_system", "BM-21 Grad")  # first seen in February


def test_exercise_data_is_kept_apart(store: Store, tmp_path: Path) -> None:
    exercise = [{**r, "exercise": "yes"} for r in item_rows(
        {**KHARKIV, "incident_id": "EX-KH-2020"}, "EX-0001", [], item_type="artillery rocket",
        weapon_system="BM-21 Grad")]  # fmt: skip
    load_case(store, tmp_path, case_rows() + exercise)
    systems = _find(first_sightings(store), "weapon_system", "BM-21 Grad")
    assert sorted((s.exercise, s.item_key) for s in systems) == [
        (False, "DN-0001"), (True, "EX-0001")
    ]  # fmt: skip
    assert next(s for s in systems if s.exercise).why.startswith("EXERCISE DATA")


def test_undated_incident_never_beats_a_dated_one(store: Store, tmp_path: Path) -> None:
    undated = item_rows(UNDATED, "XX-0001", [], item_type="artillery rocket")
    load_case(store, tmp_path, case_rows() + undated)
    (rocket,) = _find(first_sightings(store), "item_type", "artillery rocket")
    assert rocket.item_key == "DN-0001" and rocket.later_sightings == 1


def test_empty_store_has_no_sightings(store: Store) -> None:
    assert first_sightings(store) == []
