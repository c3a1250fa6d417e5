"""An item's "assembled no earlier than" bound, robust to one misread or remarked part."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from analysis.analysis_cases import KHARKIV, REMARKED, item_rows, load_case
from armtrace.dating.items import item_dating
from armtrace.errors import NotFound
from armtrace.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> Store:
    load_case(store, tmp_path)
    return store


def test_bound_needs_two_independent_parts(case: Store) -> None:
    dating = item_dating(case, "KH-0107")
    # MAX2769 and ADXRS453 both carry 2301 (week 1 of 2023): two part numbers agree.
    assert dating.assembled_not_before == datetime.date(2023, 1, 2)
    assert dating.robust
    assert {s.part_number for s in dating.set_by} == {"MAX2769ETI+", "ADXRS453BRGZ"}
    assert dating.runner_up == datetime.date(2022, 8, 15)  # IRF7416, 2233
    assert dating.outliers == () and dating.conflicts == ()
    assert dating.dated_components >= 9
    assert dating.as_json()["assembled_not_before"] == "2023-01-02"


def test_remarked_part_far_later_is_flagged_not_trusted(case: Store) -> None:
    dating = item_dating(case, "KH-0108")
    # ADXRS453 marked 2420 (May 2024) among parts from 2019-2020: the bound ignores it.
    assert dating.assembled_not_before == datetime.date(2020, 5, 11)  # ISO7241C, 2020
    assert [s.component for s in dating.outliers] == ["C05"]
    assert any("possibly misread or remarked" in c for c in dating.conflicts)


def test_same_part_number_twice_is_one_source(store: Store, tmp_path: Path) -> None:
    # Two ISO7241C from one reel agree with each other, not independently with anything else.
    parts = [p for p in REMARKED if p[1].startswith(("ISO7241C", "ADM3202"))]
    load_case(store, tmp_path, item_rows(KHARKIV, "KH-0200", parts))
    dating = item_dating(store, "KH-0200")
    assert dating.assembled_not_before == datetime.date(2019, 4, 8)  # ADM3202, 1915
    assert [s.part_number for s in dating.outliers] == ["ISO7241C", "ISO7241C"]


def test_no_date_codes_gives_no_bound_and_says_why(case: Store) -> None:
    dating = item_dating(case, "ZP-0031")
    assert dating.assembled_not_before is None
    assert "none of the 2 components carries a readable date code" in dating.why


def test_item_marking_alone_is_a_single_source(case: Store) -> None:
    dating = item_dating(case, "DN-0001")  # BM-21 rocket marked 1977, no components
    assert dating.assembled_not_before == datetime.date(1977, 1, 1)
    assert not dating.robust
    assert "one source only" in dating.why


def test_item_year_older_than_its_parts_is_a_conflict(store: Store, tmp_path: Path) -> None:
    rows = item_rows(KHARKIV, "KH-0300", REMARKED[:3], item_markings="1998")
    load_case(store, tmp_path, rows)
    dating = item_dating(store, "KH-0300")
    # The parts say 2019 at least; the item says it was made in 1998.
    assert dating.assembled_not_before == datetime.date(2019, 11, 25)
    assert any("marked '1998'" in c for c in dating.conflicts)


def test_ambiguous_item_years_are_a_conflict(store: Store, tmp_path: Path) -> None:
    load_case(store, tmp_path, item_rows(KHARKIV, "KP-0001", [], item_markings="1977 / 112"))
    dating = item_dating(store, "KP-0001")
    assert dating.assembled_not_before == datetime.date(1977, 1, 1)
    assert any("several years" in c for c in dating.conflicts)


def test_juche_year_on_an_item_counts(store: Store, tmp_path: Path) -> None:
    parts = REMARKED[:2]
    load_case(store, tmp_path, item_rows(KHARKIV, "KP-0002", parts, item_markings="주체 112"))
    dating = item_dating(store, "KP-0002")
    # Juche 112 = 2023, later than both parts (2019): the parts set the bound; the item year is
    # the single latest source, so it is shown as an outlier rather than trusted alone.
    assert dating.assembled_not_before == datetime.date(2019, 11, 25)
    assert [s.component for s in dating.outliers] == ["item markings"]


def test_serial_numbers_are_not_read_as_years(case: Store) -> None:
    dating = item_dating(case, "KH-0107")  # markings "serial 107-5531": not Juche 107
    assert all(s.component != "item markings" for s in dating.set_by + dating.outliers)


def test_unknown_item(case: Store) -> None:
    with pytest.raises(NotFound, match="KH-9999"):
        item_dating(case, "KH-9999")
