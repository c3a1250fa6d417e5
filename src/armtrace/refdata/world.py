"""The bundled world outline: Natural Earth 1:110m countries as GeoJSON, for maps that work offline.

Invariants:
- The data is Natural Earth (public domain), redistributed by the npm package world-atlas; where
  it came from and how it was converted is in ``data/world/SOURCE.txt`` beside it.
- Coordinates are [longitude, latitude] in decimal degrees; only Polygon and MultiPolygon
  geometries occur.
- The file is read once per process; callers get the same dict and must not change it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from armtrace.errors import ReferenceDataError

WORLD_FILE = "countries-110m.geojson"
WORLD_SOURCE = (
    "Natural Earth 1:110m countries (public domain), via the npm package world-atlas 2.0.2"
)

Ring = tuple[tuple[float, float], ...]


def world_geojson_text() -> str:
    """The bundled outline as GeoJSON text, to serve to browsers as it is."""
    path = resources.files("armtrace.refdata") / "data" / "world" / WORLD_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(
            f"the world outline {WORLD_FILE} is missing from armtrace/refdata/data/world: "
            "reinstall armtrace"
        ) from exc


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """The world's countries as a GeoJSON FeatureCollection (read once, shared: do not modify)."""
    data: dict[str, Any] = json.loads(world_geojson_text())
    if data.get("type") != "FeatureCollection":
        raise ReferenceDataError(f"{WORLD_FILE} is not a GeoJSON FeatureCollection")
    return data


def world_rings() -> tuple[Ring, ...]:
    """Every outer and inner ring of every country, as (longitude, latitude) pairs (cached)."""
    return _rings()


@lru_cache(maxsize=1)
def _rings() -> tuple[Ring, ...]:
    rings: list[Ring] = []
    for feature in world_geojson()["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            rings.extend(tuple((float(lon), float(lat)) for lon, lat in ring) for ring in polygon)
    return tuple(rings)
