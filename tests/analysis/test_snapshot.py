"""Parquet snapshots and DuckDB: the same answers as counting straight from the store."""

from __future__ import annotations

import datetime
from importlib.resources import as_file, files
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select, update

from analysis.analysis_cases import load_case
from armtrace.analytics.snapshot import SnapshotError, connect, snapshot_info, write_snapshot
from armtrace.markings.readings import identify_components
from armtrace.reports.summary import Scope, summarise
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables

SCOPES = [
    Scope(),
    Scope(weapon_system="KN-23"),
    Scope(incident_key="UA-KH-2024-06-01"),
    Scope(item_key="KH-0108"),
    Scope(manufacturer_id="infineon"),
    Scope(country="UA", since=datetime.date(2024, 3, 1), until=datetime.date(2024, 3, 31)),
    Scope(country="PL"),
]


@pytest.fixture
def case(store: Store, tmp_path: Path) -> Store:
    load_case(store, tmp_path)
    return store


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s.describe())
def test_duckdb_and_store_give_identical_answers(case: Store, tmp_path: Path, scope: Scope) -> None:
    snapshot = write_snapshot(case, tmp_path / "snap", batch_size=5)  # several batches
    direct = summarise(case, scope, engine="store")
    duck = summarise(case, scope, snapshot=snapshot, engine="duckdb")
    assert (direct.engine, duck.engine) == ("store", "duckdb")
    assert duck.tally == direct.tally
    assert duck.sentence == direct.sentence


def test_identical_on_the_exercise_case(store: Store, tmp_path: Path) -> None:
    with as_file(files("armtrace.demo").joinpath("data", "exercise_case.csv")) as case:
        import_sheet(store, Path(case), exercise=True)
    identify_components(store)
    snapshot = write_snapshot(store, tmp_path / "snap")
    for scope in (Scope(), Scope(weapon_system="KN-24"), Scope(manufacturer_id="maxim")):
        direct = summarise(store, scope, engine="store")
        assert summarise(store, scope, snapshot=snapshot).tally == direct.tally
    assert direct.tally.components > 0


def test_snapshot_files_and_views(case: Store, tmp_path: Path) -> None:
    snapshot = write_snapshot(case, tmp_path / "snap")
    assert pq.read_metadata(snapshot / "components.parquet").num_rows == 21
    info = snapshot_info(snapshot)
    assert info["rows"] == {"components": 21, "items": 5, "incidents": 3}
    con = connect(snapshot)
    rows = con.execute(
        "SELECT i.item_key, count(c.component_id) FROM items i "
        "LEFT JOIN components c USING (item_key) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("DN-0001", 0), ("KH-0107", 12), ("KH-0108", 5), ("ZP-0031", 2),
                    ("ZP-0032", 2)]  # fmt: skip
    assert not list(tmp_path.glob("snap/*.partial"))


def test_published_only_snapshot(case: Store, tmp_path: Path) -> None:
    with case.begin() as conn:
        conn.execute(update(tables.items).where(tables.items.c.key == "KH-0108")
                     .values(state="published"))  # fmt: skip
    snapshot = write_snapshot(case, tmp_path / "snap", published_only=True)
    assert snapshot_info(snapshot)["rows"]["items"] == 1
    duck = summarise(case, Scope(), snapshot=snapshot)
    assert duck.tally.components == 5
    assert duck.tally == summarise(case, Scope(published_only=True), engine="store").tally


def test_empty_store_snapshot(store: Store, tmp_path: Path) -> None:
    snapshot = write_snapshot(store, tmp_path / "snap")
    summary = summarise(store, Scope(), snapshot=snapshot)
    assert summary.tally.components == 0 and summary.engine == "duckdb"
    assert summary.tally == summarise(store, Scope()).tally


def test_missing_snapshot_says_what_to_do(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="armtrace snapshot"):
        summarise(store, Scope(), snapshot=tmp_path / "nowhere")


def test_snapshot_carries_marking_description_and_coordinates(case: Store, tmp_path: Path) -> None:
    inc, comp = tables.incidents, tables.components
    with case.engine.connect() as conn:
        places = {k: (lat, lon) for k, lat, lon in conn.execute(
            select(inc.c.key, inc.c.latitude, inc.c.longitude))}  # fmt: skip
        texts = {tuple(row) for row in conn.execute(select(comp.c.marking, comp.c.description))}
    snapshot = write_snapshot(case, tmp_path / "snap")
    con = connect(snapshot)
    got = con.execute("SELECT incident_key, latitude, longitude FROM incidents").fetchall()
    assert {k: (lat, lon) for k, lat, lon in got} == places
    assert any(lat is not None for lat, _ in places.values())
    assert set(con.execute("SELECT marking, description FROM components").fetchall()) == texts


def test_published_snapshot_leaves_out_other_incidents_and_public_rounds(
    case: Store, tmp_path: Path
) -> None:
    it, inc = tables.items, tables.incidents
    with case.begin() as conn:
        conn.execute(update(it).where(it.c.key == "KH-0108").values(state="published"))
        conn.execute(update(inc).values(latitude=49.98765, longitude=36.23456))
    published = connect(write_snapshot(case, tmp_path / "pub", published_only=True))
    assert published.execute(
        "SELECT incident_key, latitude, longitude FROM incidents"
    ).fetchall() == [("UA-KH-2024-06-01", 49.98765, 36.23456)]
    public = write_snapshot(case, tmp_path / "public", public=True)
    assert snapshot_info(public)["published_only"] and snapshot_info(public)["public"]
    rows = connect(public).execute("SELECT latitude, longitude FROM incidents").fetchall()
    assert rows == [(50.0, 36.2)]
