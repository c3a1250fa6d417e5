"""Parties come from the store: makers identified in readings, companies in custody chains."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from armtrace.markings.readings import identify_components
from armtrace.screening import collect_parties, load_list, run_screening, stored_matches
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from armtrace.store.tables_tracing import custody_transfers, transfer_components
from armtrace.tracing.custody import Transfer, TransferSpec, add_transfer
from sheetdata import rows, write_csv

ACTOR = "analyst@test"


def _documented(store: Store, tmp_path: Path) -> list[int]:
    import_sheet(store, write_csv(tmp_path / "s.csv", rows()), actor=ACTOR)
    identify_components(store)
    with store.engine.connect() as conn:
        return list(conn.execute(select(tables.components.c.id)).scalars())


def test_identified_makers_are_parties_and_real_makers_do_not_match_the_test_list(
    store: Store, tmp_path: Path, list_v1: Path
) -> None:
    _documented(store, tmp_path)
    parties = collect_parties(store)
    makers = {p.reference: p for p in parties if p.source == "manufacturer"}
    assert "analog-devices" in makers
    assert makers["analog-devices"].country == "US"
    load_list(store, list_v1, actor=ACTOR)
    run = run_screening(store, actor=ACTOR)
    assert run.parties == len(parties)
    assert [m for m in run.matches if m.party.source == "manufacturer"] == []


def _polar_star_transfer(store: Store, tmp_path: Path) -> Transfer:
    """Two documented components passed from a distributor to the listed Polar Star company."""
    component_ids = _documented(store, tmp_path)
    spec = TransferSpec(
        from_company="Legit Distribution GmbH (test)", from_country="DE",
        to_company="Polar Star Components Trading Co., Limited", to_country="HK",
        transfer_date=date(2023, 8, 2),
    )  # fmt: skip
    return add_transfer(store, spec, actor=ACTOR, component_ids=component_ids[:2])


def test_a_chain_company_is_screened_with_its_transfer_date(
    store: Store, tmp_path: Path, list_v1: Path
) -> None:
    _polar_star_transfer(store, tmp_path)
    load_list(store, list_v1, actor=ACTOR)
    run = run_screening(store, actor=ACTOR)
    (match,) = [m for m in run.matches if m.party.source == "custody-chain"]
    assert match.entity_id == "t-polar"
    assert match.party.transfer_date == date(2023, 8, 2)
    assert match.transfer_after_listing is True
    assert "after the listing on 2023-05-19" in match.timing


def test_the_exercise_list_flags_the_exercise_chain_buyer(store: Store, tmp_path: Path) -> None:
    from armtrace.screening import describe, load_exercise_list

    component_ids = _documented(store, tmp_path)
    spec = TransferSpec(
        from_company="Exercise Legit Distribution GmbH", from_country="DE",
        to_company="Exercise Northstar Components Trading Co., Limited", to_country="HK",
        transfer_date=date(2023, 9, 14),
    )  # fmt: skip
    add_transfer(store, spec, actor=ACTOR, component_ids=component_ids[:1])
    report = load_exercise_list(store, actor=ACTOR)
    assert report.changes is not None
    (match,) = report.changes.new
    assert match.entity_id == "ex-northstar" and match.exercise
    assert match.transfer_after_listing is True
    line = describe(match)
    assert "(EXERCISE data)" in line and "after the listing on 2023-05-19" in line
    assert load_exercise_list(store, actor=ACTOR).already_loaded


def test_results_of_a_party_that_left_the_store_are_cleared_on_rescreen(
    store: Store, tmp_path: Path, list_v1: Path
) -> None:
    transfer = _polar_star_transfer(store, tmp_path)
    load_list(store, list_v1, actor=ACTOR)  # screens the chain companies
    assert "t-polar" in {m.entity_id for m in stored_matches(store)}
    # The transfer leaves the store (no public call removes one yet, so the rows go directly):
    # its companies are no longer parties.
    with store.begin() as conn:
        conn.execute(
            delete(transfer_components).where(transfer_components.c.transfer_id == transfer.id)
        )
        conn.execute(delete(custody_transfers).where(custody_transfers.c.id == transfer.id))
    run = run_screening(store, actor=ACTOR)
    assert [g["entity_id"] for g in run.changes.gone] == ["t-polar"]
    stored = stored_matches(store, include_weak=True)
    assert [m for m in stored if m.party.source == "custody-chain"] == []
