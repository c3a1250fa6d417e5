"""Identification accuracy, calibration and speed on the real-marking test set, beside chipnum.

    .venv/bin/python bench/identify.py          # prints tables, writes bench/results/identify.md

Accuracy counts an answer right when it names the company the source names, a brand that company
owns, or its owner (sources often name today's owner). Rows whose source names no maker count any
answer as wrong. chipnum (a part-number prefix classifier, the tool a user would otherwise reach
for) runs on the same markings in the same run and is scored by the same rule.
"""

from __future__ import annotations

import csv
import hashlib
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from armtrace.markings.evaluation import Case, is_right
from armtrace.markings.identify import identify
from armtrace.refdata import load_registry

TESTSET = Path(__file__).resolve().parents[1] / "tests/data/markings/markings.csv"
OUT = Path(__file__).resolve().parent / "results" / "identify.md"

Answer = Callable[[str], tuple[str | None, str | None, float]]  # -> (maker name, country, conf)


def half(marking: str) -> str:
    """The test set's fixed split (tests/data/markings/README.md): ``dev`` rows may be read to
    find general failure modes; ``held-out`` rows are never inspected one by one."""
    return "dev" if int(hashlib.sha256(marking.encode()).hexdigest(), 16) % 2 == 0 else "held-out"


def load(subset: str | None = None) -> list[Case]:
    """All rows, or one origin (``weapon-study``, ``kicad``) or one half (``dev``, ``held-out``)."""
    with TESTSET.open(encoding="utf-8", newline="") as handle:
        return [
            Case(r["marking"], r["manufacturer"] or None, r["manufacturer_country"] or None)
            for r in csv.DictReader(handle)
            if subset is None or subset in (r["origin"], half(r["marking"]))
        ]


def armtrace_answer() -> Answer:
    registry = load_registry()

    def answer(marking: str) -> tuple[str | None, str | None, float]:
        result = identify(marking, registry=registry)
        if result.manufacturer is None:
            return None, None, result.confidence
        return result.manufacturer.name, result.country, result.confidence

    return answer


def chipnum_answer() -> Answer | None:
    try:
        import chipnum
    except ImportError:
        return None

    def answer(marking: str) -> tuple[str | None, str | None, float]:
        found = [c for c in chipnum.extract(marking) if c.vendor]
        return (found[0].vendor, None, 1.0) if found else (None, None, 0.0)

    return answer


def score(cases: list[Case], answer: Answer) -> dict[str, float]:
    registry = load_registry()
    known = answered = answered_known = right = with_country = country_right = 0
    started = time.perf_counter()
    for case in cases:
        maker, country, _conf = answer(case.marking)
        if maker is not None:
            answered += 1
        if case.manufacturer is None:
            continue
        known += 1
        if maker is None:
            continue
        answered_known += 1
        target = registry.resolve_name(maker)  # chipnum names vendors; map them to registry ids
        if target is not None:
            right += is_right(target.id, case.manufacturer, registry)
        if case.country and country is not None:
            with_country += 1
            country_right += country == case.country
    seconds = time.perf_counter() - started
    return {
        "rows": len(cases),
        "known": known,
        "answered": answered,
        "coverage": answered_known / known if known else 0.0,
        "precision": right / answered if answered else 0.0,
        "country": country_right / with_country if with_country else float("nan"),
        "per_s": len(cases) / seconds if seconds else 0.0,
    }


def calibration(cases: list[Case]) -> list[tuple[str, int, float]]:
    registry = load_registry()
    bins: dict[int, list[int]] = {}
    for case in cases:
        result = identify(case.marking, registry=registry)
        if result.manufacturer is None:
            continue
        good = case.manufacturer is not None and is_right(
            result.manufacturer.id, case.manufacturer, registry
        )
        counts = bins.setdefault(min(int(result.confidence * 10), 9), [0, 0])
        counts[0] += 1
        counts[1] += good
    return [(f"{b / 10:.1f}-{(b + 1) / 10:.1f}", n, ok / n) for b, (n, ok) in sorted(bins.items())]


def main() -> None:
    load_average = os.getloadavg()[0]
    lines = ["# Identification on the real-marking test set", ""]
    lines += [
        "`python bench/identify.py`; 1-minute load average at start "
        f"{load_average:.1f} on 2 cores (markings/s is this loop's rate under that load; the "
        "speed benchmark is `bench/identify_speed.py`). `held-out` is the half of the set never "
        "inspected row by row: it is the figure to quote (see tests/data/markings/README.md). "
        "`kicad` rows share their source with the prefixes mined from KiCad, so they are not "
        "independent of the registry.",
        "",
    ]
    lines += [
        "| tool | rows | rows with a maker | answered | coverage | precision | country right "
        "| markings/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    tools: list[tuple[str, Answer | None]] = [
        ("armtrace", armtrace_answer()),
        ("chipnum", chipnum_answer()),
    ]
    for subset in (None, "weapon-study", "kicad", "dev", "held-out"):
        cases = load(subset)
        for name, answer in tools:
            if answer is None:
                lines.append(f"| {name} ({subset or 'all'}) | not installed |  |  |  |  |  |  |")
                continue
            s = score(cases, answer)
            lines.append(
                f"| {name} ({subset or 'all'}) | {s['rows']} | {s['known']} | {s['answered']} "
                f"| {s['coverage']:.1%} | {s['precision']:.1%} | {s['country']:.1%} "
                f"| {s['per_s']:,.0f} |"
            )
    lines += [
        "",
        "Calibration (armtrace): per confidence band, answers and the share right; held-out is "
        "the half that tells whether a confidence means what it says on markings never read",
        "",
    ]
    lines += [
        "| confidence | all: answers | all: right | held-out: answers | held-out: right |",
        "|---|---|---|---|---|",
    ]
    unseen = {band: (n, ok) for band, n, ok in calibration(load("held-out"))}
    for band, n, ok in calibration(load()):
        h_n, h_ok = unseen.get(band, (0, float("nan")))
        lines.append(f"| {band} | {n} | {ok:.0%} | {h_n} | {h_ok:.0%} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak memory of this run: {peak:.0f} MiB."]
    text = "\n".join(lines)
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
