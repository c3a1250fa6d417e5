"""A frozen record of what ``identify`` answers, so speed work can prove it changed no answer.

The snapshot (tests/data/markings/identify_snapshot.jsonl) was written by the identifier as it was
before the speed work, on every marking of the real-marking test set and every distinct marking of
the exercise case, against a frozen copy of the manufacturer registry
(tests/data/markings/snapshot_registry/), so edits to the bundled registry do not move it.

    .venv/bin/python tests/identify_snapshot.py   # rewrite the snapshot (rarely!)

Rewrite it only for a deliberate change of answers, never to make a speed change pass.
"""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

from armtrace.markings.identify import Identification, identify
from armtrace.refdata.manufacturers import Registry, load_registry

DATA = Path(__file__).resolve().parents[0] / "data" / "markings"
SNAPSHOT = DATA / "identify_snapshot.jsonl"
REGISTRY = DATA / "snapshot_registry"
EXERCISE = Path(__file__).resolve().parents[1] / "src/armtrace/demo/data/exercise_case.csv"
# A fixed documentation date keeps date windows from moving with the calendar.
DOCUMENTED_ON = datetime.date(2026, 11, 24)


def frozen_registry() -> Registry:
    """The registry copy the snapshot was made with."""
    return load_registry(sorted(REGISTRY.glob("*.yaml")))


def markings() -> list[str]:
    """Test-set markings, then the exercise case's distinct markings, each once, in file order."""
    found: dict[str, None] = {}
    for path in (DATA / "markings.csv", EXERCISE):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["marking"]:
                    found.setdefault(row["marking"], None)
    return list(found)


def record(result: Identification) -> dict[str, object]:
    """Everything an Identification says: the JSON form, every candidate, every parsed field."""
    parsed = result.parsed
    return {
        "json": result.as_json(),
        "candidates": [
            [c.maker.id, c.score, [[e.feature, e.maker_id, e.strength, e.why] for e in c.evidence]]
            for c in result.candidates
        ],
        "parsed": {
            "lines": list(parsed.lines),
            "part_candidates": list(parsed.part_candidates),
            "date_candidates": list(parsed.date_candidates),
            "lot": parsed.lot,
            "logo_text": parsed.logo_text,
            "description": parsed.description,
            "tokens": [[t.text, t.line, t.kind] for t in parsed.tokens],
        },
    }


def load() -> dict[str, dict[str, object]]:
    """The frozen records, by marking."""
    with SNAPSHOT.open(encoding="utf-8") as handle:
        return {text: rec for text, rec in map(json.loads, handle)}


def current(registry: Registry) -> dict[str, dict[str, object]]:
    """Records of every snapshot marking as the identifier answers today."""
    return {
        text: record(identify(text, registry=registry, documented_on=DOCUMENTED_ON))
        for text in markings()
    }


if __name__ == "__main__":
    # One marking a line, compact, so a deliberate change shows as a readable diff.
    lines = [
        json.dumps([text, rec], ensure_ascii=False, separators=(",", ":"))
        for text, rec in current(frozen_registry()).items()
    ]
    SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
