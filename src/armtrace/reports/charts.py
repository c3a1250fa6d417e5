"""Charts as inline SVG, generated in Python: no JavaScript, so they print and render in PDF.

Invariants:
- Every chart is an accessible image: ``role="img"`` with a ``<title>`` and a ``<desc>`` that
  states the numbers in words, so a screen reader (or a text extraction of the PDF) gets the data.
- Every piece of text that comes from data is escaped; a label cannot inject markup.
- Element ids derive from the chart's content, so the same data gives byte-identical output.
- Values must be finite and not negative (counts and shares); anything else is a ValueError.
- A bar label never runs past the chart's left edge: one too wide for ``LABEL_ROOM`` is cut at
  the end with an ellipsis, and its full text is the element's ``<title>`` (tooltip).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date
from html import escape

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
BAR_COLOUR = "#2b6cb0"
AXIS_COLOUR = "#4a5568"
WIDTH = 640
ROW_HEIGHT = 22
LABEL_WIDTH = 240
LABEL_SIZE = 12  # px
LABEL_ROOM = LABEL_WIDTH - 6 - 8  # label ends 6 px before its bar and keeps 8 px from the edge
# Advance widths of printable ASCII (space to "~") in thousandths of an em, from DejaVu Sans
# (PIL ImageFont.getlength on DejaVuSans.ttf): wider than system-ui, Segoe UI or Roboto, and the
# font WeasyPrint falls back to on Debian, so a label that fits with these widths fits anywhere.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_OTHER_WIDTH = 1000  # any other character: a full em (CJK is; accented Latin and Cyrillic less)
ELLIPSIS = "…"  # 1000 thousandths in DejaVu Sans


def svg_id(kind: str, *parts: object) -> str:
    """A stable element id derived from the chart's kind and content."""
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def number(value: float) -> str:
    """A value as people read it: whole numbers without decimals, others with one."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def svg_open(ident: str, width: int, height: int, title: str, desc: str) -> str:
    """The opening of an accessible SVG image with its title and description."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" style="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def _check(values: Sequence[float]) -> None:
    for value in values:
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"chart values must be finite and not negative, got {value!r}")


def with_unit(value: float, unit: str) -> str:
    """A value with its unit, singular for exactly one ("1 component", "2 components")."""
    if not unit:
        return number(value)
    if value == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{number(value)} {unit}"


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """An upper estimate of the text's width in px at ``size`` px (see ``_ASCII_WIDTHS``)."""
    thousandths = sum(
        _ASCII_WIDTHS[ord(ch) - 32] if 32 <= ord(ch) < 127 else _OTHER_WIDTH for ch in text
    )
    return thousandths * size / 1000


def fit_label(label: str, room: float = LABEL_ROOM, size: float = LABEL_SIZE) -> str:
    """The label as it fits in ``room`` px: whole, or cut at the end with an ellipsis."""
    if text_width(label, size) <= room:
        return label
    budget = room - text_width(ELLIPSIS, size)
    kept, used = 0, 0.0
    for ch in label:
        used += text_width(ch, size)
        if used > budget:
            break
        kept += 1
    return label[:kept].rstrip() + ELLIPSIS


def _empty(ident: str, title: str) -> str:
    return (
        svg_open(ident, WIDTH, 60, title, f"{title}: no data.")
        + f'<text x="8" y="20" font-size="14" font-weight="600">{escape(title)}</text>'
        + '<text x="8" y="44" font-size="13" fill="#4a5568">No data.</text></svg>'
    )


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str, unit: str = "") -> str:
    """A horizontal bar chart of labelled values, largest first as given, as inline SVG."""
    _check([value for _, value in rows])
    ident = svg_id("bar", title, unit, tuple(rows))
    if not rows:
        return _empty(ident, title)
    desc = f"{title}: " + "; ".join(f"{label}: {with_unit(v, unit)}" for label, v in rows) + "."
    top = 30
    height = top + ROW_HEIGHT * len(rows) + 8
    largest = max(value for _, value in rows) or 1.0
    longest_value = max(len(with_unit(value, unit)) for _, value in rows)
    span = WIDTH - LABEL_WIDTH - 12 - 7 * longest_value  # room on the right for the value text
    parts = [
        svg_open(ident, WIDTH, height, title, desc),
        f'<text x="8" y="18" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * ROW_HEIGHT
        length = max(value / largest * span, 1.0 if value else 0.0)
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 6}" y="{y + 15}" font-size="{LABEL_SIZE}" '
            'text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(fit_label(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 6}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + 15}" font-size="12" '
            f'fill="{AXIS_COLOUR}">{escape(with_unit(value, unit))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(points: Sequence[tuple[date, int]], *, title: str) -> str:
    """Counts over time (e.g. date codes by month) as vertical bars on a dated axis, inline SVG."""
    _check([float(count) for _, count in points])
    merged: dict[date, int] = {}
    for day, count in points:
        merged[day] = merged.get(day, 0) + count
    ordered = sorted(merged.items())
    ident = svg_id("timeline", title, tuple(ordered))
    if not ordered:
        return _empty(ident, title)
    total = sum(count for _, count in ordered)
    desc = (
        f"{title}: {total} in all, from {ordered[0][0].isoformat()} to {ordered[-1][0].isoformat()}"
        "; " + "; ".join(f"{day.isoformat()}: {count}" for day, count in ordered) + "."
    )
    height, left, right, top, bottom = 220, 44, 16, 30, 30
    first, last = ordered[0][0].year, ordered[-1][0].year + 1
    start, end = date(first, 1, 1).toordinal(), date(last, 1, 1).toordinal()
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    tallest = max(count for _, count in ordered) or 1
    bar_w = max(plot_w / max(end - start, 1) * 25, 3.0)  # about a month wide, at least 3 px
    parts = [
        svg_open(ident, WIDTH, height, title, desc),
        f'<text x="8" y="18" font-size="14" font-weight="600">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" '
        f'stroke="{AXIS_COLOUR}"/>',
        f'<text x="{left - 6}" y="{top + 10}" font-size="11" text-anchor="end" '
        f'fill="{AXIS_COLOUR}">{tallest}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="11" text-anchor="end" '
        f'fill="{AXIS_COLOUR}">0</text>',
    ]
    step = max(1, math.ceil((last - first) / 10))  # at most about ten year labels
    for year in range(first, last + 1, step):
        x = left + (date(year, 1, 1).toordinal() - start) / (end - start) * plot_w
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" '
            f'stroke="{AXIS_COLOUR}"/><text x="{x:.1f}" y="{top + plot_h + 18}" font-size="11" '
            f'text-anchor="middle" fill="{AXIS_COLOUR}">{year}</text>'
        )
    for day, count in ordered:
        x = left + (day.toordinal() - start) / (end - start) * plot_w
        bar_h = count / tallest * plot_h
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR_COLOUR}"><title>{escape(day.isoformat())}: '
            f"{count}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)
