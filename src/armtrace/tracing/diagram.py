"""Server-side SVG of a custody chain (boxes and arrows) and of its timeline; no script needed.

Invariants: the SVG is self-contained (no external fonts, images or scripts) so it works in the
web page, in a PDF report and offline; every text is escaped; an exercise chain carries the
label inside the picture, so a copied image still says it is not real.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from armtrace.tracing.chains import Chain, Node

WIDTH = 680
BOX_W, BOX_H, GAP = 400, 58, 58
LEFT = 20
RED, GREEN, GREY, INK = "#b00020", "#1b7f3b", "#777777", "#111111"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class TimelineEvent:
    """One dated thing that happened in a chain."""

    on: date
    label: str
    kind: str  # "transfer", "listing" or "recovery"


def render_chain_svg(chain: Chain) -> str:
    """The chain as boxes (parties) joined by arrows (transfers or undocumented gaps)."""
    top = 40 if chain.exercise else 14
    height = top + len(chain.nodes) * (BOX_H + GAP) - GAP + 14
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="custody chain {escape(chain.key)}">',
        f"<title>Custody chain of {escape(', '.join(chain.component_keys))} "
        f"({escape(chain.item_key)})</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/>'
        "</marker></defs>",
    ]
    if chain.exercise:
        parts.append(_text(LEFT, 24, "EXERCISE DATA — fictitious chain", RED, 13, bold=True))
    diversion = chain.diversion
    for index, node in enumerate(chain.nodes):
        y = top + index * (BOX_H + GAP)
        legit = diversion is not None and node.name == diversion.last_legitimate_custodian
        parts.append(_box(node, y, legit))
        if index < len(chain.links):
            parts.append(_arrow(chain, index, y + BOX_H, y + BOX_H + GAP))
    parts.append("</svg>")
    return "\n".join(parts)


def chain_timeline(chain: Chain) -> list[TimelineEvent]:
    """The chain's dated events in order: transfers, listings of its parties, the recovery."""
    events: list[TimelineEvent] = []
    for index, link in enumerate(chain.links):
        tr = link.transfer
        if tr is not None and tr.transfer_date is not None:
            label = f"{chain.nodes[index].name} → {chain.nodes[index + 1].name}"
            events.append(TimelineEvent(tr.transfer_date, label, "transfer"))
    for node in chain.nodes:
        since = node.sanctions.listed_since
        if node.sanctions.listed and since is not None:
            events.append(
                TimelineEvent(since, f"{node.name} listed ({node.sanctions.dataset})", "listing")
            )
    last = chain.nodes[-1]
    if last.role == "recovery" and last.received_on is not None:
        events.append(TimelineEvent(last.received_on, last.name, "recovery"))
    return sorted(events, key=lambda e: (e.on, e.kind))


def render_timeline_svg(chain: Chain) -> str:
    """The chain's events on a dated axis, one row each."""
    events = chain_timeline(chain)
    row = 26
    height = 30 + max(len(events), 1) * row
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="timeline of {escape(chain.key)}">',
        f'<line x1="110" y1="10" x2="110" y2="{height - 6}" stroke="{GREY}"/>',
    ]
    if chain.exercise:
        parts.append(_text(WIDTH - 230, 20, "EXERCISE DATA — fictitious", RED, 11, bold=True))
    if not events:
        parts.append(_text(120, 34, "no dated events: every date in this chain is unknown", GREY))
    colours = {"transfer": INK, "listing": RED, "recovery": GREEN}
    for index, event in enumerate(events):
        y = 30 + index * row
        colour = colours[event.kind]
        parts.append(f'<circle cx="110" cy="{y - 4}" r="5" fill="{colour}"/>')
        parts.append(_text(LEFT - 10, y, event.on.isoformat(), colour, 11))
        parts.append(
            _text(
                124, y, _clip(event.label, 62 if chain.exercise and index == 0 else 84), colour, 11
            )
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _box(node: Node, y: int, legit: bool) -> str:
    listed = node.sanctions.listed
    stroke = RED if listed else (GREEN if legit else INK)
    dash = ' stroke-dasharray="5,4"' if node.role == "recovery" else ""
    country = f" ({node.country})" if node.country else ""
    lines = [
        f"<g><title>{escape(node.name)}{escape(country)}</title>"
        f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#ffffff" '
        f'stroke="{stroke}" stroke-width="{3 if listed or legit else 1.5}"{dash}/>',
        _text(LEFT + 10, y + 22, _clip(node.name + country, 46), INK, 12, bold=True),
        _text(LEFT + 10, y + 42, _role(node), GREY, 11),
    ]
    badge_x = LEFT + BOX_W + 12
    if listed:
        since = node.sanctions.listed_since
        lines.append(
            _text(
                badge_x,
                y + 20,
                "LISTED: " + _clip(node.sanctions.caption or "", 26),
                RED,
                11,
                bold=True,
            )
        )
        lines.append(
            _text(
                badge_x,
                y + 36,
                f"since {since.isoformat()}" if since else "listing date unknown",
                RED,
                11,
            )
        )
        lines.append(
            _text(badge_x, y + 52, _listing_side(node.sanctions.transfer_after_listing), RED, 10)
        )
    elif not node.sanctions.screened and node.role != "recovery":
        lines.append(_text(badge_x, y + 34, "not screened", GREY, 11))
    if legit:
        lines.append(
            _text(
                badge_x,
                y + (8 if listed else 20),
                "last legitimate custodian",
                GREEN,
                11,
                bold=True,
            )
        )
    lines.append("</g>")
    return "\n".join(lines)


def _arrow(chain: Chain, index: int, y1: int, y2: int) -> str:
    link = chain.links[index]
    diversion = chain.diversion
    diverted = diversion is not None and diversion.link_index == index
    colour = RED if diverted else (INK if link.transfer else GREY)
    dash = "" if link.transfer else ' stroke-dasharray="6,5"'
    x = LEFT + 40
    parts = [
        f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2 - 2}" stroke="{colour}" '
        f'stroke-width="{3 if diverted else 1.5}"{dash} marker-end="url(#arrow)"/>'
    ]
    tr = link.transfer
    if tr is None:
        label = "custody undocumented"
    else:
        when = tr.transfer_date.isoformat() if tr.transfer_date else "date unknown"
        source = f"answer to {tr.request_key}" if tr.request_key else "analyst's document"
        label = f"{when} · {source}" + (f" · lot {tr.lot}" if tr.lot else "")
    parts.append(_text(x + 14, y1 + 24, _clip(label, 60), colour, 11))
    if diverted and diversion is not None:
        who = "marked by analyst" if diversion.by == "analyst" else f"suggested ({diversion.by})"
        parts.append(_text(x + 14, y1 + 40, f"point of diversion — {who}", RED, 11, bold=True))
    return "\n".join(parts)


def _listing_side(after: bool | None) -> str:
    if after is None:
        return "before or after listing: unknown"
    return "received AFTER listing" if after else "received before listing"


def _role(node: Node) -> str:
    if node.role == "recovery":
        return (
            f"point of recovery{' · ' + node.received_on.isoformat() if node.received_on else ''}"
        )
    received = f" · received {node.received_on.isoformat()}" if node.received_on else ""
    return ("maker" if node.role == "maker" else "custodian") + received


def _text(x: int, y: int, text: str, colour: str, size: int = 12, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x}" y="{y}" {FONT} font-size="{size}" fill="{colour}"{weight}>'
        f"{escape(text)}</text>"
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
