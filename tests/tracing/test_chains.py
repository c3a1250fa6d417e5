"""Custody chains: transfers, grouping into batches, gaps, suggested and marked diversion."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from armtrace.audit import entries
from armtrace.errors import NotFound
from armtrace.store import Store, tables
from armtrace.tracing import transitions as t
from armtrace.tracing.chains import item_chains
from armtrace.tracing.custody import (
    TransferSpec,
    add_transfer,
    chain_companies,
    mark_diversion,
    unmark_diversion,
)
from armtrace.tracing.errors import TracingError
from tracing.support import ACTOR, SENT, Draft

TODAY = date(2024, 6, 1)
MAKER = "Analog Devices, Inc."
DIST = "Testfall Bauteile Vertrieb GmbH"
TRADER = "Testcase Harbour Trading Co., Limited"


def _answered(store: Store, draft: Draft) -> str:
    key = draft().key
    t.send(store, key, actor=ACTOR, on=SENT, today=TODAY)
    t.answer(store, key, text=f"Sold to {TRADER}.", actor=ACTOR, on=date(2024, 3, 20), today=TODAY)
    return key


def test_transfer_needs_an_answered_request(traced: Store, draft: Draft) -> None:
    key = draft().key
    spec = TransferSpec(DIST, TRADER, "DE", "HK", date(2023, 8, 14))
    with pytest.raises(TracingError, match="draft: a transfer can cite only an answered request"):
        add_transfer(traced, spec, actor=ACTOR, request=key)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (TransferSpec("", TRADER), "from company"),
        (TransferSpec(DIST, TRADER, "Deutschland"), "alpha-2"),
        (TransferSpec(DIST, "testfall bauteile vertrieb", "DE", "DE"), "to itself"),
    ],
)
def test_bad_transfers(traced: Store, spec: TransferSpec, message: str) -> None:
    with pytest.raises(TracingError, match=message):
        add_transfer(traced, spec, actor=ACTOR, item_key="KH-0001", component_keys=["C1"])
    with pytest.raises(TracingError, match="must name the components"):
        add_transfer(traced, TransferSpec(DIST, TRADER), actor=ACTOR)


def test_chain_from_maker_to_recovery_goes_dark(traced: Store, draft: Draft) -> None:
    key = _answered(traced, draft)
    add_transfer(
        traced,
        TransferSpec(MAKER, DIST, "US", "DE", date(2023, 6, 2)),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C3", "C4"],
    )
    second = add_transfer(
        traced, TransferSpec(DIST, TRADER, "DE", "HK", date(2023, 8, 14)), actor=ACTOR, request=key
    )
    assert second.component_ids  # defaulted to the request's components
    [chain] = item_chains(traced, "KH-0001")
    assert chain.component_keys == ("C3", "C4")
    assert [n.name for n in chain.nodes] == [MAKER, DIST, TRADER, "recovered: KH-0001, Kharkiv"]
    assert [n.role for n in chain.nodes] == ["maker", "custodian", "custodian", "recovery"]
    assert [link.transfer is not None for link in chain.links] == [True, True, False]
    suggestion = chain.suggestion
    assert suggestion is not None and suggestion.by == "goes-dark"
    assert suggestion.transfer_id == second.id and suggestion.last_legitimate_custodian == TRADER
    assert suggestion.link_index == 2
    assert chain.mark is None and chain.diversion == suggestion
    assert chain.as_json()["nodes"][0]["sanctions"]["screened"] in (True, False)


def test_components_with_different_histories_form_separate_chains(
    traced: Store, draft: Draft
) -> None:
    key = _answered(traced, draft)
    add_transfer(
        traced,
        TransferSpec(MAKER, DIST, "US", "DE", date(2023, 6, 2)),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C3", "C4"],
    )
    add_transfer(
        traced,
        TransferSpec(DIST, TRADER, "DE", "HK", date(2023, 8, 14)),
        actor=ACTOR,
        request=key,
        item_key="KH-0001",
        component_keys=["C4"],
    )
    chains = item_chains(traced, "KH-0001")
    assert sorted(ch.component_keys for ch in chains) == [("C3",), ("C4",)]
    short = next(ch for ch in chains if ch.component_keys == ("C3",))
    assert len(short.links) == 2 and short.suggestion is None  # no answer documents it


def test_gap_between_transfers_that_do_not_meet(traced: Store) -> None:
    for spec in (
        TransferSpec(MAKER, DIST, "US", "DE", date(2022, 1, 5)),
        TransferSpec("Unrelated Broker SARL", TRADER, "FR", "HK", None),
    ):
        add_transfer(traced, spec, actor=ACTOR, item_key="KH-0001", component_keys=["C1"])
    [chain] = item_chains(traced, "KH-0001")
    names = [n.name for n in chain.nodes]
    assert names[:4] == [MAKER, DIST, "Unrelated Broker SARL", TRADER]
    assert [link.transfer is not None for link in chain.links] == [True, False, True, False]
    assert chain.links[2].transfer is not None and chain.links[2].transfer.transfer_date is None


def test_untraced_item_has_no_chain_and_unknown_item_raises(traced: Store) -> None:
    assert item_chains(traced, "KH-0001") == []
    with pytest.raises(NotFound, match="KH-9"):
        item_chains(traced, "KH-9")


def test_analyst_mark_overrides_suggestion_and_is_audited(traced: Store, draft: Draft) -> None:
    key = _answered(traced, draft)
    first = add_transfer(
        traced,
        TransferSpec(MAKER, DIST, "US", "DE", date(2023, 6, 2)),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C3", "C4"],
    )
    add_transfer(
        traced, TransferSpec(DIST, TRADER, "DE", "HK", date(2023, 8, 14)), actor=ACTOR, request=key
    )
    with pytest.raises(TracingError, match="must be one of its parties"):
        mark_diversion(traced, first.id, last_legitimate_custodian=TRADER, actor=ACTOR)
    mark_diversion(traced, first.id, last_legitimate_custodian=MAKER, actor=ACTOR, note="re-export")
    [chain] = item_chains(traced, "KH-0001")
    assert chain.mark is not None and chain.mark.by == "analyst" and chain.mark.link_index == 0
    assert chain.diversion == chain.mark and chain.suggestion is not None
    unmark_diversion(traced, first.id, actor=ACTOR)
    assert item_chains(traced, "KH-0001")[0].mark is None
    with pytest.raises(NotFound):
        unmark_diversion(traced, first.id, actor=ACTOR)
    assert [e.action for e in entries(traced, entity="diversion_mark")] == ["unmark", "mark"]


def test_chain_companies_once_each_with_latest_receipt(traced: Store, draft: Draft) -> None:
    key = _answered(traced, draft)
    add_transfer(
        traced,
        TransferSpec(MAKER, DIST, "US", "DE", date(2023, 6, 2)),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C3"],
    )
    add_transfer(
        traced,
        TransferSpec(MAKER, DIST.upper(), "US", "DE", date(2023, 7, 1)),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C4"],
    )
    add_transfer(
        traced, TransferSpec(DIST, TRADER, "DE", "HK", date(2023, 8, 14)), actor=ACTOR, request=key
    )
    companies = {c.name: c for c in chain_companies(traced)}
    assert set(companies) == {MAKER, DIST, TRADER}
    assert companies[DIST].received_on == date(2023, 7, 1)
    assert companies[TRADER].country == "HK" and companies[MAKER].received_on is None
    assert len({c.key for c in companies.values()}) == 3


def test_transfer_document_is_evidence(traced: Store, tmp_path: object) -> None:
    from pathlib import Path

    doc = Path(str(tmp_path)) / "invoice.pdf"
    doc.write_bytes(b"%PDF-1.4 invoice")
    transfer = add_transfer(
        traced,
        TransferSpec(MAKER, DIST, "US", "DE"),
        actor=ACTOR,
        item_key="KH-0001",
        component_keys=["C2"],
        document=doc,
    )
    assert transfer.document_sha256 and traced.evidence.verify(transfer.document_sha256)
    with traced.engine.connect() as conn:
        known = conn.execute(select(tables.evidence.c.sha256)).scalars().all()
    assert transfer.document_sha256 in known
