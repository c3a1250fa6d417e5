"""Build a ``Report`` from the store (or a Parquet fact file for campaigns): the figures, charts,
map, photos and the analyses of other modules, each with its provenance.

Invariants:
- Nothing is shown that the scope does not contain; an empty scope is an error, not a blank
  report, so a typo in an item key cannot produce a misleading document.
- Public reports (``request.public``) count published items only, round places to 0.1 degree and
  name companies as disclosure terms allow.
"""

from __future__ import annotations

import base64
import datetime
import io
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from PIL import Image

from armtrace.errors import EvidenceError, NotFound
from armtrace.exports.parquet import write_parquet
from armtrace.exports.scope import coordinate, public_namer
from armtrace.markings.readings import registry_version
from armtrace.ocr import MAX_PIXELS
from armtrace.refdata.manufacturers import load_registry
from armtrace.refdata.vocabulary import load_chpl
from armtrace.reports.campaign import CampaignFilter, campaign_trends
from armtrace.reports.charts import bar_chart, timeline_chart
from armtrace.reports.document import analysis
from armtrace.reports.document.model import (
    CompanyRow,
    Figure,
    Photo,
    Report,
    ReportError,
    ReportRequest,
    Unavailable,
)
from armtrace.reports.document.tally import CompanyTally, Tally, fill_places, tally_store
from armtrace.reports.document.tally_parquet import tally_parquet
from armtrace.reports.maps import MapPoint, points_map
from armtrace.store import Store
from armtrace.visibility import unpublished_reference_keys, withhold_item_names

MAX_BARS = 15
MAX_PHOTOS = 12
PHOTO_PIXELS = 800  # longest side of an embedded photo; the evidence keeps the original
MAX_MAP_POINTS = 1500


def _companies(tally: Tally, name_for: Callable[[str], str]) -> list[CompanyRow]:
    rows = sorted(tally.companies.values(), key=lambda c: (-c.components, c.name))
    total = tally.identified or 1
    return [
        CompanyRow(
            name_for(c.name),
            c.registry_id,
            name_for(c.owner) if c.owner else None,
            c.headquarters,
            c.components,
            c.components / total,
            tuple(sorted(c.tiers)),
            tuple(sorted(c.hs_codes)),
        )
        for c in rows
    ]


def _bars(counts: list[tuple[str, int]]) -> list[tuple[str, float]]:
    shown = [(label, float(n)) for label, n in counts[:MAX_BARS]]
    if rest := sum(n for _, n in counts[MAX_BARS:]):
        shown.append((f"{len(counts) - MAX_BARS} others", float(rest)))
    return shown


def _map(tally: Tally, public: bool) -> Figure:
    points: dict[tuple[float, float], list[str]] = {}
    for place in sorted(tally.incidents.values(), key=lambda p: p.key):
        lat, lon = coordinate(place.latitude, public), coordinate(place.longitude, public)
        if lat is not None and lon is not None:
            points.setdefault((round(lat, 2), round(lon, 2)), []).append(place.place or place.key)
    undocumented = len(tally.incidents) - sum(len(v) for v in points.values())
    marks = [
        MapPoint(lat, lon, names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1})")
        for (lat, lon), names in list(points.items())[:MAX_MAP_POINTS]
    ]
    provenance = (
        f"{len(tally.incidents)} incidents in scope, {len(marks)} places drawn"
        + (f", {undocumented} without coordinates" if undocumented else "")
        + ("; coordinates rounded to 0.1 degree (public report)" if public else "")
    )
    svg: str | Unavailable = points_map(marks) if marks else Unavailable("no coordinates")
    return Figure("Where the items were documented", svg, provenance)


def _embeddable(data: bytes) -> str | None:
    """A downscaled copy of a photo as a data URI, without its metadata (EXIF can hold GPS)."""
    try:
        with warnings.catch_warnings():
            # The pixel check below replaces Pillow's decompression-bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            # A decompression bomb (a small file claiming a huge picture) is not decoded.
            if image.width * image.height > MAX_PIXELS:
                return None
            image.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            keeps_alpha = image.mode in ("RGBA", "LA", "P")
            buffer = io.BytesIO()
            if keeps_alpha:
                image.save(buffer, format="PNG")
            else:
                image.convert("RGB").save(buffer, format="JPEG", quality=85)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    kind = "image/png" if keeps_alpha else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(buffer.getvalue()).decode('ascii')}"


def _photos(store: Store, tally: Tally) -> tuple[list[Photo], list[str]]:
    photos: list[Photo] = []
    notes: list[str] = []
    seen: set[str] = set()
    for _, sha, item, component, caption in sorted(tally.photos):
        if sha in seen or len(photos) >= MAX_PHOTOS:
            continue
        seen.add(sha)
        try:
            uri = _embeddable(store.evidence.read(sha))  # read() re-checks the hash
        except EvidenceError as exc:
            notes.append(f"photo of {item} {component} not shown: {exc}")
            continue
        if uri is None:
            notes.append(f"photo of {item} {component} ({sha[:12]}) is not an image armtrace reads")
            continue
        photos.append(Photo(item, component, caption, uri, sha))
    return photos, notes


def _sightings(
    store: Store | None, tally: Tally, flt: CampaignFilter
) -> list[dict[str, Any]] | Unavailable:
    """First sightings made at the incidents in scope."""
    if store is None:
        return Unavailable("first sightings need the store; this report came from a Parquet file")
    found = analysis.first_sightings(store, flt.since)
    if isinstance(found, Unavailable):
        return found
    return [s for s in found if s.get("incident_key") in tally.incidents]


def _figures(
    tally: Tally,
    companies: list[CompanyRow],
    scope_text: str,
    sightings: list[dict[str, Any]] | Unavailable,
) -> list[Figure]:
    counted = f"{tally.identified} identified of {tally.components} components ({scope_text})"
    by_country = _bars(tally.countries.most_common())
    by_company = _bars([(c.name, c.components) for c in companies])
    figures = [
        Figure("Components by headquarters country", bar_chart(by_country, title="Components by "
               "headquarters country of the brand owner at the time"), counted),
        Figure("Components by company", bar_chart(by_company, title="Components by company"),
               counted),
        Figure("Date codes over time", timeline_chart(sorted(tally.date_codes.items()),
               title="Latest possible production month of dated components"),
               f"{sum(tally.date_codes.values())} dated components ({scope_text})"),
    ]  # fmt: skip
    if isinstance(sightings, Unavailable):
        figures.append(Figure("First sightings over time", sightings, sightings.reason))
        return figures
    months = Counter(
        datetime.date.fromisoformat(str(s["first_seen"])).replace(day=1)
        for s in sightings
        if s.get("first_seen")
    )
    figures.append(Figure(
        "First sightings over time",
        timeline_chart(sorted(months.items()), title="First sightings by month"),
        f"{len(sightings)} first sightings at incidents in scope (armtrace.attribution.sightings)",
    ))  # fmt: skip
    return figures


def _named_makers(trends: dict[str, Any], name_for: Callable[[str], str]) -> dict[str, Any]:
    """New makers by name (as disclosure terms allow) instead of registry ids."""
    registry = load_registry()
    for period in trends["periods"]:
        names = []
        for maker in period["new_makers"]:
            try:
                names.append(name_for(registry.get(maker).name))
            except NotFound:  # an analyst's own name for a maker the registry lacks
                names.append(name_for(maker))
        period["new_makers"] = sorted(names)
    return trends


def _named_sightings(
    sightings: list[dict[str, Any]] | Unavailable, name_for: Callable[[str], str]
) -> list[dict[str, Any]] | Unavailable:
    """First sightings of makers named as disclosure terms allow, in the value and the why."""
    if isinstance(sightings, Unavailable):
        return sightings
    named = []
    for sighting in sightings:
        value = str(sighting.get("value", ""))
        label = name_for(value) if sighting.get("aspect") == "manufacturer" else value
        if label != value:
            why = str(sighting.get("why", "")).replace(value, label)
            sighting = {**sighting, "value": label, "why": why}
        named.append(sighting)
    return named


def _links(store: Store | None, tally: Tally, public: bool) -> list[dict[str, Any]] | Unavailable:
    """Links of the items in scope; a public report shows only links between items in scope."""
    if store is None:
        return Unavailable("links need the store")
    found = analysis.links(store, sorted(tally.items))
    if isinstance(found, Unavailable) or not public:
        return found
    return [link for link in found if {link["item_a"], link["item_b"]} <= tally.items.keys()]


def _by_size(company: CompanyTally) -> tuple[int, str]:
    return -company.components, company.name


def _package_version() -> str:
    try:
        return version("armtrace")
    except PackageNotFoundError:
        return "unknown"


def fact_file(path: Path) -> Path:
    """The components fact file of a snapshot directory, or the file itself."""
    return path / "components.parquet" if path.is_dir() else path


def _trends(
    store: Store | None, request: ReportRequest, flt: CampaignFilter, parquet: Path | None
) -> dict[str, Any]:
    """Supply-chain trends with DuckDB, over the given fact file or a fresh one from the store."""
    if parquet is not None:
        return campaign_trends(parquet, flt).as_json()
    assert store is not None  # build_report checked that one of them is given
    with tempfile.TemporaryDirectory(prefix="armtrace-report-") as folder:
        facts = Path(folder) / "components.parquet"
        write_parquet(store, facts, public=request.public)
        return campaign_trends(facts, flt).as_json()


def build_report(
    store: Store | None,
    request: ReportRequest,
    *,
    parquet: Path | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """Gather every figure of one report; ``parquet`` computes a campaign from a fact file."""
    scope = request.scope()
    flt = CampaignFilter(
        weapon_system=request.subject if request.kind == "weapon_system" else None,
        country=scope.country, since=request.since, until=request.until,
        published_only=request.public,
    )  # fmt: skip
    if parquet is not None:
        if request.kind not in ("campaign", "weapon_system"):
            raise ReportError("a report from a Parquet file is a campaign or weapon-system report")
        parquet = fact_file(parquet)
        tally = tally_parquet(str(parquet), flt)
        if store is not None:
            fill_places(store, tally)
    elif store is not None:
        tally = tally_store(store, scope)
    else:
        raise ReportError("a report needs the store or a Parquet fact file")
    if tally.components == 0:
        raise ReportError(
            f"nothing to report: no documented components in scope ({scope.describe()}); "
            "check the key or widen the filter"
        )
    name_for, notes = public_namer(store, request.public) if store else ((lambda n: n), ())
    scope_text = scope.describe()
    items = sorted(tally.items)
    unattributed = [key for key, system in tally.items.items() if not system]
    photos, photo_notes = _photos(store, tally) if store else ([], ["photos need the store"])
    campaign = None
    if request.kind in ("campaign", "weapon_system"):
        campaign = _named_makers(_trends(store, request, flt, parquet), name_for)
    sightings = _named_sightings(_sightings(store, tally, flt), name_for)
    companies = _companies(tally, name_for)
    generated = now or datetime.datetime.now(datetime.UTC)
    return Report(
        request=request, title=request.title(), scope_text=scope_text, generated_at=generated,
        exercise=tally.exercise, components=tally.components, identified=tally.identified,
        sentence=analysis.summary_sentence(store, scope) if store else Unavailable(
            "the summary sentence needs the store"),
        companies=companies,
        countries=tally.countries.most_common(),
        figures=_figures(tally, companies, scope_text, sightings),
        sightings=sightings if isinstance(sightings, list) else [],
        map=_map(tally, request.public),
        dating=analysis.dating(store, items) if store else Unavailable("needs the store"),
        attribution=_attribution(store, unattributed, request.public) if store else Unavailable(
            "needs the store"),
        links=_links(store, tally, request.public),
        photos=photos,
        campaign=campaign,
        provenance={
            "scope": scope_text,
            "source": str(parquet) if parquet else "the armtrace store (components joined with "
            "items, incidents and machine readings; analyst identifications take precedence)",
            "registry version (bundled)": registry_version(),
            "registry versions of the readings": ", ".join(sorted(tally.registry_versions))
            or "none recorded",
            "CHPL version": load_chpl().version,
            "armtrace version": _package_version(),
            "generated at": generated.strftime("%Y-%m-%d %H:%M:%S UTC"),
        },
        notes=[*notes, *photo_notes],
    )  # fmt: skip


def _attribution(
    store: Store, items: list[str], public: bool
) -> list[dict[str, Any]] | Unavailable:
    # Attribution texts name the reference items they compare with; a public report must not
    # name one that is not published.
    found = analysis.attribution(store, items)
    if not public or isinstance(found, Unavailable):
        return found
    return list(withhold_item_names(found, unpublished_reference_keys(store)))
