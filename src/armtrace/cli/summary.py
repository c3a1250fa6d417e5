"""armtrace summary, dating, sightings and snapshot: supply-chain roll-ups and analysis."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn
from rich.table import Table

from armtrace.analytics.snapshot import write_snapshot
from armtrace.attribution.sightings import first_sightings
from armtrace.cli.app import app, err, open_store, out, print_json, progress_bar
from armtrace.dating.items import ITEM_MARKINGS, item_dating
from armtrace.reports.summary import Scope, Summary, summarise

DateOption = Annotated[
    datetime.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="ISO date, YYYY-MM-DD.")
]


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


@app.command("summary")
def summary(
    item: Annotated[str | None, typer.Argument(help="An item id; omit for a wider scope.")] = None,
    incident: Annotated[str | None, typer.Option(help="Only this incident.")] = None,
    weapon_system: Annotated[str | None, typer.Option(help="Only items of this system.")] = None,
    manufacturer: Annotated[str | None, typer.Option(help="Only parts of this maker id.")] = None,
    country: Annotated[str | None, typer.Option(help="Documented in (ISO alpha-2).")] = None,
    since: DateOption = None,
    until: DateOption = None,
    published_only: Annotated[bool, typer.Option(help="Published items only.")] = False,
    snapshot: Annotated[
        Path | None, typer.Option(help="Run in DuckDB over this snapshot (armtrace snapshot).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """Where a scope's components come from: companies, countries, tiers, date codes.

    Example: armtrace summary EX-MSL-001 --json
    Example: armtrace summary --weapon-system KN-23 --since 2024-01-01
    """
    scope = Scope(
        item_key=item, incident_key=incident, weapon_system=weapon_system,
        manufacturer_id=manufacturer, country=country, since=_day(since), until=_day(until),
        published_only=published_only,
    )  # fmt: skip
    with open_store() as store:
        result = summarise(store, scope, snapshot=snapshot)
    if as_json:
        print_json(result.as_json())
        return
    _print_summary(result)


def _print_summary(result: Summary) -> None:
    data = result.as_json()
    table = Table("company (at the time)", "country", "components", "share %", title="companies")
    for row in data["company_list"]:
        table.add_row(row["name"], row["country"] or "unknown", str(row["components"]),
                      str(row["share"]))  # fmt: skip
    out.print(table)
    countries = Table("country (headquarters)", "components", "share %", title="countries")
    for code, count in data["by_country"].items():
        countries.add_row(code, str(count), str(data["share_by_country"][code]))
    out.print(countries)
    dates = data["date_codes"]
    out.print(
        f"date codes: {dates['dated']} dated, {dates['earliest']} to {dates['latest']}, "
        f"median {dates['median']}; CHPL tiers: {data['chpl_tiers']}; "
        f"origin markings: {data['origin_markings'] or 'none'}"
    )
    if result.dating is not None:
        out.print(f"dating: {result.dating.why}")
        for conflict in result.dating.conflicts:
            out.print(f"  [yellow]conflict:[/] {conflict}")
    out.print(f"[bold]{result.sentence}[/]")
    err.print(data["note"])


@app.command("dating")
def dating(
    item: Annotated[str, typer.Argument(help="An item id.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """When an item was assembled at the earliest, from its parts' date codes and markings.

    Example: armtrace dating EX-MSL-001 --json
    """
    with open_store() as store:
        result = item_dating(store, item)
    if as_json:
        print_json(result.as_json())
        return
    if result.exercise:
        out.print("[bold]EXERCISE DATA[/]")
    out.print(result.why)
    for source in result.set_by:
        code = "" if source.component == ITEM_MARKINGS else f" code '{source.raw}'"
        out.print(f"  set by {source.component}: {source.part_number}{code}")
    for conflict in result.conflicts:
        out.print(f"  [yellow]conflict:[/] {conflict}")


@app.command("sightings")
def sightings(
    since: DateOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """First sightings: a type, system, maker or production year first documented in a country.

    Example: armtrace sightings --since 2024-01-01
    """
    with open_store() as store:
        found = first_sightings(store, since=_day(since))
    if as_json:
        for sighting in found:
            print_json(sighting.as_json())
        return
    table = Table("first seen", "country", "what", "value", "item", "incident")
    for s in found:
        table.add_row(str(s.first_seen or "undated"), s.country or "unknown", s.aspect, s.value,
                      s.item_key, s.incident_key)  # fmt: skip
    out.print(table)


@app.command("snapshot")
def snapshot(
    directory: Annotated[Path, typer.Argument(help="Where to write the Parquet files.")],
    published_only: Annotated[bool, typer.Option(help="Published items only.")] = False,
) -> None:
    """Write a Parquet snapshot of the store for DuckDB analytics (armtrace summary --snapshot).

    Example: armtrace snapshot snap/ && armtrace summary --country UA --snapshot snap/
    """
    with open_store() as store, progress_bar("writing snapshot", MofNCompleteColumn()) as bar:
        task = bar.add_task("snapshot", total=None)
        written = write_snapshot(
            store, directory, published_only=published_only,
            on_progress=lambda done: bar.update(task, completed=done),
        )  # fmt: skip
    err.print(f"snapshot written to {written}")
