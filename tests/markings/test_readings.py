"""Readings of stored components and the OCR-tolerant "where else was it seen" look-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from armtrace.markings.readings import identify_components, part_key, where_seen
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store, tables
from sheetdata import KHARKIV, rows, write_csv


def test_part_key_folds_ocr_lookalikes() -> None:
    assert part_key("SN74LVC24SA") == part_key("SN74LVC245A")
    assert part_key("STM32F4O7") == part_key("STM32F407")


def test_readings_keep_analyst_identification(store: Store, tmp_path: Path) -> None:
    records = rows()
    records[0]["manufacturer"] = "Analog Devices (analyst)"
    import_sheet(store, write_csv(tmp_path / "s.csv", records))
    assert identify_components(store) == 4
    assert identify_components(store) == 4  # recomputing replaces, never duplicates
    with store.engine.connect() as conn:
        makers = dict(
            conn.execute(
                select(tables.components.c.key, tables.readings.c.manufacturer_id).join(
                    tables.readings
                )
            ).all()
        )
        analyst = conn.execute(select(tables.components.c.manufacturer)).scalars().all()
    assert makers["C1"] == "analog-devices" and makers["C2"] == "stmicroelectronics"
    assert "Analog Devices (analyst)" in analyst


def test_where_seen_finds_misread_and_suffixed_parts(store: Store, tmp_path: Path) -> None:
    kyiv = {**KHARKIV, "incident_id": "UA-KY-2024-01-06", "item_id": "KY-0001", "place": "Kyiv"}
    records = [
        *rows(),
        {**kyiv, "component_id": "K1", "marking": "ADM32O2ARNZ / 2201"},  # O for 0
        {**kyiv, "component_id": "K2", "marking": "LM358 / 2201"},
    ]
    import_sheet(store, write_csv(tmp_path / "s.csv", records))
    identify_components(store)
    found = where_seen(store, "ADM3202ARNZ")
    assert {(s.item, s.component) for s in found} == {("KH-0001", "C1"), ("KY-0001", "K1")}
    assert all(s.similarity >= 95 for s in found)
    assert where_seen(store, "nothing like it") == []


def _seen(store: Store, marking: str) -> set[tuple[str, str, int]]:
    return {(s.item, s.component, round(s.similarity)) for s in where_seen(store, marking)}


def test_where_seen_tolerates_misreads_anywhere_and_suffixes(store: Store, tmp_path: Path) -> None:
    kyiv = {**KHARKIV, "incident_id": "UA-KY-2024-01-06", "item_id": "KY-0001", "place": "Kyiv"}
    records = [
        *rows(),  # C1 ADM3202ARNZ, C2 STM32F407VGT6, C3 MAX2769ETI+, C4 TPS7A4501
        {**kyiv, "component_id": "K1", "marking": "STM32F407 / 2201"},  # no ordering suffix
        {**kyiv, "component_id": "K2", "marking": "ADM2483BRWZ / 2201"},  # same maker prefix only
        {**kyiv, "component_id": "K3", "marking": "XC7A35T / FTG256ABX1707"},
    ]
    import_sheet(store, write_csv(tmp_path / "s.csv", records))
    identify_components(store)
    # A misread in the first characters, which a search bucketed by the key's start misses.
    assert _seen(store, "NAX2769ETI+") == {("KH-0001", "C3", 90)}
    assert _seen(store, "AMD3202ARNZ") == {("KH-0001", "C1", 91)}  # two characters swapped
    assert _seen(store, "DM3202ARNZ") == {("KH-0001", "C1", 95)}  # first character dropped
    assert _seen(store, "AADM3202ARNZ") == {("KH-0001", "C1", 96)}  # one character too many
    # Ordering-suffix variants, both ways round, next to the misread-free exact match.
    assert _seen(store, "STM32F407") == {("KH-0001", "C2", 95), ("KY-0001", "K1", 100)}
    assert _seen(store, "STM32F407VGT6TR") == {("KH-0001", "C2", 95), ("KY-0001", "K1", 95)}
    # Unrelated parts, even with the same maker prefix, are not returned.
    assert ("KY-0001", "K2") not in {(i, c) for i, c, _ in _seen(store, "ADM3202ARNZ")}
    assert _seen(store, "LTC3780EGN") == set()


def test_where_seen_follows_reidentification_and_reimport(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    identify_components(store)
    assert {c for _, c, _ in _seen(store, "NAX2769ETI+")} == {"C3"}
    # Re-import with C3's marking corrected to another part, then identify again.
    changed = [
        r if r["component_id"] != "C3" else {**r, "marking": "LTC3780EGN / 1523"} for r in rows()
    ]
    import_sheet(store, write_csv(tmp_path / "b.csv", changed))
    assert identify_components(store) == 4
    assert _seen(store, "NAX2769ETI+") == set()
    assert {c for _, c, _ in _seen(store, "LTC378OEGN")} == {"C3"}
    with store.engine.connect() as conn:
        filed = set(conn.execute(select(tables.part_key_variants.c.part_key)).scalars())
        keys = set(conn.execute(select(tables.readings.c.part_key)).scalars())
    assert filed == keys  # the key nobody reads any more is no longer filed
    identify_components(store)  # once more: still one filing per key, still found
    assert {c for _, c, _ in _seen(store, "LTC3780EGN")} == {"C3"}


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


@pytest.mark.skipif(not FONT.exists(), reason="needs Debian's fonts-dejavu-core to draw a chip")
def test_photo_without_typed_marking_is_read_by_ocr(store: Store, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 40)
    image = Image.new("RGB", (520, 200), (38, 38, 40))
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "ADM3202ARNZ", font=font, fill=(225, 225, 225))
    draw.text((40, 110), "2135", font=font, fill=(225, 225, 225))
    image.save(tmp_path / "chip.png")
    records = rows()
    records[0]["marking"] = ""
    records[0]["photo"] = "chip.png"
    import_sheet(store, write_csv(tmp_path / "s.csv", records))
    identify_components(store)
    with store.engine.connect() as conn:
        reading = conn.execute(
            select(tables.readings).where(tables.readings.c.source == "photo-ocr")
        ).one()
    assert reading.manufacturer_id == "analog-devices"
    assert "ADM3202ARNZ" in reading.ocr_text.replace(" ", "")
    assert reading.why.startswith("marking read from photo")


def _readings_by_item(store: Store) -> dict[str, int]:
    comp, it, r = tables.components, tables.items, tables.readings
    query = select(it.c.key, r.c.part_number).select_from(
        r.join(comp, comp.c.id == r.c.component_id).join(it, it.c.id == comp.c.item_id)
    )
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for item, _ in conn.execute(query):
            counts[item] = counts.get(item, 0) + 1
    return counts


def test_identify_only_the_given_items(store: Store, tmp_path: Path) -> None:
    kyiv = {**KHARKIV, "incident_id": "UA-KY-2024-01-06", "item_id": "KY-0001", "place": "Kyiv"}
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    assert identify_components(store, item_keys=["KH-0001"]) == 4
    assert _readings_by_item(store) == {"KH-0001": 4}
    # A later upload adds KY-0001: identifying it leaves KH-0001's readings in place.
    records = [{**kyiv, "component_id": "K1", "marking": "LM358 / 2201"}]
    import_sheet(store, write_csv(tmp_path / "b.csv", records))
    assert identify_components(store, item_keys=iter(["KY-0001", "NO-SUCH-ITEM"])) == 1
    assert _readings_by_item(store) == {"KH-0001": 4, "KY-0001": 1}
    # Recomputing one item replaces its readings, never duplicates them.
    assert identify_components(store, item_keys=("KY-0001",)) == 1
    assert _readings_by_item(store) == {"KH-0001": 4, "KY-0001": 1}
    assert identify_components(store, item_keys=[]) == 0
    assert identify_components(store) == 5


def test_identify_many_item_keys_in_chunks(store: Store, tmp_path: Path) -> None:
    import_sheet(store, write_csv(tmp_path / "a.csv", rows()))
    keys = [f"UNKNOWN-{n}" for n in range(2500)] + ["KH-0001"]  # more than one IN list
    progress: list[tuple[int, int]] = []
    assert (
        identify_components(store, item_keys=keys, on_progress=lambda *p: progress.append(p)) == 4
    )
    assert progress[-1] == (4, 4)
