"""Prefixes mined by scripts/mine_prefixes.py: the registry and the evidence table agree.

docs/mined-prefixes.tsv is the reviewable table the script derives from the KiCad symbol
libraries and maker documents; every prefix it marks `add` must be in the named record, and every
prefix a record marks as mined must be backed by an `add` row, so neither drifts silently.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from armtrace.refdata import load_registry
from armtrace.refdata.manufacturers import bundled_paths

TABLE = Path(__file__).resolve().parents[2] / "docs" / "mined-prefixes.tsv"
MINED_COMMENT = re.compile(r"^  # mined prefix (\S+) ")


def _added() -> set[tuple[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {(row["maker"], row["prefix"]) for row in rows if row["verdict"] == "add"}


def _marked_in_records() -> set[tuple[str, str]]:
    marked: set[tuple[str, str]] = set()
    for path in bundled_paths():
        record = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("- id: "):
                record = line[6:].strip()
            elif match := MINED_COMMENT.match(line):
                marked.add((record, match.group(1)))
    return marked


def test_every_added_prefix_is_in_its_record() -> None:
    registry = load_registry()
    missing = sorted((m, p) for m, p in _added() if p not in registry.get(m).prefixes)
    assert missing == []


def test_every_mined_prefix_in_a_record_has_evidence() -> None:
    assert sorted(_marked_in_records() - _added()) == []


@pytest.mark.parametrize(
    ("part_number", "maker_id"),
    [("XC5VLX50T-1FFG676C", "xilinx"), ("XC6VLX240T", "xilinx"), ("5M570ZT100C5N", "altera"),
     ("10M08SAE144C8G", "altera"), ("EFM8BB10F2G", "silicon-labs"), ("TMLM04105", "traco-power")],
)  # fmt: skip
def test_mined_prefix_names_the_maker(part_number: str, maker_id: str) -> None:
    matches = load_registry().by_prefix(part_number)
    assert matches and matches[0][0].id == maker_id  # the longest prefix is the mined one
