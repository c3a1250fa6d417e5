"""armtrace attribute, link and serials: weapon-system attribution, linking, serial search."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from armtrace.attribution.judgements import judge_link
from armtrace.attribution.linking import LINK_THRESHOLD, link_clusters, links_for_item
from armtrace.attribution.score import attribute
from armtrace.attribution.serials import search_serials
from armtrace.cli.app import app, err, open_store, out, print_json

link_app = typer.Typer(
    help=(
        "Items of the same build across incidents, and analysts' judgements on them.\n\n"
        "Example: armtrace link --json ; armtrace link judge EX-MSL-001 EX-MSL-002 same "
        '--note "same board layout"'
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(link_app, name="link")

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@app.command("attribute")
def attribute_command(
    item_id: Annotated[str, typer.Argument(help="The item to attribute.")],
    as_json: JsonFlag = False,
) -> None:
    """Rank weapon systems for an item against the reference library, with the reasons.

    Example: armtrace attribute EX-MSL-001 --json
    """
    with open_store() as store:
        result = attribute(store, item_id)
    if as_json:
        print_json(result.as_json())
        return
    if not result.candidates:
        err.print(f"{item_id}: no attribution. {result.reason}")
        return
    out.print(result.reason)
    table = Table("weapon system", "score", "closest reference", "why")
    for c in result.candidates:
        table.add_row(c.weapon_system, f"{c.score:.2f}", c.closest_item, c.why)
    out.print(table)


@link_app.callback()
def link_command(
    ctx: typer.Context,
    item: Annotated[str | None, typer.Option("--item", help="Only the links of this item.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per cluster (or per link).")
    ] = False,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.5, max=1.0, help="Jaccard similarity of part sets."),
    ] = LINK_THRESHOLD,
) -> None:
    """Clusters of items identical or near-identical in components (same build).

    Example: armtrace link --json
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store() as store, err.status("linking items by their part numbers"):
        if item is not None:
            links = links_for_item(store, item, threshold=threshold)
            for link in links:
                if as_json:
                    print_json(link.as_json())
                else:
                    out.print(f"{link.item_a} ~ {link.item_b}: {link.why}")
            if not links and not as_json:
                err.print(f"{item}: no item of the same build found")
            return
        clusters = link_clusters(store, threshold=threshold)
    for cluster in clusters:
        if as_json:
            print_json(cluster.as_json())
        else:
            out.print(f"[bold]{', '.join(cluster.items)}[/]: {cluster.why}")
    if not clusters and not as_json:
        err.print("no items of the same build found")


@link_app.command("judge")
def judge_command(
    item_a: Annotated[str, typer.Argument(help="One item.")],
    item_b: Annotated[str, typer.Argument(help="The other item.")],
    verdict: Annotated[str, typer.Argument(help="same | different")],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the verdict).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Record an analyst's judgement on a link: same build, or different.

    Example: armtrace link judge EX-MSL-001 EX-MSL-003 same --note "same harness and serial format"
    """
    with open_store() as store:
        actor = store.settings.actor
        judgement = judge_link(store, item_a, item_b, verdict, actor=actor, note=note)
    if as_json:
        print_json(judgement.as_json())
    else:
        err.print(
            f"recorded: {judgement.item_a} and {judgement.item_b} are "
            f"{'the same build' if judgement.verdict == 'same' else 'different builds'} "
            f"({judgement.actor})"
        )


@app.command("serials")
def serials_command(
    fragment: Annotated[str, typer.Argument(help="Part of a serial, lot or plant code.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit.")] = False,
) -> None:
    """Where else did items or parts from this batch turn up? Searches item and part markings.

    Example: armtrace serials 001-87 --json
    """
    with open_store() as store:
        hits = search_serials(store, fragment)
    if as_json:
        for hit in hits:
            print_json(hit.as_json())
        return
    if not hits:
        err.print(f"{fragment}: found in no item or component marking")
        return
    table = Table("incident", "date", "place", "item", "component", "marking")
    for h in hits:
        table.add_row(
            h.incident_key, str(h.incident_date or ""), h.place or "", h.item_key,
            h.component_key or "(item)", h.text.replace("\n", " / "),
        )  # fmt: skip
    out.print(table)
