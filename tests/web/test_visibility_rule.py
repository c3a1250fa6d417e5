"""The web application and the public exports apply one visibility rule, not two copies."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import armtrace.exports.scope as export_scope
import armtrace.web.visibility as web_visibility
from armtrace import visibility
from armtrace.exports.geojson import features
from armtrace.store import Store
from web.support import RoleClient, SampleCase

RULE_CONSTANTS = {"PUBLIC_DECIMALS", "PUBLISHED", "PRIVATE_FIELDS", "COORDINATE_FIELDS"}


def _assigned_names(module_file: str) -> set[str]:
    tree = ast.parse(Path(module_file).read_text())
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_neither_web_nor_exports_define_the_rule_themselves() -> None:
    """The rule's constants are assigned only in armtrace.visibility (aliases must point there)."""
    assert export_scope.__file__ is not None and web_visibility.__file__ is not None
    assert not RULE_CONSTANTS & _assigned_names(export_scope.__file__)
    assert web_visibility.PUBLIC_DECIMALS is visibility.PUBLIC_DECIMALS
    assert web_visibility.PRIVATE_FIELDS is visibility.PRIVATE_FIELDS
    source = Path(export_scope.__file__).read_text()
    assert "armtrace.web" not in source, "exports may not import the web application"
    assert "round(" not in source, "exports round coordinates through armtrace.visibility"


@given(st.one_of(st.none(), st.floats(min_value=-180, max_value=180, allow_nan=False)))
def test_export_and_web_round_coordinates_alike(value: float | None) -> None:
    """A public export and a public page show the same figure for the same coordinate."""
    shown = web_visibility.PUBLIC.coordinate(value)
    assert export_scope.coordinate(value, public=True) == shown
    if value is not None:
        assert shown is not None and abs(shown - value) <= 0.05 + 1e-9
    assert web_visibility.FULL.coordinate(value) == value


def test_public_export_and_anonymous_api_show_the_same_items_and_places(
    store: Store, sample_case: SampleCase, anon_client: RoleClient
) -> None:
    """The public GeoJSON export and the anonymous API list the same items at the same place."""
    exported = features(store, public=True)
    exported_items = {f["properties"]["item_key"] for f in exported if f["id"].startswith("item:")}
    answer = anon_client.get(f"/api/incidents/{sample_case.incident}")
    assert answer.status_code == 200, answer.text
    incident = answer.json()
    api_items = {item["key"] for item in incident["items"]}
    assert exported_items == api_items == {sample_case.published}
    point = next(f for f in exported if f["id"] == f"incident:{sample_case.incident}")
    assert point["geometry"]["coordinates"] == [incident["longitude"], incident["latitude"]]
    assert incident["latitude"] != sample_case.latitude  # really rounded, not exact
