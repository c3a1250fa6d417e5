"""Export writes a sheet that imports back unchanged, photos included."""

from __future__ import annotations

from pathlib import Path

import pytest

from armtrace.errors import ArmtraceError
from armtrace.settings import load_settings
from armtrace.sheets.exporter import export_sheet
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from sheetdata import KHARKIV, rows, write_csv


def sample(tmp_path: Path) -> Path:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "c1.jpg").write_bytes(b"\xff\xd8\xff\xe0 ADM3202 photo")
    records = rows()
    records[0]["photo"] = "photos/c1.jpg"
    records[1]["photo"] = "https://example.org/c2.jpg"
    records[2]["component_id"] = ""
    records[3]["notes"] = 'quote " comma , newline\nand Cyrillic: мікроконтролер'
    records.append(
        {**KHARKIV, "item_id": "ROCKET-1", "item_markings": "1977", "notes": "motor only"}
    )
    return write_csv(tmp_path / "in.csv", records)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_round_trip_loses_nothing(store: Store, tmp_path: Path, suffix: str) -> None:
    import_sheet(store, sample(tmp_path))
    first = export_sheet(store, tmp_path / f"out{suffix}")
    fresh = Store.open(
        load_settings(db=f"sqlite:///{tmp_path / 'fresh.db'}", evidence=str(tmp_path / "ev2"))
    )
    try:
        report = import_sheet(fresh, Path(first.file))
        assert report.evidence_added == 1
        assert fresh.counts() == {**store.counts(), "evidence_custody": 1}
        second = export_sheet(fresh, tmp_path / f"again{suffix}")
        if suffix != ".xlsx":  # XLSX files carry a timestamp; compare their rows instead
            # Photos sit in a folder named after each export; the rest is byte-identical.
            renamed = (
                Path(first.file).read_text("utf-8").replace(f"out{suffix}.", f"again{suffix}.")
            )
            assert renamed == Path(second.file).read_text("utf-8")
        assert first.rows == second.rows == 5
    finally:
        fresh.close()


def test_export_refuses_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ArmtraceError, match="component sheets are"):
        export_sheet(store, tmp_path / "out.txt")


def test_xlsx_export_writes_text_that_looks_like_a_formula_as_text(
    store: Store, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    records = rows()
    records[0]["notes"] = '=HYPERLINK("http://example.org/x","open")'
    records[1]["marking"] = "=1+2 ADM3202"
    import_sheet(store, write_csv(tmp_path / "in.csv", records))
    out = Path(export_sheet(store, tmp_path / "out.xlsx").file)
    sheet = load_workbook(out)["components"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    looks_like_formula = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    # Both texts are there, as text: nothing a spreadsheet would evaluate on opening.
    assert sorted(str(c.value) for c in looks_like_formula) == [
        "=1+2 ADM3202",
        '=HYPERLINK("http://example.org/x","open")',
    ]
    assert all(c.data_type == "s" for c in looks_like_formula)
    assert "notes" in header and "marking" in header
    # And the sheet imports back with the same text.
    fresh = Store.open(
        load_settings(db=f"sqlite:///{tmp_path / 'fresh.db'}", evidence=str(tmp_path / "ev2"))
    )
    try:
        import_sheet(fresh, out)
        assert fresh.counts() == store.counts()
    finally:
        fresh.close()
