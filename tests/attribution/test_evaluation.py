"""Leave-one-out evaluation on the exercise case, with a floor (bench/attribution_eval.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from armtrace.attribution.evaluation import leave_one_out
from armtrace.store import Store
from attribution.attribution_items import load_exercise

BENCH = Path(__file__).resolve().parents[2] / "bench" / "attribution_eval.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("attribution_eval", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exercise_leave_one_out_floor(tmp_path: Path) -> None:
    evaluation = _bench().evaluate_sheet(_bench().EXERCISE, tmp_path, exercise=True)
    recognisable = evaluation.counts(with_peer=True)
    assert recognisable["items"] >= 2
    # every reference item whose system has another reference is recognised, first or tied
    assert recognisable["top1_tied"] == recognisable["items"]
    assert recognisable["top3"] == recognisable["items"]
    overall = evaluation.counts()
    assert overall["top1_tied"] / overall["items"] >= 0.4
    # the rocket's system has no other reference and nothing else compares: abstain, not guess
    rocket = next(t for t in evaluation.trials if t.item_key == "EX-RKT-1977")
    assert rocket.abstained


def test_leave_one_out_on_both_stores(store: Store) -> None:
    load_exercise(store)
    evaluation = leave_one_out(store)
    assert {t.item_key for t in evaluation.trials} == {
        "EX-MSL-101", "EX-MSL-102", "EX-RKT-1977", "EX-UAV-101", "EX-UAV-102"}  # fmt: skip
    # a missile system with a single reference can only be confused with its sibling
    kn23 = next(t for t in evaluation.trials if t.item_key == "EX-MSL-101")
    assert not kn23.has_peer and kn23.ranked == ("KN-24",)
