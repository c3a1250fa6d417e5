"""Exports read back by the tools that consume them: pyarrow/pandas, GeoJSON readers, FtM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from followthemoney import model
from shapely.geometry import shape
from sqlalchemy import func, select

from armtrace.exports import ExportError, export, export_format
from armtrace.store import Store, tables
from armtrace.tracing.disclosure import set_terms
from exports.exercise_case import load_exercise, publish


@pytest.fixture
def case(store: Store) -> Store:
    loaded: Store = load_exercise(store)
    return loaded


def _count(store: Store, where: Any = None) -> int:
    comp, it = tables.components, tables.items
    query = select(func.count()).select_from(comp.join(it, it.c.id == comp.c.item_id))
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _rows(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.CSV", ".csv"), ("b.ftm.json", ".ftm.json"), ("c.geojson", ".geojson"),
     ("d.parquet", ".parquet"), ("e.xlsx", ".xlsx")],
)  # fmt: skip
def test_format_comes_from_the_name(name: str, kind: str) -> None:
    assert export_format(Path(name)) == kind


@pytest.mark.parametrize("name", ["a.json", "b.txt", "noext", "c.ftm"])
def test_unknown_format_is_refused_with_the_choices(name: str) -> None:
    with pytest.raises(ExportError, match=r"\.geojson, \.parquet, \.ftm\.json"):
        export_format(Path(name))


def test_parquet_reads_back_one_row_per_component(case: Store, tmp_path: Path) -> None:
    result = export(case, tmp_path / "components.parquet")
    table = pq.read_table(tmp_path / "components.parquet")
    frame = table.to_pandas()
    assert result.records == table.num_rows == _count(case)
    assert frame["exercise"].all()
    # Identification travels with the component: maker, company at the time, HQ, date code.
    ti = frame[frame["maker_id"] == "texas-instruments"]
    assert not ti.empty and set(ti["company_country"]) == {"US"}
    assert frame["date_latest"].notna().sum() > 0
    per_item = frame.groupby("item_key").size().to_dict()
    assert per_item["EX-MSL-102"] == _count(store=case, where=tables.items.c.key == "EX-MSL-102")


def test_public_parquet_carries_published_items_only(case: Store, tmp_path: Path) -> None:
    empty = export(case, tmp_path / "none.parquet", public=True)
    assert empty.records == 0 and pq.read_table(tmp_path / "none.parquet").num_rows == 0
    publish(case, "EX-MSL-101")
    export(case, tmp_path / "pub.parquet", public=True)
    frame = pd.read_parquet(tmp_path / "pub.parquet")
    assert set(frame["item_key"]) == {"EX-MSL-101"}
    assert len(frame) == _count(case, tables.items.c.key == "EX-MSL-101")
    assert set(frame["item_state"]) == {"published"}
    assert not {"notes", "photo_sha256"} & set(frame.columns)
    # Coordinates travel (a report can draw its map) but only rounded to 0.1 degree.
    exact = _coordinates(case, "EX-MSL-101")
    assert exact and any(round(v, 1) != v for pair in exact for v in pair)
    shown = set(zip(frame["latitude"], frame["longitude"], strict=True))
    assert shown == {(round(lat, 1), round(lon, 1)) for lat, lon in exact}


def _coordinates(store: Store, item_key: str) -> set[tuple[float, float]]:
    inc, it = tables.incidents, tables.items
    query = (
        select(inc.c.latitude, inc.c.longitude)
        .join(it, it.c.incident_id == inc.c.id)
        .where(it.c.key == item_key, inc.c.latitude.is_not(None))
    )
    with store.engine.connect() as conn:
        return {(float(lat), float(lon)) for lat, lon in conn.execute(query)}


def test_team_parquet_carries_marking_description_and_exact_place(
    case: Store, tmp_path: Path
) -> None:
    export(case, tmp_path / "team.parquet")
    frame = pd.read_parquet(tmp_path / "team.parquet")
    comp, it = tables.components, tables.items
    with case.engine.connect() as conn:
        stored = {
            (item, key): (marking, description)
            for item, key, marking, description in conn.execute(
                select(it.c.key, comp.c.key, comp.c.marking, comp.c.description).join(
                    it, it.c.id == comp.c.item_id
                )
            )
        }
    assert len(stored) == len(frame)
    table = pq.read_table(tmp_path / "team.parquet").to_pylist()  # None stays None (not NaN)
    for row in table:
        assert (row["marking"], row["description"]) == stored[
            (row["item_key"], row["component_key"])
        ]
    assert frame["description"].notna().sum() > 0
    exact = _coordinates(case, "EX-MSL-101")
    mine = frame[frame["item_key"] == "EX-MSL-101"]
    assert set(zip(mine["latitude"], mine["longitude"], strict=True)) == exact
    assert mine["place"].notna().all()


def _geojson(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        if feature["geometry"] is not None:
            point = shape(feature["geometry"])  # a GeoJSON reader: shapely
            assert point.geom_type == "Point" and point.is_valid
            assert -180 <= point.x <= 180 and -90 <= point.y <= 90
    return data


def test_geojson_has_incidents_and_items_as_points(case: Store, tmp_path: Path) -> None:
    result = export(case, tmp_path / "all.geojson")
    data = _geojson(tmp_path / "all.geojson")
    kinds = [f["properties"]["kind"] for f in data["features"]]
    incidents, items = _rows(case, tables.incidents), _rows(case, tables.items)
    assert (kinds.count("incident"), kinds.count("item")) == (incidents, items)
    assert result.records == incidents + items
    kharkiv = next(f for f in data["features"] if f["id"] == "item:EX-MSL-001")
    assert kharkiv["geometry"]["coordinates"] == [36.2304, 49.9935]  # [lon, lat], exact
    props = kharkiv["properties"]
    assert props["components"] == _count(case, tables.items.c.key == "EX-MSL-001")
    assert props["exercise"] is True and props["incident_date"] == "2024-01-02"
    assert 0 < props["identified"] <= props["components"]
    reference = next(f for f in data["features"] if f["id"] == "incident:EX-REFERENCE-2023-12-30")
    assert {"KN-23", "KN-24"} <= set(reference["properties"]["weapon_systems"])


def test_public_geojson_rounds_places_and_hides_drafts(case: Store, tmp_path: Path) -> None:
    publish(case, "EX-MSL-004")
    export(case, tmp_path / "pub.geojson", public=True)
    data = _geojson(tmp_path / "pub.geojson")
    ids = {f["id"] for f in data["features"]}
    assert ids == {"incident:EX-KHARKIV-2024-01-23", "item:EX-MSL-004"}
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (36.2, 50.0)  # 36.2419, 50.0053 rounded to 0.1 degree


def _entities(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract
        assert schema.validate(data) is None, data  # FtM's own validation
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.id == data["id"]
    ids = {data["id"] for data in entities}
    for data in entities:  # every entity reference points at an entity in the file
        proxy = model.get_proxy(data, cleaned=False)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (data["schema"], prop.name)
    return entities


def test_ftm_entities_validate_and_carry_ownership(case: Store, tmp_path: Path) -> None:
    result = export(case, tmp_path / "case.ftm.json")
    entities = _entities(tmp_path / "case.ftm.json")
    assert result.records == len(entities)
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for data in entities:
        by_schema.setdefault(data["schema"], []).append(data)
    events = by_schema["Event"]
    assert len(events) == _rows(case, tables.incidents) and all(
        "exercise data" in e["properties"]["keywords"] for e in events
    )
    companies = {c["properties"]["name"][0]: c for c in by_schema["Company"]}
    ti = companies["Texas Instruments Incorporated"]
    assert ti["properties"]["country"] == ["us"]
    assert ti["properties"]["sourceUrl"]
    linear = companies["Linear Technology Corporation"]
    adi = companies["Analog Devices, Inc."]
    owned = [
        o for o in by_schema["Ownership"]
        if o["properties"]["asset"] == [linear["id"]] and o["properties"]["owner"] == [adi["id"]]
    ]  # fmt: skip
    assert owned and owned[0]["properties"]["startDate"] == ["2017-03-10"]
    roles = {link["properties"]["role"][0] for link in by_schema["UnknownLink"]}
    assert len(roles) == 1 and "not proof of wrongdoing" in roles.pop()


def test_ftm_is_stable_between_runs(case: Store, tmp_path: Path) -> None:
    export(case, tmp_path / "one.ftm.json")
    export(case, tmp_path / "two.ftm.json")
    assert (tmp_path / "one.ftm.json").read_bytes() == (tmp_path / "two.ftm.json").read_bytes()


def test_public_ftm_has_published_incidents_and_rounded_places(case: Store, tmp_path: Path) -> None:
    publish(case, "EX-MSL-002")
    export(case, tmp_path / "pub.ftm.json", public=True)
    entities = _entities(tmp_path / "pub.ftm.json")
    events = [e for e in entities if e["schema"] == "Event"]
    assert [e["properties"]["recordId"] for e in events] == [["EX-KYIV-2024-01-06"]]
    address = next(e for e in entities if e["schema"] == "Address")
    assert address["properties"]["latitude"] == ["50.5"]  # 50.4501
    assert address["properties"]["longitude"] == ["30.5"]  # 30.5234


def test_sheet_export_goes_through_the_dispatcher(case: Store, tmp_path: Path) -> None:
    result = export(case, tmp_path / "sheet.csv")
    lines = (tmp_path / "sheet.csv").read_text(encoding="utf-8").splitlines()
    assert result.format == ".csv" and result.records == len(lines) - 1
    with pytest.raises(ExportError, match="no public form"):
        export(case, tmp_path / "sheet.xlsx", public=True)
    assert not (tmp_path / "sheet.xlsx").exists()


def test_public_exports_honour_disclosure_terms(case: Store, tmp_path: Path) -> None:
    publish(case, "EX-MSL-001")
    set_terms(
        case, "Texas Instruments Incorporated", actor="test-analyst", may_name_publicly=False,
        public_label="a manufacturer in the United States",
    )  # fmt: skip
    export(case, tmp_path / "pub.ftm.json", public=True)
    text = (tmp_path / "pub.ftm.json").read_text(encoding="utf-8")
    assert "Texas Instruments" not in text and "wikipedia.org/wiki/Texas_Instruments" not in text
    labelled = [e for e in _entities(tmp_path / "pub.ftm.json") if e["schema"] == "Company"]
    assert any(e["properties"]["name"] == ["a manufacturer in the United States"] for e in labelled)
    result = export(case, tmp_path / "pub.parquet", public=True)
    frame = pd.read_parquet(tmp_path / "pub.parquet")
    assert not frame.isin(["Texas Instruments Incorporated", "texas-instruments"]).any().any()
    assert (frame["company_name"] == "a manufacturer in the United States").sum() > 0
    assert any("disclosure terms" in note for note in result.notes)
    # The team's own (non-public) export still names the company.
    export(case, tmp_path / "team.ftm.json")
    assert "Texas Instruments Incorporated" in (tmp_path / "team.ftm.json").read_text("utf-8")
