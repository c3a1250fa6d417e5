"""The incidents map page: offline by default, a tile server only when configured."""

from __future__ import annotations

import pytest

from web.support import RoleClient, SampleCase


def test_map_uses_the_bundled_outline_without_a_tile_server(
    analyst_client: RoleClient, sample_case: SampleCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARMTRACE_TILES_URL", raising=False)
    html = analyst_client.get("/").text
    assert 'data-world="/world.geojson"' in html and 'data-tiles=""' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in html
    world = analyst_client.get("/world.geojson")
    assert world.status_code == 200
    assert world.headers["content-type"].startswith("application/geo+json")
    assert len(world.json()["features"]) == 177
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/map.js", "/static/armtrace.css"):
        assert analyst_client.get(asset).status_code == 200


def test_a_configured_tile_server_is_passed_to_the_map(
    analyst_client: RoleClient, sample_case: SampleCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARMTRACE_TILES_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    html = analyst_client.get("/").text
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_map_without_javascript_falls_back_to_an_svg_map(
    analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    html = analyst_client.get("/").text
    fallback = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert fallback.startswith("<svg") and "Kharkiv" in fallback


def test_empty_store_map_says_nothing_is_documented(investigator_client: RoleClient) -> None:
    html = investigator_client.get("/").text
    assert "Nothing documented yet" in html and 'href="/upload"' in html
