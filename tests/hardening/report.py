"""Merge the figures the hardening tests wrote and print them as a Markdown table.

Usage: python tests/hardening/report.py DIR   (DIR holds results-*.json from a pytest run)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def merge(directory: Path) -> dict[str, Any]:
    """All results files in ``directory`` combined (inputs tried are summed)."""
    tried: Counter[str] = Counter()
    figures: dict[str, Any] = {}
    for path in sorted(directory.glob("results-*.json")):
        data = json.loads(path.read_text())
        tried.update(data.pop("inputs_tried", {}))
        figures.update(data)
    return {"inputs_tried": dict(sorted(tried.items())), **figures}


# What each test asserts after every case; a figure is written only when its test passed
# (and scripts/reliability stops before this report when any test failed).
HELD = {
    "kill_import": "store holds the file wholly or not at all; audit and evidence verify",
    "kill_restore": "store empty or wholly restored; audit and evidence verify",
    "kill_upgrade": "old schema or new, never a mix; upgrading again completes; rows equal",
    "kill_evidence_add": "all files recorded or none; evidence and audit verify",
    "kill_alert_worker": "no delivery lost; repeats at most one chunk per kill, same event id",
    "disk_full": "exit 1 naming what failed; store unchanged; no partial file",
    "db_gone": "clear error (CLI line, HTTP 503 JSON); nothing written; next request ok",
}


def table(results: dict[str, Any]) -> str:
    """A Markdown table: one line per property or fault test."""
    lines = ["| test | inputs / cases | what held | figures |", "|---|---|---|---|"]
    for name, count in results["inputs_tried"].items():
        lines.append(f"| fuzz {name} | {count:,} inputs | no crash, no hang | |")
    for name, value in results.items():
        if name == "inputs_tried":
            continue
        cases = next((value[k] for k in ("kills", "cases", "rows") if k in value), "")
        held = HELD.get(name.split(".", 1)[0], "its assertions")
        shown = ", ".join(f"{k}={v}" for k, v in value.items())
        lines.append(f"| {name} | {cases} | {held} | {shown} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    text = table(merge(folder))
    atheris = folder / "atheris-summary.txt"
    if atheris.exists():
        text += f"\natheris: {atheris.read_text().strip()}\n"
    (folder / "results.md").write_text(text)
    sys.stdout.write(text)
