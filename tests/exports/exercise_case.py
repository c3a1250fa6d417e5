"""The bundled exercise case loaded and identified in a test store, and a publishing helper."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from armtrace.markings.readings import identify_components
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.workflow import set_item_state


def load_exercise(store: Store) -> Store:
    """Import the exercise case (labelled exercise data) and identify its components."""
    with as_file(files("armtrace.demo").joinpath("data", "exercise_case.csv")) as case:
        import_sheet(store, Path(case), exercise=True)
    identify_components(store)
    return store


def publish(store: Store, item_key: str) -> None:
    """Move an item through verification to published, as an analyst would."""
    set_item_state(store, item_key, "verified", actor="test-analyst")
    set_item_state(store, item_key, "published", actor="test-analyst")
