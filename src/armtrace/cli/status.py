"""armtrace status: where the store is and what it holds."""

from __future__ import annotations

from typing import Annotated

import typer

from armtrace.cli.app import app, open_store, out, print_json
from armtrace.store.db import redact_url


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the store's location and how many records it holds (and apply pending migrations)."""
    with open_store() as store:
        counts = store.counts()
        where = redact_url(store.settings.db_url)
    if as_json:
        print_json({"store": where, "evidence": str(store.settings.evidence_dir), **counts})
        return
    out.print(f"store:    {where}\nevidence: {store.settings.evidence_dir}")
    for name, count in counts.items():
        out.print(f"  {name:<17}{count:>12,}")
