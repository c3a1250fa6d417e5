"""Render a ``Report`` as one self-contained HTML file or as PDF (WeasyPrint).

Invariants:
- The HTML has no external resource: CSS inline, charts and map as inline SVG, photos as data
  URIs; it opens offline and prints as it shows.
- When the report includes exercise data, "EXERCISE DATA" is on every page: a banner at the top
  and bottom of the HTML, and the page header and footer of every PDF page (CSS ``@page``).
- All text from data is escaped by Jinja's autoescape; SVG from the chart and map modules is
  trusted because they escape their own labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from armtrace.refdata.vocabulary import load_chpl, load_hs_codes
from armtrace.reports.document.model import (
    NOT_PROOF,
    Report,
    ReportError,
    ReportRequest,
    Unavailable,
)
from armtrace.store import Store

Format = Literal["html", "pdf"]
MAX_COMPANY_ROWS = 60  # a campaign can involve hundreds of makers; the rest are summed up


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("armtrace.reports.document", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = lambda svg: Markup(svg)  # charts and maps escape their own text
    env.filters["percent"] = lambda share: f"{share * 100:.1f}%"
    env.tests["unavailable"] = lambda value: isinstance(value, Unavailable)
    return env


def render_html(report: Report) -> str:
    """The report as one self-contained HTML document."""
    tiers = {tier.id: tier.name for tier in load_chpl().tiers}
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            not_proof=NOT_PROOF,
            hs=load_hs_codes(),
            tiers=tiers,
            chpl=load_chpl(),
            max_companies=MAX_COMPANY_ROWS,
        )
    )


def render_pdf(report: Report) -> bytes:
    """The report as PDF, rendered by WeasyPrint from the same HTML."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(report)).write_pdf()
    if pdf is None:
        raise ReportError("WeasyPrint produced no PDF")
    return bytes(pdf)


def write_report(report: Report, path: Path, fmt: Format | None = None) -> Path:
    """Write the report to ``path`` as HTML or PDF (default: from the file's suffix)."""
    chosen = fmt or ("pdf" if path.suffix.lower() == ".pdf" else "html")
    if chosen not in ("html", "pdf"):
        raise ReportError(f"{path}: report format must be html or pdf, not {chosen!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if chosen == "pdf":
        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render_html(report), encoding="utf-8")
    return path


def create_report(
    store: Store | None,
    request: ReportRequest,
    path: Path,
    *,
    fmt: Format | None = None,
    parquet: Path | None = None,
) -> Report:
    """Build the report ``request`` asks for and write it to ``path`` (HTML or PDF)."""
    from armtrace.reports.document.gather import build_report

    report = build_report(store, request, parquet=parquet)
    write_report(report, path, fmt)
    return report
