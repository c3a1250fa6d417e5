"""The demo's alerts step on the exercise case."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from armtrace.alerts.demo import DEMO_USER, follow_and_deliver
from armtrace.alerts.feed import user_events
from armtrace.alerts.subscriptions import list_subscriptions
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store


def test_demo_follows_the_case_and_lists_its_feed(store: Store) -> None:
    with as_file(files("armtrace.demo").joinpath("data", "exercise_case.csv")) as case:
        import_sheet(store, Path(case), exercise=True)
    text = follow_and_deliver(store, actor="demo")
    assert text.startswith(f"Alerts: {DEMO_USER} follows KN-23 and Texas Instruments;")
    items = {event.payload["item"] for event in user_events(store, DEMO_USER)}
    assert "EX-MSL-101" in items  # the KN-23 reference item
    assert "EX-RKT-1977" not in items  # an old rocket: no KN-23, no Texas Instruments part
    lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert lines and all(line.startswith("  - EXERCISE DATA: ") for line in lines)
    again = follow_and_deliver(store, actor="demo")
    assert again == text  # nothing new, nothing doubled
    assert len(list_subscriptions(store, user_name=DEMO_USER)) == 2
