"""The request letter: what the team found, where, and what it asks, as HTML or PDF.

Invariants:
- Photos come from the evidence store (re-hashed on read) and are embedded as data URIs, so the
  letter is one self-contained file; a photo that is missing or altered is named, not dropped.
- An exercise request says so in its title, a banner and the footer of every PDF page.
- The deadline printed is the stored answer deadline once the request is sent; for a draft it is
  28 days after the letter's date.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from armtrace.errors import EvidenceError
from armtrace.refdata.countries import country_name, is_country_code
from armtrace.store import Store, tables
from armtrace.tracing import states
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import TraceRequest
from armtrace.tracing.requests import get_request

_ENV = Environment(
    loader=PackageLoader("armtrace.tracing", "templates"), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class LetterComponent:
    """One component as the letter shows it."""

    item_key: str
    key: str
    marking: str
    description: str
    identified: str
    item_type: str
    documented: str
    photo_uri: str | None
    photo_note: str | None


def letter_html(
    store: Store, ref: str | int, *, today: date | None = None, sender: str | None = None
) -> str:
    """The request letter as one self-contained HTML page."""
    today = today or date.today()
    request = get_request(store, ref)
    due = request.answer_due or states.answer_due(today)
    return _ENV.get_template("letter.html").render(
        request=request,
        components=_components(store, request),
        letter_date=(request.sent_on or today).isoformat(),
        due=due.isoformat(),
        days=states.ANSWER_DAYS,
        country=_country(request.recipient_country),
        sender=sender or "the trace team",
    )


def write_letter(
    store: Store,
    ref: str | int,
    path: Path,
    *,
    today: date | None = None,
    sender: str | None = None,
) -> Path:
    """Write the letter to ``path``: PDF for .pdf, HTML for .html or .htm."""
    html = letter_html(store, ref, today=today, sender=sender)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(html, encoding="utf-8")
    elif suffix == ".pdf":
        path.write_bytes(render_pdf(html))
    else:
        raise TracingError(f"{path}: write the letter to a .pdf or .html file")
    return path


def render_pdf(html: str) -> bytes:
    """The letter's HTML as PDF bytes (WeasyPrint; no network access needed)."""
    from weasyprint import HTML  # imported late: it loads fonts and takes a moment

    result = HTML(string=html).write_pdf()
    assert result is not None  # write_pdf without a target returns bytes
    return bytes(result)


def _components(store: Store, request: TraceRequest) -> list[LetterComponent]:
    c, i, n, r = tables.components, tables.items, tables.incidents, tables.readings
    ev = tables.evidence
    ids = [x.id for x in request.components]
    with store.engine.connect() as conn:
        rows = (
            conn.execute(
                select(
                    c.c.id,
                    c.c.key,
                    c.c.marking,
                    c.c.description,
                    c.c.photo,
                    c.c.photo_sha256,
                    i.c.key.label("item_key"),
                    i.c.item_type,
                    n.c.place,
                    n.c.country,
                    n.c.incident_date,
                    r.c.part_number,
                    r.c.manufacturer_id,
                    ev.c.media_type,
                )
                .join(i, i.c.id == c.c.item_id)
                .join(n, n.c.id == i.c.incident_id)
                .outerjoin(r, r.c.component_id == c.c.id)
                .outerjoin(ev, ev.c.sha256 == c.c.photo_sha256)
                .where(c.c.id.in_(ids))
                .order_by(i.c.key, c.c.id)
            )
            .mappings()
            .all()
        )
    return [_component(store, row) for row in rows]


def _component(store: Store, row: Any) -> LetterComponent:
    get = row.__getitem__
    uri, note = None, None
    if get("photo_sha256"):
        try:
            data = store.evidence.read(str(get("photo_sha256")))
            media = str(get("media_type") or "image/jpeg")
            uri = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        except EvidenceError as exc:
            note = f"photo not included: {exc}"
    elif get("photo"):
        note = f"photo held as a reference: {get('photo')}"
    when = get("incident_date")
    place = ", ".join(str(x) for x in (get("place"), _country(get("country"))) if x)
    documented = " on ".join(x for x in (place, when.isoformat() if when else "") if x)
    maker = get("manufacturer_id")
    part = get("part_number")
    identified = " by ".join(str(x) for x in (part, maker) if x) or "not identified"
    return LetterComponent(
        item_key=str(get("item_key")),
        key=str(get("key")),
        marking=str(get("marking") or ""),
        description=str(get("description") or ""),
        identified=identified,
        item_type=str(get("item_type") or "item of unknown type"),
        documented=documented or "place and date not recorded",
        photo_uri=uri,
        photo_note=note,
    )


def _country(code: object) -> str | None:
    if isinstance(code, str) and is_country_code(code):
        return country_name(code)
    return None
