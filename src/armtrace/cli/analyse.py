"""armtrace analyse / seen: identify stored components; find where a part was seen before."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn
from rich.table import Table

from armtrace.cli.app import app, err, open_store, out, print_json, progress_bar
from armtrace.markings.readings import identify_components, where_seen


@app.command("analyse")
def analyse() -> None:
    """Identify every stored component's maker, owner, country and production window.

    Readings are machine output, kept apart from analysts' own identifications, and recomputed
    each time (for example after the reference registry was updated).

    Example: armtrace analyse
    """
    with open_store() as store:
        progress = progress_bar("identifying components", MofNCompleteColumn())
        with progress:
            task = progress.add_task("identify", total=None)
            written = identify_components(
                store,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    err.print(f"identified {written:,} components")


@app.command("seen")
def seen(
    marking: Annotated[str, typer.Argument(help="A marking or part number.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per sighting.")] = False,
) -> None:
    """Where else was this part seen? Tolerant of OCR misreads and ordering suffixes.

    Example: armtrace seen "SN74LVC245A"
    """
    with open_store() as store:
        sightings = where_seen(store, marking)
    if as_json:
        for s in sightings:
            print_json(s.__dict__)
        return
    if not sightings:
        err.print(f"{marking}: not seen in the store (run 'armtrace analyse' after imports)")
        return
    table = Table("incident", "date", "place", "item", "component", "marking", "match")
    for s in sightings:
        table.add_row(
            s.incident, str(s.incident_date or ""), s.place or "", s.item, s.component,
            s.marking.replace("\n", " / "), f"{s.similarity:.0f}",
        )  # fmt: skip
    out.print(table)
