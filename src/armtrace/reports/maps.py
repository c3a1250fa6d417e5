"""Maps as inline SVG over the bundled world outline: they work offline and print in PDF.

Invariants:
- Equirectangular projection with its standard parallel at the middle of the view, so the
  shapes look right at the latitudes shown; the view fits the points with a margin.
- Only country rings that overlap the view are drawn, which keeps a regional map small.
- Every label is escaped; every point carries its label as a tooltip and in the description.
- A label's halo is a separate, aria-hidden text element drawn before it (under it): no SVG
  feature that a renderer may ignore decides whether the label is visible.
- Callers decide what may be shown: a point passed in is drawn where it says (round the
  coordinates first for audiences that must not see exact places).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from armtrace.refdata.world import WORLD_SOURCE, Ring, world_rings
from armtrace.reports.charts import svg_id, svg_open

LAND = "#e2e8f0"
BORDER = "#a0aec0"
SEA = "#f7fafc"
POINT = "#c53030"
LABEL = "#1a202c"
HALO = "#fff"  # drawn under each label so it reads over borders and land
MIN_SPAN = 24.0  # degrees of longitude; a single point still shows its region
MAX_LABELS = 12  # beyond this the labels overlap; tooltips and the description still name them


@dataclass(frozen=True)
class MapPoint:
    """A place to mark on a map."""

    latitude: float
    longitude: float
    label: str
    href: str | None = None


@dataclass(frozen=True)
class View:
    """The part of the world a map shows, in degrees, and its scale."""

    west: float
    east: float
    south: float
    north: float
    width: int

    @property
    def x_scale(self) -> float:
        return self.width / (self.east - self.west)

    @property
    def y_scale(self) -> float:
        middle = math.radians((self.north + self.south) / 2)
        return self.x_scale / max(math.cos(middle), 0.2)

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.y_scale)

    def xy(self, longitude: float, latitude: float) -> tuple[float, float]:
        """Project one position to SVG coordinates."""
        return (longitude - self.west) * self.x_scale, (self.north - latitude) * self.y_scale


def fit_view(points: Sequence[MapPoint], width: int = 640) -> View:
    """The view that shows every point with a margin (the whole world when there is none)."""
    if not points:
        return View(-180.0, 180.0, -60.0, 85.0, width)
    lons = [p.longitude for p in points]
    lats = [p.latitude for p in points]
    centre_lon, centre_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    span_lon = min(max((max(lons) - min(lons)) * 1.4, MIN_SPAN), 360.0)
    # Aspect about 3:2 after the latitude correction.
    cos_lat = max(math.cos(math.radians(centre_lat)), 0.2)
    span_lat = min(max((max(lats) - min(lats)) * 1.4, span_lon * cos_lat * 2 / 3), 170.0)
    south = max(centre_lat - span_lat / 2, -90.0)
    north = min(south + span_lat, 90.0)
    west = max(centre_lon - span_lon / 2, -180.0)
    east = min(west + span_lon, 180.0)
    return View(west, east, south, north, width)


@lru_cache(maxsize=1)
def _boxed_rings() -> tuple[tuple[Ring, float, float, float, float], ...]:
    """Each world ring with its bounding box (west, east, south, north), computed once."""
    boxed = []
    for ring in world_rings():
        lons = [lon for lon, _ in ring]
        lats = [lat for _, lat in ring]
        boxed.append((ring, min(lons), max(lons), min(lats), max(lats)))
    return tuple(boxed)


def _rings_in(view: View) -> list[Ring]:
    return [
        ring
        for ring, west, east, south, north in _boxed_rings()
        if east >= view.west and west <= view.east and north >= view.south and south <= view.north
    ]


def _ring_path(ring: Ring, view: View) -> str:
    coords = [view.xy(lon, lat) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z"


def points_map(
    points: Sequence[MapPoint], *, title: str = "Where the items were documented", width: int = 640
) -> str:
    """An SVG map of ``points`` over the world outline, fitted to them."""
    view = fit_view(points, width)
    height = view.height
    ident = svg_id("map", title, tuple(points), width)
    places = (
        "; ".join(f"{p.label} at {p.latitude:.2f}, {p.longitude:.2f}" for p in points)
        or "no places"
    )
    desc = f"{title}: {places}. Base map: {WORLD_SOURCE}."
    land = " ".join(_ring_path(ring, view) for ring in _rings_in(view))
    parts = [
        svg_open(ident, width, height, title, desc).replace('class="chart"', 'class="map"'),
        f'<rect width="{width}" height="{height}" fill="{SEA}"/>',
        f'<path d="{land}" fill="{LAND}" stroke="{BORDER}" stroke-width="0.6" '
        'fill-rule="evenodd"/>',
    ]
    for index, point in enumerate(points):
        x, y = view.xy(point.longitude, point.latitude)
        label = escape(point.label)
        mark = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{POINT}" stroke="#fff" '
            f'stroke-width="1.5"><title>{label}</title></circle>'
        )
        if len(points) <= MAX_LABELS:
            anchor = "end" if x > width * 0.75 else "start"
            dx = -8 if anchor == "end" else 8
            place = f'x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}"'
            # The white halo is its own text element underneath, not ``paint-order="stroke"``:
            # WeasyPrint ignores paint-order and would paint the halo over the letters in PDFs.
            mark += (
                f'<text {place} fill="{HALO}" stroke="{HALO}" stroke-width="3" '
                f'stroke-linejoin="round" aria-hidden="true">{label}</text>'
                f'<text {place} fill="{LABEL}">{label}</text>'
            )
        if point.href:
            mark = f'<a href="{escape(point.href)}" aria-label="{label}">{mark}</a>'
        parts.append(f'<g id="{ident}-p{index}">{mark}</g>')
    parts.append(
        f'<text x="{width - 4}" y="{height - 4}" font-size="9" text-anchor="end" '
        f'fill="#718096">Base map: Natural Earth</text></svg>'
    )
    return "".join(parts)
