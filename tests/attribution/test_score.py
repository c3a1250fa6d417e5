"""Weapon-system attribution: ranked candidates, ties, and no guess when nothing compares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armtrace.attribution.score import attribute
from armtrace.cli.app import app
from armtrace.errors import NotFound
from armtrace.store import Store
from attribution.attribution_items import MISSILE, UAV, item, load, load_exercise


def test_exercise_missile_is_kn23_or_kn24(store: Store) -> None:
    load_exercise(store)
    result = attribute(store, "EX-MSL-001")
    assert result.tied == ("KN-23", "KN-24")
    assert "KN-23 or KN-24" in result.reason
    assert [c.closest_item for c in result.candidates[:2]] == ["EX-MSL-101", "EX-MSL-102"]


def test_exercise_uav_and_rocket(store: Store) -> None:
    load_exercise(store)
    uav = attribute(store, "EX-UAV-003")  # one substitute flash chip
    assert uav.tied == ("Shahed-136 / Geran-2",)
    rocket = attribute(store, "EX-RKT-0002")  # no electronics: the plant code decides
    assert rocket.candidates[0].weapon_system.startswith("BM-21")
    assert "9M22U" in rocket.candidates[0].why


def test_ranks_the_system_that_shares_the_parts(store: Store, tmp_path: Path) -> None:
    load(
        store, tmp_path,
        item("REF-KN23", MISSILE, system="KN-23"),
        item("REF-SHAHED", UAV, system="Geran-2", item_type="one-way attack UAV"),
        item("UAV-ODESA", UAV[:10], item_type="one-way attack UAV", place="Odesa"),
    )  # fmt: skip
    result = attribute(store, "UAV-ODESA")
    best = result.candidates[0]
    assert best.weapon_system == "Shahed-136 / Geran-2"  # "Geran-2" folded to the vocabulary
    assert [c.weapon_system for c in result.candidates] == ["Shahed-136 / Geran-2"]
    names = {f.name for f in best.features}
    assert {"parts", "makers", "item_type", "dates"} <= names
    assert "10 of its 10 part numbers are on REF-SHAHED" in best.why
    assert result.library_items == 2


def test_empty_library_gives_no_candidates(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE), item("KH-0002", MISSILE))
    result = attribute(store, "KH-0001")
    assert result.candidates == () and result.tied == ()
    assert "reference library is empty" in result.reason


def test_nothing_comparable_is_not_a_guess(store: Store, tmp_path: Path) -> None:
    load(
        store, tmp_path,
        item("REF-KN23", MISSILE, system="KN-23"),
        # same item type, one shared part: not enough to name a system
        item("KH-0009", [MISSILE[0], *UAV[:5]]),
    )  # fmt: skip
    result = attribute(store, "KH-0009")
    assert result.candidates == ()
    assert result.reason.startswith("nothing comparable")


def test_a_remarked_part_does_not_move_the_dates(store: Store, tmp_path: Path) -> None:
    remarked = [*MISSILE]
    remarked[3] = "XC7A35T / 0415"  # re-marked with a 2004 date code over a 2021 part
    load(
        store, tmp_path,
        item("REF-KN23", MISSILE, system="KN-23"),
        item("KH-0010", remarked),
    )  # fmt: skip
    best = attribute(store, "KH-0010").candidates[0]
    dates = next(f for f in best.features if f.name == "dates")
    assert best.weapon_system == "KN-23"
    assert dates.score == 1.0 and "2020-2022" in dates.why


def test_reference_item_is_left_out_of_its_own_library(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("REF-KN23", MISSILE, system="KN-23"))
    result = attribute(store, "REF-KN23")
    assert result.candidates == () and "library is empty" in result.reason


def test_unknown_item(store: Store) -> None:
    with pytest.raises(NotFound, match="NO-SUCH"):
        attribute(store, "NO-SUCH")


def test_cli_json_contract(store_url: str, store: Store, tmp_path: Path) -> None:
    load_exercise(store)
    result = CliRunner().invoke(
        app, ["--db", store_url, "--evidence", str(tmp_path / "ev"), "attribute", "EX-MSL-002",
              "--json"], catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) >= {"candidates", "tied", "reason"}
    first = document["candidates"][0]
    assert set(first) >= {"weapon_system", "score", "why"} and 0 < first["score"] <= 1
    assert document["tied"] == ["KN-23", "KN-24"]


def test_two_shared_parts_among_many_are_too_weak(store: Store, tmp_path: Path) -> None:
    load(
        store, tmp_path,
        item("REF-KN23", MISSILE, system="KN-23"),
        item("KH-0011", [*MISSILE[:2], *UAV[:10]]),  # two guidance parts among ten others
    )  # fmt: skip
    result = attribute(store, "KH-0011")
    assert result.candidates == ()
    assert result.reason.startswith("too weak to attribute: the closest system, KN-23")
