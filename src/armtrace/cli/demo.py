"""armtrace demo: the exercise case, end to end."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from armtrace.accounts.demo import demo_logins
from armtrace.cli.app import app as cli_app
from armtrace.cli.app import err, open_store, out, state
from armtrace.cli.serve import run_server
from armtrace.demo import run_demo
from armtrace.settings import data_dir, load_settings


@cli_app.command("demo")
def demo(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write the report and export.")
    ] = None,
    serve: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Serve the web application afterwards (default: when run from a terminal).",
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Load the bundled exercise case, analyse it, write a report, then serve the web UI.

    Uses its own store (in the data directory's demo/ folder) unless --db says otherwise, so
    exercise data never mixes with real work. Prints an admin and a viewer login with fresh
    random passwords (exercise accounts). --no-serve stops after writing the outputs; so does
    a run whose output is not a terminal (a script) unless --serve says otherwise.

    Example: armtrace demo --out demo-output --port 8000
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
        logins = demo_logins(store, actor=store_settings.actor)
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
        f"{totals.makers} makers; by headquarters country: {countries}"
    )
    for line in result.findings:
        out.print(f"  {line}", highlight=False)
    for label, path in result.outputs.items():
        out.print(f"{label + ':':<16}{path}", highlight=False)
    logins_text = ", ".join(f"{x.name} / {x.password} ({x.role.value})" for x in logins)
    out.print(f"logins:     {logins_text}  [EXERCISE accounts]")
    if serve is None:
        serve = sys.stdout.isatty()
        if not serve:
            err.print("not serving: output is not a terminal (pass --serve to serve anyway)")
    if serve:
        out.print(f"web:        http://{host}:{port}/  (API docs: /api/docs; Ctrl-C stops)")
        run_server(store_settings, host, port, workers=1)
