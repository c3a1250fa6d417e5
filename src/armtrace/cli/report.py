"""armtrace report: HTML and PDF reports on an item, incident, weapon system, maker or campaign."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from armtrace.cli.app import app, err, open_store, user_errors
from armtrace.reports.document import Kind, ReportError, ReportRequest, create_report

DateOption = Annotated[
    datetime.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Incident date bound, YYYY-MM-DD (inclusive)."),
]


def _request(
    item: str | None,
    incident: str | None,
    weapon_system: str | None,
    manufacturer: str | None,
    campaign: bool,
) -> tuple[Kind, str | None]:
    subjects: list[tuple[Kind, str]] = []
    for kind, value in (
        ("item", item),
        ("incident", incident),
        ("weapon_system", weapon_system),
        ("manufacturer", manufacturer),
    ):
        if value:
            subjects.append((kind, value))  # type: ignore[arg-type]  # kinds listed above
    # --campaign --weapon-system X is that system's report, which always shows its trends.
    if campaign and not subjects:
        return "campaign", None
    if len(subjects) == 1 and (not campaign or subjects[0][0] == "weapon_system"):
        return subjects[0]
    raise ReportError(
        "say what the report is about: one ITEM_ID, or one of --incident, --weapon-system, "
        "--manufacturer or --campaign (a campaign may name only a weapon system)"
    )


@app.command("report")
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    item: Annotated[str | None, typer.Argument(help="The item to report on.")] = None,
    fmt: Annotated[
        Literal["html", "pdf"] | None,
        typer.Option("--format", help="html or pdf (default: from the file name)."),
    ] = None,
    incident: Annotated[str | None, typer.Option(help="Report on this incident.")] = None,
    weapon_system: Annotated[str | None, typer.Option(help="Report on this system.")] = None,
    manufacturer: Annotated[str | None, typer.Option(help="Report on this maker id.")] = None,
    campaign: Annotated[
        bool, typer.Option("--campaign", help="Report on everything in the time/place filter.")
    ] = False,
    since: DateOption = None,
    until: DateOption = None,
    country: Annotated[str | None, typer.Option(help="Documented in (ISO alpha-2).")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Published items only, places rounded.")
    ] = False,
    parquet: Annotated[
        Path | None,
        typer.Option(help="Count from this snapshot or Parquet fact file (armtrace snapshot)."),
    ] = None,
) -> None:
    """Write a report (HTML or PDF): summary, supply chain, charts, map, dating, attribution.

    Example: armtrace report EX-MSL-001 --format pdf -o ex-msl-001.pdf
    Example: armtrace report --campaign --weapon-system KN-23 --since 2024-01-01 -o kn23.html
    """
    with user_errors():
        kind, subject = _request(item, incident, weapon_system, manufacturer, campaign)
        request = ReportRequest(
            kind, subject, country=country, public=public,
            since=since.date() if since else None, until=until.date() if until else None,
        )  # fmt: skip
    with open_store() as store, err.status("building the report"):
        result = create_report(store, request, output, fmt=fmt, parquet=parquet)
    missing = [
        name
        for name, value in (("summary sentence", result.sentence), ("dating", result.dating),
                            ("attribution", result.attribution), ("links", result.links))
        if hasattr(value, "reason")
    ]  # fmt: skip
    err.print(
        f"wrote {output}: {result.components:,} components, {len(result.companies)} companies"
        + (", EXERCISE DATA" if result.exercise else "")
        + (f"; not available: {', '.join(missing)}" if missing else "")
    )
