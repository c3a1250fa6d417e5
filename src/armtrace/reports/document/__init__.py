"""Reports as documents: one item, incident, weapon system, manufacturer or campaign, in HTML
and PDF, built from the store's figures with their provenance (see ``model`` for invariants)."""

from armtrace.reports.document.gather import build_report
from armtrace.reports.document.model import (
    KINDS,
    NOT_PROOF,
    Kind,
    Report,
    ReportError,
    ReportRequest,
    Unavailable,
)
from armtrace.reports.document.render import (
    create_report,
    render_html,
    render_pdf,
    write_report,
)

__all__ = [
    "KINDS",
    "NOT_PROOF",
    "Kind",
    "Report",
    "ReportError",
    "ReportRequest",
    "Unavailable",
    "build_report",
    "create_report",
    "render_html",
    "render_pdf",
    "write_report",
]
