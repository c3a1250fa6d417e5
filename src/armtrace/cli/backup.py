"""armtrace backup / restore: the store and its evidence, verified by a round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn

from armtrace.backup import backup_store, restore_store
from armtrace.cli.app import app, err, open_store, print_json, progress_bar


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="The archive to write (.tar.gz); must not exist.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Back up every table and every evidence file into one verified archive.

    The archive holds a manifest (version, schema revision, row counts, SHA-256 of every table
    and evidence file), the tables as store-neutral JSON Lines, and the evidence objects.

    Example: armtrace backup armtrace-2026-11-24.tar.gz
    """
    with open_store() as store:
        progress = progress_bar("backing up", MofNCompleteColumn(), disable=as_json)
        with progress:
            task = progress.add_task("backup", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = backup_store(store, file, on_progress=advance)
    if as_json:
        print_json(report.__dict__)
        return
    err.print(
        f"wrote {file}: {report.tables} tables, {report.rows:,} rows, {report.evidence} evidence "
        f"files, {report.bytes:,} bytes in {report.seconds:.1f} s"
    )


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="An archive written by armtrace backup.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Restore a backup into an EMPTY store, all or nothing, then verify everything.

    Every hash is checked before loading; rows load in one transaction; counts, table hashes,
    the audit chain and every evidence file are verified. A backup of an SQLite store restores
    into PostgreSQL: that is how to move from SQLite to PostgreSQL.

    Example: armtrace --db postgresql://db.example/armtrace restore armtrace-2026-11-24.tar.gz
    """
    with open_store() as store:
        progress = progress_bar("restoring", MofNCompleteColumn(), disable=as_json)
        with progress:
            task = progress.add_task("restore", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = restore_store(store, file, on_progress=advance)
    if as_json:
        print_json(report.__dict__)
        return
    err.print(
        f"restored {file}: {report.tables} tables, {report.rows:,} rows, {report.evidence} "
        f"evidence files, audit chain of {report.audit_entries} entries verified, "
        f"in {report.seconds:.1f} s"
    )
