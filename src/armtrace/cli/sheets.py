"""armtrace import / export: component sheets in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import DownloadColumn

from armtrace.cli.app import app, err, open_store, print_json, progress_bar
from armtrace.exports import export
from armtrace.sheets.exporter import SHEET_FORMATS
from armtrace.sheets.importer import import_sheet


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A component sheet: .csv, .jsonl or .xlsx")],
    exercise: Annotated[
        bool, typer.Option("--exercise", help="Mark every incident in the file as exercise data.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import a component sheet, all or nothing.

    Every bad row is listed with its row number, column and reason, and nothing is written.
    Importing the same file again changes nothing.

    Example: armtrace import docs/examples/kharkiv.csv
    """
    with open_store() as store:
        progress = progress_bar("importing {task.description}", DownloadColumn(), disable=as_json)
        with progress:
            task = progress.add_task(file.name, total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = import_sheet(store, file, on_progress=advance)
    if as_json:
        print_json(report.as_json())
        return
    if report.changed == 0 and report.evidence_added == 0:
        err.print(f"{file}: nothing changed; the store already holds this sheet.")
        return
    err.print(
        f"{file}: {report.rows:,} rows; {report.incidents:,} incidents, {report.items:,} items, "
        f"{report.components:,} components; {report.changed:,} records written, "
        f"{report.evidence_added} photos stored as evidence, in {report.seconds:.1f} s."
    )


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="Target file; the format comes from its name.")],
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Published items only; no notes or photos; places rounded to 0.1 degree.",
        ),
    ] = False,
) -> None:
    """Export the store: .csv/.jsonl/.xlsx (component sheet), .geojson, .parquet or .ftm.json.

    A component sheet imports back unchanged, with photos copied into FILE.photos/. GeoJSON holds
    incidents and items for GIS tools, Parquet one row per component for analytics, and .ftm.json
    FollowTheMoney entities (companies, ownership, incidents as events) one per line.

    Example: armtrace export everything.xlsx
    Example: armtrace export --public incidents.geojson
    """
    with open_store() as store:
        result = export(store, file, public=public)
    unit = {".geojson": "features", ".ftm.json": "entities"}.get(result.format, "rows")
    photos = f" ({result.photos} photos)" if result.format in SHEET_FORMATS else ""
    err.print(
        f"wrote {result.records:,} {unit} to {file}{photos}" + (" [public]" if public else "")
    )
    for note in result.notes:
        err.print(f"note: {note}")
