"""armtrace audit: read the audit trail and verify that nobody altered it."""

from __future__ import annotations

from typing import Annotated

import typer

from armtrace.audit import entries, verify_chain
from armtrace.cli.app import app, err, open_store, out, print_json

audit_app = typer.Typer(
    help="The tamper-evident audit trail of every change.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Recompute the hash chain; exit 1 and name the first altered entry if it is broken.

    Example: armtrace audit verify
    """
    with open_store() as store:
        check = verify_chain(store)
    if as_json:
        print_json(
            {
                "entries": check.entries,
                "ok": check.ok,
                "broken_at": check.broken_at,
                "reason": check.reason,
            }
        )
    elif check.ok:
        out.print(f"audit trail intact: {check.entries:,} entries verified")
    else:
        err.print(f"[bold red]audit trail broken[/] at entry {check.broken_at}: {check.reason}")
    if not check.ok:
        raise typer.Exit(1)


@audit_app.command("log")
def log(
    entity: Annotated[str | None, typer.Option(help="Only this kind of record, e.g. item.")] = None,
    key: Annotated[str | None, typer.Option(help="Only this record.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Print the newest audit entries, newest first.

    Example: armtrace audit log --entity sheet --limit 5
    """
    with open_store() as store:
        found = entries(store, entity=entity, entity_key=key, limit=limit)
    if as_json:
        for entry in found:
            print_json(entry.as_json())
        return
    for entry in found:
        out.print(
            f"{entry.id:>6}  {entry.as_json()['at'][:19]}  {entry.actor:<12} {entry.action:<10} "
            f"{entry.entity}:{entry.entity_key}",
            highlight=False,
        )
