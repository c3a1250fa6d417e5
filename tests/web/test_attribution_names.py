"""A published item's attribution never names an unpublished reference item to the public."""

from __future__ import annotations

from pathlib import Path

import pytest

from armtrace.accounts.roles import Role
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.visibility import UNPUBLISHED_REFERENCE, withhold_item_names
from armtrace.workflow import set_item_state
from sheetdata import rows, write_csv
from web.support import ClientFactory

PUBLISHED = "KH-0001"
HIDDEN_REF = "KH-REF-9"  # a draft reference item (confirmed system, not published)
SHOWN_REF = "KH-REF-10"  # a published reference item: naming it is fine


def _case(store: Store, tmp_path: Path, *, publish_shown: bool) -> None:
    hidden = rows(item_id=HIDDEN_REF, weapon_system="KN-23", notes="")
    shown = rows(item_id=SHOWN_REF, weapon_system="KN-24", notes="")[:3]
    sheet = write_csv(tmp_path / "refs.csv", rows() + hidden + shown)
    import_sheet(store, sheet, actor="test-setup")
    keys = [PUBLISHED, SHOWN_REF] if publish_shown else [PUBLISHED]
    for key in keys:
        set_item_state(store, key, "verified", actor="test-setup")
        set_item_state(store, key, "published", actor="test-setup")


@pytest.mark.parametrize("role", [None, Role.VIEWER])
def test_public_attribution_unnames_unpublished_reference_items(
    store: Store, tmp_path: Path, client_for: ClientFactory, role: Role | None
) -> None:
    _case(store, tmp_path, publish_shown=True)
    client = client_for(role)
    answer = client.get(f"/api/items/{PUBLISHED}/attribution")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    systems = [c["weapon_system"] for c in body["candidates"]]
    assert "KN-23" in systems  # the candidate and its score stay
    assert HIDDEN_REF not in answer.text
    assert UNPUBLISHED_REFERENCE in answer.text
    assert SHOWN_REF in answer.text  # a published reference item is still named
    page = client.get(f"/items/{PUBLISHED}")
    assert page.status_code == 200
    assert HIDDEN_REF not in page.text
    assert UNPUBLISHED_REFERENCE in page.text


def test_analysts_see_reference_item_names(
    store: Store, tmp_path: Path, client_for: ClientFactory
) -> None:
    _case(store, tmp_path, publish_shown=False)
    client = client_for(Role.ANALYST)
    answer = client.get(f"/api/items/{PUBLISHED}/attribution")
    assert answer.status_code == 200, answer.text
    assert HIDDEN_REF in answer.text and UNPUBLISHED_REFERENCE not in answer.text
    assert HIDDEN_REF in client.get(f"/items/{PUBLISHED}").text


def test_withholding_matches_whole_keys_only() -> None:
    text = "KH-REF-9: 4 of its parts are on KH-REF-9; unlike KH-REF-90 or XKH-REF-9"
    shaped = withhold_item_names({"why": text, "n": [text, 3]}, {"KH-REF-9"})
    expected = text.replace("KH-REF-9:", f"{UNPUBLISHED_REFERENCE}:").replace(
        "on KH-REF-9;", f"on {UNPUBLISHED_REFERENCE};"
    )
    assert shaped == {"why": expected, "n": [expected, 3]}
    assert withhold_item_names(text, set()) == text
