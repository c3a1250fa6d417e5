"""armtrace screen: sanctions screening against FollowTheMoney lists."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from armtrace.cli.app import app, err, open_store, out, print_json
from armtrace.screening import (
    Match,
    Party,
    ScreeningChanges,
    judge,
    list_versions,
    load_list,
    matches_for,
    run_screening,
    stored_matches,
)

screen_app = typer.Typer(
    help=(
        "Screen manufacturers and custody-chain companies against sanctions lists "
        "(FollowTheMoney entity files, as OpenSanctions publishes them).\n\n"
        "Example: armtrace screen load sanctions.ftm.json && armtrace screen run"
    ),
    no_args_is_help=True,
)
app.add_typer(screen_app, name="screen")

JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document.")]


@screen_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="FtM entity file, one JSON entity a line.")],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name (default: the entities' 'datasets').")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load a sanctions list as the current version of its dataset, then re-screen.

    Loading the same file again changes nothing. Only what changed is reported.

    Example: armtrace screen load exercise_sanctions.ftm.json --json
    """
    with open_store() as store:
        report = load_list(store, file, actor=store.settings.actor, dataset=dataset)
    if as_json:
        print_json(report.as_json())
        return
    version = report.version
    if report.already_loaded:
        out.print(f"{file.name} is already the current version of '{version.dataset}'.")
        return
    kept = ", ".join(f"{n} {s}" for s, n in sorted(report.kept.items())) or "nothing"
    out.print(f"Loaded '{version.dataset}' ({version.file_sha256[:12]}): kept {kept}.")
    if report.skipped:
        skipped = ", ".join(f"{n} {s}" for s, n in sorted(report.skipped.items()))
        out.print(f"Skipped (not companies or organisations): {skipped}.")
    if report.changes is not None:
        _print_changes(report.changes)


@screen_app.command("run")
def run(
    name: Annotated[
        list[str] | None, typer.Option("--name", help="Also screen this company (repeatable).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Country (ISO alpha-2) of the --name companies.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Screen the store's manufacturers and custody-chain companies; store and show matches.

    Example: armtrace screen run --name "Polar Star Trading Co., Limited" --country HK --json
    """
    extra = [Party(n, country.upper() if country else None) for n in name or ()]
    with open_store() as store:
        result = run_screening(store, actor=store.settings.actor, names=extra)
    if as_json:
        print_json(result.as_json())
        return
    out.print(f"Screened {result.parties} parties: {len(result.matches)} match(es).")
    _print_matches(result.matches)
    _print_changes(result.changes)


@screen_app.command("name")
def name(
    company: Annotated[str, typer.Argument(help="Company name, in any script.")],
    country: Annotated[str | None, typer.Option(help="Its country, ISO alpha-2.")] = None,
    date: Annotated[
        datetime.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="A transfer date to compare with the listing."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Screen one name now (nothing stored), with explanations.

    Example: armtrace screen name "演习北极星元件贸易有限公司" --country HK --date 2023-08-02 --json
    """
    with open_store() as store:
        found = matches_for(
            store, company, country=country, transfer_date=date.date() if date else None
        )
    if as_json:
        print_json({"name": company, "country": country, "matches": [m.as_json() for m in found]})
        return
    if not found:
        out.print(f"No match for '{company}' on the loaded lists.")
    _print_matches(found)


@screen_app.command("judge")
def judge_command(
    match_id: Annotated[str, typer.Argument(help="A match_id from 'screen run' or 'screen name'.")],
    verdict: Annotated[str, typer.Argument(help="match, no-match or unsure.")],
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record an analyst's judgement on a match; it survives re-screening.

    Example: armtrace screen judge 3f2a9c0d1e4b5a6c match --note "same HK registration"
    """
    with open_store() as store:
        judgement = judge(store, match_id, verdict, actor=store.settings.actor, note=note)
    if as_json:
        print_json(judgement.as_json())
        return
    out.print(f"Match {match_id}: {judgement.verdict} (by {judgement.actor}).")


@screen_app.command("matches")
def matches(
    weak: Annotated[bool, typer.Option(help="Include candidates under the threshold.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The matches stored by the last runs, with judgements.

    Example: armtrace screen matches --json
    """
    with open_store() as store:
        found = stored_matches(store, include_weak=weak)
    if as_json:
        print_json({"matches": [m.as_json() for m in found]})
        return
    _print_matches(found)


@screen_app.command("lists")
def lists(as_json: JsonOption = False) -> None:
    """Loaded list versions, newest first.

    Example: armtrace screen lists
    """
    with open_store() as store:
        versions = list_versions(store)
    if as_json:
        print_json({"lists": [v.as_json() for v in versions]})
        return
    for v in versions:
        state = "current" if v.current else "superseded"
        out.print(
            f"{v.dataset}  {v.file_sha256[:12]}  {v.entities} entities  {state}  "
            f"{v.loaded_at:%Y-%m-%d %H:%M} by {v.actor}"
        )


def _print_matches(found: list[Match]) -> None:
    if not found:
        return
    table = Table("match_id", "party", "listed entity", "score", "listed since", "judgement")
    for m in found:
        table.add_row(
            m.id,
            f"{m.name} ({m.party.country or '?'})",
            f"{m.caption} [{m.dataset}]",
            f"{m.score:.2f}",
            m.timing,
            m.judgement.verdict if m.judgement else "",
        )
    out.print(table)
    for m in found:
        out.print(f"[bold]{m.id}[/]: {m.why}", highlight=False)


def _print_changes(changes: ScreeningChanges) -> None:
    if changes.empty:
        err.print("No change since the last screening.")
        return
    for label, items in (("new", changes.new), ("now over the threshold", changes.crossed_up),
                         ("now under the threshold", changes.crossed_down)):  # fmt: skip
        for m in items:
            out.print(f"{label}: {m.name} ~ {m.caption} ({m.score:.2f}) [{m.id}]")
    for gone in changes.gone:
        out.print(f"gone: {gone['name']} ~ {gone['caption']} [{gone['match_id']}]")
