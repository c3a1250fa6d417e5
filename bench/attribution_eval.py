"""Leave-one-out evaluation of weapon-system attribution, on the exercise case and real data.

1. Exercise case (src/armtrace/demo/data/exercise_case.csv, EXERCISE data): every reference item
   is hidden in turn and attributed against the rest.
2. Real public teardown data: tests/data/markings/markings.csv holds 291 component markings
   documented in Russian and Iranian weapons, each citing its GUR War&Sanctions component page
   (https://war-sanctions.gur.gov.ua/en/components/<id>) or, for three rows, a Hackaday report of
   a Shahed-136 air data computer teardown. Rows are grouped by the weapon their notes name
   ("found in Kh-101 missile") into one item per weapon and source, with the source's maker as
   the analyst's identification and the weapon as the confirmed system (folded to the
   vocabulary's name). These items are incomplete samples of each weapon's parts, and only
   Shahed-136 has two items (GUR and Hackaday); for the others, the right answer is to abstain.

    python bench/attribution_eval.py            # prints the tables, writes the results file
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from armtrace.attribution.evaluation import Evaluation, leave_one_out  # noqa: E402
from armtrace.model.sheet import COLUMNS  # noqa: E402
from armtrace.settings import load_settings  # noqa: E402
from armtrace.sheets.importer import import_sheet  # noqa: E402
from armtrace.store import Store  # noqa: E402

EXERCISE = ROOT / "src/armtrace/demo/data/exercise_case.csv"
MARKINGS = ROOT / "tests/data/markings/markings.csv"
RESULTS = ROOT / "bench/results/attribution_eval.md"
_FOUND_IN = re.compile(r"^found in (.+?) \(")


def evaluate_sheet(sheet: Path, work: Path, *, exercise: bool) -> Evaluation:
    """Import a sheet into a fresh SQLite store and run leave-one-out on its library."""
    settings = load_settings(db=f"sqlite:///{work / 'eval.db'}", evidence=str(work / "evidence"))
    store = Store.open(settings)
    try:
        import_sheet(store, sheet, exercise=exercise)
        return leave_one_out(store)
    finally:
        store.close()


def real_sheet(out: Path) -> tuple[Path, dict[str, set[str]]]:
    """Items formed from the weapon-study rows of the marking test set; sources per item."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    with MARKINGS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found = _FOUND_IN.match(row["notes"])
            if row["origin"] != "weapon-study":
                continue
            if row["notes"].startswith("Shahed-136 air data computer teardown"):
                weapon = "Shahed-136"  # the Hackaday teardown: a second Shahed-136 item
                groups["HACKADAY-SHAHED-136"].append({**row, "weapon": weapon})
            elif found:
                weapon = found.group(1)
                groups[f"GUR-{re.sub(r'[^A-Za-z0-9]+', '-', weapon).strip('-')}"].append(
                    {**row, "weapon": weapon}
                )
    sources: dict[str, set[str]] = {}
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for item, rows in sorted(groups.items()):
            sources[item] = {r["source"] for r in rows}
            for n, r in enumerate(rows, start=1):
                writer.writerow({c: "" for c in COLUMNS} | {
                    "incident_id": f"PUBLIC-{item}",
                    "item_id": item,
                    "weapon_system": r["weapon"],
                    "component_id": f"#{n}",
                    "marking": r["marking"],
                    "description": r["kind"],
                    "manufacturer": r["manufacturer"],
                    "notes": f"source: {r['source']}",
                })  # fmt: skip
    return out, sources


def table(name: str, evaluation: Evaluation) -> str:
    lines = [
        f"| {name} | items | top-1 strict | top-1 (tied leaders) | top-3 | abstained "
        "| wrong top-1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, peer in (("all reference items", None), ("system has another reference", True),
                        ("system has no other reference", False)):  # fmt: skip
        c = evaluation.counts(with_peer=peer)
        lines.append(
            f"| {label} | {c['items']} | {c['top1_strict']} | {c['top1_tied']} | {c['top3']} | "
            f"{c['abstained']} | {c['wrong_top1']} |"
        )
    return "\n".join(lines)


def trials(evaluation: Evaluation) -> str:
    lines = ["| hidden item | confirmed | ranked | tied | reason |", "|---|---|---|---|---|"]
    for t in evaluation.trials:
        lines.append(
            f"| {t.item_key} | {t.confirmed} | {', '.join(t.ranked) or '(none)'} | "
            f"{', '.join(t.tied) or ''} | {t.reason.replace('|', '/')} |"
        )
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "ex").mkdir()
        (work / "real").mkdir()
        exercise = evaluate_sheet(EXERCISE, work / "ex", exercise=True)
        sheet, sources = real_sheet(work / "real.csv")
        real = evaluate_sheet(sheet, work / "real", exercise=False)
    text = (
        "# Attribution: leave-one-out evaluation\n\n"
        "`python bench/attribution_eval.py`. Each reference item is hidden in turn and "
        "attributed against the rest of the library.\n\n"
        "## Exercise case (EXERCISE data)\n\n"
        + table("exercise", exercise)
        + "\n\n"
        + trials(exercise)
        + "\n\n"
        "## Real public data (GUR War&Sanctions component pages, Hackaday teardown)\n\n"
        + table("public", real)
        + "\n\n"
        + trials(real)
        + "\n\n"
        f"Sources: {sum(len(s) for s in sources.values())} component pages cited row by row in "
        "tests/data/markings/markings.csv (column `source`).\n\n"
        "## Reading the figures\n\n"
        "- A system with a single reference item cannot be recognised once that item is hidden. "
        "In the exercise case KN-23 and KN-24 each have one reference, built to be "
        "near-identical, so each is attributed to the other: the right outcome for such a "
        "library, and the reason `attribute` reports ties rather than a winner for the "
        "undetermined missiles. The rocket has nothing comparable left and gets no answer.\n"
        "- The public items are not teardowns of single specimens but GUR's lists of distinct "
        "component types per weapon, one marking each, so two items of one weapon rarely share "
        "a part number. Attribution abstains on all 29 and is never wrong: Shahed-131 and "
        "Shahed-136 (related designs) share a few parts, scoring 0.09-0.10, far below the 0.3 "
        "floor; the Hackaday Shahed-136 item (3 parts) shares fewer than 2 part numbers with "
        "GUR's Shahed-136 list. So on public data the measured top-1 and top-3 are 0 of 2 "
        "recognisable items, with no false attribution. A real evaluation needs several "
        "documented specimens per system; none was found in public data that could be used "
        "here with sources.\n"
    )
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
