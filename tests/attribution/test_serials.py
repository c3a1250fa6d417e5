"""Partial serial search over item and component markings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armtrace.attribution.serials import SerialSearchError, search_serials
from armtrace.cli.app import app
from armtrace.store import Store
from attribution.attribution_items import MISSILE, item, load, load_exercise


def test_batch_turns_up_in_other_incidents(store: Store) -> None:
    load_exercise(store)
    hits = search_serials(store, "9m22u")
    assert [h.item_key for h in hits] == ["EX-RKT-1977", "EX-RKT-0002"]  # by incident date
    assert all(h.component_key is None for h in hits)
    assert hits[0].place == "front line, Donetsk oblast (exercise)"


def test_component_lot_codes_and_separators(store: Store, tmp_path: Path) -> None:
    lot = [*MISSILE[:5], "ADXRS453BRGZ / LOT 2151-A07"]
    load(
        store, tmp_path,
        item("KH-0001", lot, item_markings="serial 001-8701"),
        item("KY-0003", MISSILE, item_markings="serial 001 8702", place="Kyiv", date="2024-01-06"),
    )  # fmt: skip
    hits = search_serials(store, "2151-a07")
    assert [(h.item_key, h.component_key) for h in hits] == [("KH-0001", "C6")]
    by_item = search_serials(store, "001-870")  # the dash also finds "001 870"
    assert [h.item_key for h in by_item] == ["KH-0001", "KY-0003"]
    assert search_serials(store, "NOT-THERE-999") == []


def test_wildcards_in_the_fragment_are_literal(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE, item_markings="serial 001-8701"))
    assert search_serials(store, "87%1") == []
    assert search_serials(store, "0_1-87") == []


def test_too_short_fragment(store: Store) -> None:
    with pytest.raises(SerialSearchError, match="too short"):
        search_serials(store, "7-")


def test_cli_serials_json(store_url: str, store: Store, tmp_path: Path) -> None:
    load_exercise(store)
    result = CliRunner().invoke(
        app, ["--db", store_url, "--evidence", str(tmp_path / "e"), "serials", "EXM-23", "--json"],
        catch_exceptions=False,
    )  # fmt: skip
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(hits) == 5 and {h["item_key"] for h in hits} >= {"EX-UAV-001", "EX-UAV-101"}
    assert all(set(h) >= {"item_key", "component_key", "text", "incident_date"} for h in hits)
