"""Writing the analytics snapshot from a store: armtrace now, armtrace before, and pandas.

``armtrace snapshot DIR`` (and ``armtrace export x.parquet``, and every campaign report built
from the store) streams each component through ``armtrace.analytics.facts.Resolver`` into
Parquet. Measured on one SQLite store of synthetic exercise components (``bench/synth.py``),
each way in its own child process (cold caches, as the CLI runs it), in the same run:

- ``armtrace`` as it is: origin text parsed once per distinct printed line, maker, company at
  the time and owner resolved once per distinct (entry, reading, date);
- ``armtrace, per row`` re-creates the earlier code path in-process: origin parsed per marking
  and makers resolved per row (the same answers, checked); it shares the rest, including the
  faster column transposition of ``facts_table``, so it understates the earlier cost a little;
- ``pandas read_sql + to_parquet``: what a user would otherwise write, the raw join with no
  identification resolved (no company at the time, owner, origin or tier): a floor, not an
  equal.

    .venv/bin/python bench/snapshot.py --rows 100000
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data" / "snapshot"
RESULTS = ROOT / "bench" / "results"

SETUP = """
import sys, time
from pathlib import Path
from armtrace.settings import load_settings
from armtrace.store import Store
store = Store.open(load_settings(sys.argv[1], sys.argv[2]))
out = Path(sys.argv[3])
from armtrace.refdata.manufacturers import load_registry
begin = time.perf_counter()
load_registry()  # once per process (cached): timed apart, it does not grow with the rows
print("registry", time.perf_counter() - begin)
"""
ARMTRACE = (
    SETUP
    + """
from armtrace.analytics.snapshot import write_snapshot
start = time.perf_counter()
write_snapshot(store, out)
print(time.perf_counter() - start)
"""
)
# The earlier code path: no per-line origin cache, makers resolved on every row.
PER_ROW = (
    SETUP
    + """
from functools import lru_cache
from armtrace.analytics import facts
from armtrace.markings.normalise import clean_text, split_lines, split_tokens
from armtrace.markings.origin import find_origin

@lru_cache(maxsize=200_000)
def origin_of(marking):
    if not facts._may_hold_origin(marking):
        return None, None
    for line in split_lines(clean_text(marking)):
        found = find_origin([text.upper() for text, _ in split_tokens(line)])
        if found is not None:
            return found.text, found.country
    return None, None

facts.origin_of = origin_of
facts.MAX_CACHED = 0  # the maker cache stays empty: every row resolves its maker again
from armtrace.analytics.snapshot import write_snapshot
start = time.perf_counter()
write_snapshot(store, out)
print(time.perf_counter() - start)
"""
)
PANDAS = (
    SETUP
    + """
import pandas as pd
from armtrace.analytics.facts import base_query
start = time.perf_counter()
out.mkdir(parents=True, exist_ok=True)
with store.engine.connect() as conn:
    frames = pd.read_sql(base_query(), conn, chunksize=50_000)
    import pyarrow as pa, pyarrow.parquet as pq
    writer = None
    for frame in frames:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        writer = writer or pq.ParquetWriter(out / "components.parquet", table.schema)
        writer.write_table(table)
    writer.close()
print(time.perf_counter() - start)
"""
)
WAYS = {"armtrace": ARMTRACE, "armtrace, per row (before)": PER_ROW,
        "pandas read_sql + to_parquet (raw join)": PANDAS}  # fmt: skip
FOLDERS = {"armtrace": "now", "armtrace, per row (before)": "before",
           "pandas read_sql + to_parquet (raw join)": "pandas"}  # fmt: skip


def build_store(rows: int) -> tuple[str, Path]:
    """A SQLite store of ``rows`` synthetic components, identified (reused when present)."""
    DATA.mkdir(parents=True, exist_ok=True)
    db, evidence = DATA / f"store-{rows}.db", DATA / "evidence"
    url = f"sqlite:///{db}"
    if db.exists():
        return url, evidence
    sheet = DATA / f"components-{rows}.csv"
    synth = [sys.executable, str(ROOT / "bench" / "synth.py"), "--rows", str(rows), "--seed", "7"]
    subprocess.run([*synth, "-o", str(sheet)], check=True)
    code = (
        "import sys; from pathlib import Path; from armtrace.settings import load_settings\n"
        "from armtrace.store import Store; from armtrace.sheets.importer import import_sheet\n"
        "from armtrace.markings.readings import identify_components\n"
        "s = Store.open(load_settings(sys.argv[1], sys.argv[2]))\n"
        "import_sheet(s, Path(sys.argv[3]), exercise=True); identify_components(s)\n"
    )
    subprocess.run([sys.executable, "-c", code, url, str(evidence), str(sheet)], check=True)
    return url, evidence


def run(way: str, url: str, evidence: Path) -> tuple[float, float]:
    """Seconds one way takes to write the snapshot in a fresh child process, and to load the
    registry before it."""
    out = DATA / "out" / FOLDERS[way]
    subprocess.run(["rm", "-rf", str(out)], check=True)
    done = subprocess.run(
        [sys.executable, "-c", WAYS[way], url, str(evidence), str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    return float(lines[-1]), float(lines[0].split()[1])


def same_answers() -> bool:
    """Whether the two armtrace ways wrote the same components file."""
    import pyarrow.parquet as pq

    now = pq.read_table(DATA / "out" / "now" / "components.parquet")
    before = pq.read_table(DATA / "out" / "before" / "components.parquet")
    return bool(now.equals(before))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    url, evidence = build_store(args.rows)
    best: dict[str, float] = {}
    registry: list[float] = []
    for _ in range(args.repeat):
        for way in WAYS:
            seconds, loading = run(way, url, evidence)
            best[way] = min(seconds, best.get(way, seconds))
            registry.append(loading)
    agree = same_answers()
    lines = [
        f"# Writing a snapshot from a store ({args.rows:,} components, SQLite)",
        "",
        f"{datetime.date.today()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} at the end; above 1, other "
        f"work shared the CPUs and figures are noisy); best of {args.repeat}, "
        "each in a fresh process. Loading the bundled registry "
        f"(once per process, whatever the row count) took {min(registry):.2f} s more and is "
        "not in these figures.",
        "",
        "| way | seconds | rows/s |",
        "|---|---:|---:|",
        *(f"| {way} | {s:.2f} | {args.rows / s:,.0f} |" for way, s in best.items()),
        "",
        f"armtrace now and per row wrote identical components files: {agree}.",
        "The pandas row is the raw join only (no maker resolution, origin, tier or profile).",
        "",
        f"Reproduce: `.venv/bin/python bench/snapshot.py --rows {args.rows}`",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "snapshot.md").write_text(text, encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
