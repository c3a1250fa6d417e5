"""The bundled exercise case and the demo run that shows what armtrace does with it.

EXERCISE DATA: the case is modelled on public reporting of a North Korean missile documented in
Ukraine; part numbers are real products, everything else is invented (see
scripts/make_exercise_case.py) and every incident is stored with exercise=yes. The trace
requests, the custody chain and the sanctions list the demo loads are exercise data too, with
fictitious companies named "Exercise ...".

Each step calls one library function, in the order a trace team works: document, identify,
analyse, trace, screen, report, alert. Every step is idempotent, so the demo can run again on the
same store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib.resources import as_file, files
from pathlib import Path

from sqlalchemy import select

from armtrace.alerts.demo import follow_and_deliver
from armtrace.attribution.linking import link_clusters
from armtrace.attribution.score import attribute
from armtrace.attribution.sightings import first_sightings
from armtrace.exports import export
from armtrace.markings.readings import ReadingTotals, identify_components, reading_totals
from armtrace.reports.document import ReportRequest, build_report, write_report
from armtrace.reports.overview import write_overview
from armtrace.reports.summary import Scope, summarise
from armtrace.screening import describe, load_exercise_list, stored_matches
from armtrace.sheets.exporter import export_sheet
from armtrace.sheets.importer import ImportReport, import_sheet
from armtrace.store import Store, tables
from armtrace.tracing.chains import item_chains
from armtrace.tracing.exercise import ITEM as TRACED_ITEM
from armtrace.tracing.exercise import load_exercise_trace
from armtrace.workflow import set_item_state

CASE_FILE = "exercise_case.csv"
ACTOR = "armtrace demo"
CASE_ITEM = "EX-MSL-001"  # the missile of the case in DESIGN.md
FIRST_SEEN_ITEMS = ("EX-RKT-1977",)  # the rocket marked 1977, never documented there before


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put things and what it found, one line per finding."""

    imported: ImportReport
    report: Path
    sheet: Path
    counts: dict[str, int]
    readings: ReadingTotals
    findings: list[str] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)


def run_demo(store: Store, out_dir: Path) -> DemoResult:
    """Load the exercise case, analyse, trace and screen it, write the outputs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with as_file(files("armtrace.demo").joinpath("data", CASE_FILE)) as case:
        imported = import_sheet(store, Path(case), exercise=True, actor=ACTOR)
    identify_components(store)
    findings = _analyse(store)
    findings += _trace_and_screen(store)
    published = publish_exercise_items(store)
    findings.append(f"published {published} exercise items, so the viewer login sees them")
    findings.append(follow_and_deliver(store, actor=ACTOR))
    outputs = _write_outputs(store, out_dir)
    return DemoResult(
        imported=imported,
        report=outputs["report"],
        sheet=outputs["sheet"],
        counts=store.counts(),
        readings=reading_totals(store),
        findings=findings,
        outputs=outputs,
    )


def _analyse(store: Store) -> list[str]:
    summary = summarise(store, Scope(item_key=CASE_ITEM))
    lines = [f"summary of {CASE_ITEM}: {summary.sentence}"]
    if summary.dating is not None:
        lines.append(f"dating of {CASE_ITEM}: {summary.dating.why}")
    lines.append(f"attribution of {CASE_ITEM}: {attribute(store, CASE_ITEM).reason}")
    for cluster in link_clusters(store):
        lines.append(f"same build: {', '.join(cluster.items)} ({cluster.why})")
    for sighting in first_sightings(store):
        if sighting.item_key in FIRST_SEEN_ITEMS:
            lines.append(f"first sighting: {sighting.why}")
    return lines


def _trace_and_screen(store: Store) -> list[str]:
    # The chain first, so that loading the list screens the chain's companies too; then the
    # chains are read again so they show what screening found.
    trace = load_exercise_trace(store, actor=ACTOR)
    load_exercise_list(store, actor=ACTOR)
    trace = replace(trace, chains=item_chains(store, TRACED_ITEM))
    lines = [f"trace: {line}" for line in trace.lines()]
    lines += [f"sanctions screening: {describe(match)}" for match in stored_matches(store)]
    return lines


def publish_exercise_items(store: Store) -> int:
    """Verify and publish every exercise item still in draft (each step audited)."""
    items, incidents = tables.items, tables.incidents
    with store.engine.connect() as conn:
        keys = conn.execute(
            select(items.c.key)
            .join(incidents, incidents.c.id == items.c.incident_id)
            .where(incidents.c.exercise.is_(True), items.c.state == "draft")
            .order_by(items.c.key)
        ).scalars()
        drafts = list(keys)
    for key in drafts:
        set_item_state(store, key, "verified", actor=ACTOR)
        set_item_state(store, key, "published", actor=ACTOR)
    return len(drafts)


def _write_outputs(store: Store, out_dir: Path) -> dict[str, Path]:
    case_report = ReportRequest("item", CASE_ITEM)
    outputs = {
        "report": out_dir / "report.html",
        "report (PDF)": out_dir / "report.pdf",
        "sheet": Path(export_sheet(store, out_dir / "exercise-case-export.xlsx").file),
        "overview": write_overview(store, out_dir / "overview.html"),
    }
    report = build_report(store, case_report)
    write_report(report, outputs["report"])
    write_report(report, outputs["report (PDF)"])
    for label, name in (
        ("GeoJSON", "exercise-case.geojson"),
        ("Parquet", "exercise-case.parquet"),
        ("FollowTheMoney", "exercise-case.ftm.json"),
    ):
        outputs[label] = Path(export(store, out_dir / name).file)
    return outputs
