"""armtrace evidence: add files, verify hashes, read the custody log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from armtrace.cli.app import app, err, open_store, out, print_json
from armtrace.evidence.records import add_evidence, custody_log, verify_all

evidence_app = typer.Typer(help="Photos and documents, stored by SHA-256 with a custody log.")
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("add")
def add(
    files: Annotated[list[Path], typer.Argument(help="Photos or documents to store.")],
    note: Annotated[str | None, typer.Option(help="What the file shows, for the log.")] = None,
) -> None:
    """Store files as evidence and print their SHA-256.

    Example: armtrace evidence add IMG_0412.jpg --note "guidance section, left side"
    """
    with open_store() as store, store.begin() as conn:
        for path in files:
            stored = add_evidence(
                conn, store.evidence, path, actor=store.settings.actor, detail=note
            )
            out.print(f"{stored.sha256}  {path}")


@evidence_app.command("verify")
def verify() -> None:
    """Re-hash every stored file; exit 1 when any is missing or altered."""
    with open_store() as store, store.engine.connect() as conn:
        bad = verify_all(conn, store.evidence)
    if bad:
        for sha in bad:
            err.print(f"[red]missing or altered:[/] {sha}")
        raise typer.Exit(1)
    err.print("all evidence files match their hashes")


@evidence_app.command("log")
def log(
    sha256: Annotated[str, typer.Argument(help="The file's SHA-256.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show who added a file, when and from where."""
    with open_store() as store, store.engine.connect() as conn:
        events = custody_log(conn, sha256)
    if as_json:
        print_json([e.__dict__ for e in events])
        return
    table = Table("when", "action", "who", "host", "from", "detail")
    for e in events:
        table.add_row(str(e.at), e.action, e.actor, e.host or "", e.origin or "", e.detail or "")
    out.print(table)
