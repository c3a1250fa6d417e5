"""armtrace demo: the exercise case, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from armtrace.cli.app import app as cli_app
from armtrace.cli.app import err, open_store, out, state
from armtrace.demo import run_demo
from armtrace.settings import data_dir, load_settings


@cli_app.command("demo")
def demo(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write the report and export.")
    ] = None,
) -> None:
    """Load the bundled exercise case, analyse it and write a report.

    Uses its own store (in the data directory's demo/ folder) unless --db says otherwise, so
    exercise data never mixes with real work.

    Example: armtrace demo --out demo-output
    """
    home = data_dir() / "demo"
    store_settings = load_settings(
        db=state.db or f"sqlite:///{home / 'armtrace.db'}",
        evidence=state.evidence or str(home / "evidence"),
    )
    target = out_dir or home / "output"
    err.print(
        "[bold]armtrace demo[/] — EXERCISE DATA: an invented case modelled on public reporting"
    )
    with open_store(store_settings) as store:
        result = run_demo(store, target)
    changed = result.imported.changed
    err.print(
        f"loaded {result.imported.rows:,} rows of the exercise case"
        + ("" if changed else " (already loaded; nothing changed)")
    )
    counts, totals = result.counts, result.readings
    countries = ", ".join(f"{code} {n}" for code, n in totals.by_country.items())
    out.print(
        f"store:      {store_settings.db_url}\n"
        f"holds:      {counts['incidents']} incidents, {counts['items']} items, "
        f"{counts['components']} components\n"
        f"identified: {totals.identified} of {totals.components} components, "
        f"{totals.makers} makers; by headquarters country: {countries}\n"
        f"report:     {result.report}\n"
        f"export:     {result.sheet}"
    )
