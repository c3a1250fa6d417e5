"""The bundled exercise case and the demo run that shows what armtrace does with it.

EXERCISE DATA: the case is modelled on public reporting of a North Korean missile documented in
Ukraine; part numbers are real products, everything else is invented (see
scripts/make_exercise_case.py) and every incident is stored with exercise=yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from armtrace.markings.readings import ReadingTotals, identify_components, reading_totals
from armtrace.reports.overview import write_overview
from armtrace.sheets.exporter import export_sheet
from armtrace.sheets.importer import ImportReport, import_sheet
from armtrace.store import Store

CASE_FILE = "exercise_case.csv"


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put things."""

    imported: ImportReport
    report: Path
    sheet: Path
    counts: dict[str, int]
    readings: ReadingTotals


def run_demo(store: Store, out_dir: Path) -> DemoResult:
    """Load the exercise case, analyse it with what armtrace has, and write the outputs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with as_file(files("armtrace.demo").joinpath("data", CASE_FILE)) as case:
        imported = import_sheet(store, Path(case), exercise=True)
    identify_components(store)
    sheet = export_sheet(store, out_dir / "exercise-case-export.xlsx")
    report = write_overview(store, out_dir / "overview.html")
    return DemoResult(imported, report, Path(sheet.file), store.counts(), reading_totals(store))
