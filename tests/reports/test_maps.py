"""SVG maps over the bundled world outline, and the outline itself."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from armtrace.refdata.world import world_geojson, world_geojson_text, world_rings
from armtrace.reports.maps import MapPoint, fit_view, points_map

SVG = "{http://www.w3.org/2000/svg}"
KYIV = MapPoint(50.45, 30.52, "Kyiv", "/incidents/EX-KYIV")
KHARKIV = MapPoint(49.99, 36.23, "Kharkiv")
ODESA = MapPoint(46.48, 30.72, "Odesa")


def circles(svg: str) -> list[tuple[float, float]]:
    root = ET.fromstring(svg)
    return [(float(c.get("cx") or 0), float(c.get("cy") or 0)) for c in root.iter(f"{SVG}circle")]


def test_world_outline_is_natural_earth_countries_with_a_source() -> None:
    world = world_geojson()
    assert world["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in world["features"]}
    assert {"Ukraine", "North Korea", "United States of America"} <= names
    assert len(world["features"]) == 177
    assert len(world_geojson_text().encode()) < 1_000_000
    source = (resources.files("armtrace.refdata") / "data/world/SOURCE.txt").read_text()
    assert "Natural Earth" in source and "public domain" in source.lower()
    assert "world-atlas 2.0.2" in source


def test_world_coordinates_are_longitude_latitude_degrees() -> None:
    for ring in world_rings():
        assert len(ring) >= 4 and ring[0] == ring[-1]
        for lon, lat in ring:
            assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def test_points_are_placed_by_longitude_and_latitude() -> None:
    (kyiv, kharkiv, odesa) = circles(points_map([KYIV, KHARKIV, ODESA]))
    assert kharkiv[0] > kyiv[0]  # east is right
    assert odesa[1] > kyiv[1]  # south is down
    assert abs(odesa[0] - kyiv[0]) < 15  # nearly the same meridian


def test_every_point_fits_inside_the_map() -> None:
    far = [KYIV, MapPoint(39.03, 125.75, "Pyongyang"), MapPoint(-33.9, 18.4, "Cape Town")]
    svg = points_map(far)
    root = ET.fromstring(svg)
    width, height = float(root.get("width") or 0), float(root.get("height") or 0)
    for x, y in circles(svg):
        assert 0 <= x <= width and 0 <= y <= height


def test_regional_map_draws_only_nearby_countries() -> None:
    regional = points_map([KYIV])
    world = points_map([])
    assert len(regional) < len(world) / 4
    view = fit_view([KYIV])
    assert view.west < 30.52 < view.east and view.south < 50.45 < view.north


def test_map_is_accessible_and_escapes_labels() -> None:
    hostile = MapPoint(50.0, 30.0, '<img src=x onerror="alert(1)">', '/x?a="1"')
    svg = points_map([hostile], title="Sites & places")
    assert "<img" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert "Sites & places" in titles
    assert hostile.label in titles
    link = next(root.iter(f"{SVG}a"))
    assert link.get("href") == '/x?a="1"'


def test_map_description_names_places_and_the_base_map_source() -> None:
    root = ET.fromstring(points_map([KYIV, KHARKIV]))
    desc = "".join(next(root.iter(f"{SVG}desc")).itertext())
    assert "Kyiv at 50.45, 30.52" in desc and "Kharkiv" in desc and "Natural Earth" in desc


def test_many_points_drop_labels_but_keep_tooltips() -> None:
    many = [MapPoint(45 + i * 0.3, 30 + i * 0.3, f"site {i}") for i in range(20)]
    root = ET.fromstring(points_map(many))
    assert len(list(root.iter(f"{SVG}circle"))) == 20
    labels = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").startswith("site")]
    assert labels == []


def test_label_halo_is_a_separate_text_underneath() -> None:
    svg = points_map([KYIV, KHARKIV])
    assert "paint-order" not in svg  # WeasyPrint ignores it
    for label in ("Kyiv", "Kharkiv"):
        texts = [t for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text == label]
        halo, shown = texts  # document order is paint order: the halo first, under the label
        assert halo.get("aria-hidden") == "true" and halo.get("stroke") == "#fff"
        assert shown.get("stroke") is None and shown.get("aria-hidden") is None
        assert (halo.get("x"), halo.get("y")) == (shown.get("x"), shown.get("y"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils to rasterise")
def test_labels_stay_visible_in_a_weasyprint_pdf(tmp_path: Path) -> None:
    from PIL import Image
    from weasyprint import HTML

    def dark_pixels(points: list[MapPoint]) -> int:
        html = f"<html><body style='margin:0'>{points_map(points)}</body></html>"
        (tmp_path / "m.pdf").write_bytes(HTML(string=html).write_pdf() or b"")
        subprocess.run(["pdftoppm", "-r", "96", "-png", "-singlefile", str(tmp_path / "m.pdf"),
                        str(tmp_path / "m")], check=True)  # fmt: skip
        with Image.open(tmp_path / "m.png") as image:
            return int((np.asarray(image.convert("RGB")).max(axis=2) < 90).sum())

    # Letters are the only near-black paint on the map: land, sea, borders and points are light
    # or red, the source note grey. A halo painted over the letters would leave none.
    unlabelled = dark_pixels([MapPoint(50.45 + i * 0.2, 30.52, f"p{i}") for i in range(13)])
    labelled = dark_pixels([KYIV, KHARKIV, ODESA])
    assert unlabelled == 0 and labelled > 60
