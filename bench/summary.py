"""Supply-chain summaries over 10M component rows: DuckDB over Parquet against pandas.

Rows are synthetic EXERCISE data in the snapshot's own schema (``components.parquet``), so the
timed DuckDB path is armtrace's real one (``tally_duckdb`` + ``summary_sentence``). Makers come
from real part-number families (``bench/synth.py``'s families plus families of CN, JP, DE, NL,
TW, CH makers), each resolved once through armtrace's own Resolver (registry, owner on the
incident date, CHPL tier); about one part in five has no identified maker and about 60% carry a
date code, as in field documentation.

    .venv/bin/python bench/summary.py                 # 10M rows
    .venv/bin/python bench/summary.py --rows 1000000  # quicker

Data is cached in bench/.data/summary-<rows>-seed<seed>/.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
import synth

from armtrace.analytics.duck import tally_duckdb
from armtrace.analytics.facts import Fact, Resolver
from armtrace.analytics.scope import Scope
from armtrace.analytics.snapshot import (
    INCIDENT_SCHEMA,
    INFO_FILE,
    ITEM_SCHEMA,
    SNAPSHOT_SCHEMA,
    Profiles,
    connect,
)
from armtrace.analytics.tally import Tally
from armtrace.reports.summary.sentence import summary_sentence

NOTES = """
## How (and what it cost to get there)

- The snapshot (`armtrace snapshot DIR`, `armtrace.analytics.snapshot.write_snapshot`) streams
  the store through SQLAlchemy into Parquet with pyarrow in batches. DuckDB's sqlite and postgres
  scanner extensions are not bundled with the `duckdb` 2.0.1 wheel: `INSTALL sqlite` tries to
  download `sqlite_scanner` from extensions.duckdb.org and fails offline, so DuckDB reads the
  Parquet export instead of the store.
- Each component row carries a `profile` code: one number per distinct combination of the
  fields a summary counts by (maker source, company at the time, current owner, brand, company
  country, origin marking, CHPL tier, exercise flag); `profiles.parquet` lists them. A summary is
  then one group-by on that integer (a few hundred groups, rolled up in Python), one per-day
  histogram of date codes (exact lower median, min, max and quarters from a few thousand days)
  and a look-up in the small items table for "items in scope". Item-level scope fields select
  item ids from the items table (an integer semi-join) instead of testing text on every row.
- Measured on the way, same data and machine: one group-by per count over the text columns took
  2.6-3.4 s at 10M rows; the profile code brought it to 1.0-1.2 s; counting items from the items
  table instead of `count(DISTINCT item_id)` over every row brought it to the figure above.
- pandas reads only the ten columns it needs with Arrow-backed dtypes (object strings would
  take several GiB at 10M rows) and builds quarters from per-day counts, as a careful analyst
  would; its answers are checked against armtrace's in the same run ("same answers" above).
- The timed DuckDB call includes opening the snapshot (views over the files) each run, as the
  CLI does. Writing the snapshot itself is not in the table: from a 100k-row SQLite store of
  synthetic markings (every marking distinct) it ran at about 7k rows/s (14.4 s) before the
  origin step was cut to the parser's origin stage only; see the closing report.
"""
DATA = Path(__file__).parent / ".data"
RESULTS = Path(__file__).parent / "results"
# Families beyond synth.py's (mostly US) ones, so the mix has the other countries reports name.
MORE_FAMILIES = (
    ("GD32F103C8T6", "microcontroller"), ("R5F100LEA", "microcontroller"),
    ("BSS138", "MOSFET"), ("TLE9250", "CAN transceiver"), ("LPC1768", "microcontroller"),
    ("RTL8211F", "Ethernet transceiver"), ("NEO-M8N", "GNSS module"),
    ("ESP32-D0WD", "microcontroller"), ("MT41K256M16", "DRAM memory"),
)  # fmt: skip
UNKNOWN_SHARE, DATED_SHARE = 0.2, 0.6
ORIGIN_CODES = {"CHN": "CN", "MYS": "MY", "PHL": "PH", "TWN": "TW", "KOR": "KR", "MEX": "MX",
                "THA": "TH"}  # fmt: skip
_UNIDENTIFIED = dict.fromkeys(
    ("maker_id", "maker_name", "maker_source", "company", "company_name", "company_country",
     "owner", "owner_name", "owner_country"),
)  # fmt: skip


def _prototypes() -> list[tuple[str, str]]:
    families = [(f"{p}{'1' * d}{s[0]}", desc) for p, d, s, desc in synth.FAMILIES]
    return families + list(MORE_FAMILIES)


def _resolve(resolver: Resolver, marking: str, description: str, day: datetime.date) -> Fact:
    from armtrace.markings.identify import identify

    found = identify(marking, registry=resolver.registry, documented_on=day)
    maker = found.manufacturer.id if found.manufacturer else None
    row = (0, "C", "I", None, None, "draft", "INC", day, "UA", True, found.parsed.part_number,
           None, None, maker, marking, description, None, None, None, 0, 0)  # fmt: skip
    return resolver.fact(row)


def generate(directory: Path, rows: int, seed: int, chunk: int = 1_000_000) -> Path:
    """Write ``rows`` synthetic Facts to directory/components.parquet (chunked, bounded memory)."""
    path = directory / "components.parquet"
    if (
        path.exists()
        and pq.read_metadata(path).num_rows == rows
        and (directory / "profiles.parquet").exists()
    ):
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    resolver = Resolver()
    years = (2022, 2023, 2024)
    protos = [[_resolve(resolver, m, d, datetime.date(y, 6, 1)) for m, d in _prototypes()]
              for y in years]  # fmt: skip
    origins = [None, None, *ORIGIN_CODES]
    # Every (year, family, identified or not, origin) combination is one profile.
    profiles = Profiles()
    shape = (len(years), len(protos[0]), 2, len(origins))
    profile_of = np.zeros(shape, dtype=np.int32)
    for (y, f, u, o), _ in np.ndenumerate(profile_of):
        fact = protos[y][f]._replace(
            origin_text=origins[o], origin_country=ORIGIN_CODES.get(origins[o] or "")
        )
        if u:
            fact = cast(Any, fact)._replace(**_UNIDENTIFIED)
        profile_of[y, f, u, o] = profiles.code(Profiles.of(fact))
    start = np.datetime64("2022-02-24")
    epoch = np.datetime64("1970-01-01")
    written, item, incident = 0, 0, 0
    partial = path.with_name(path.name + ".partial")
    with (
        pq.ParquetWriter(partial, SNAPSHOT_SCHEMA) as writer,
        pq.ParquetWriter(directory / "items.parquet", ITEM_SCHEMA) as item_writer,
        pq.ParquetWriter(directory / "incidents.parquet", INCIDENT_SCHEMA) as incident_writer,
    ):
        while written < rows:
            n = min(chunk, rows - written)
            # Items of 50-300 components, 1-4 items an incident, incidents over 1000 days.
            sizes = rng.integers(50, 301, size=n // 50 + 2)
            item_of_row = np.repeat(np.arange(len(sizes)), sizes)[:n]
            items_here = int(item_of_row[-1]) + 1
            incident_of_item = np.cumsum(rng.random(items_here) < 0.4)
            incident_of_row = incident_of_item[item_of_row]
            incidents_here = int(incident_of_item[-1]) + 1
            day_of_incident = start + rng.integers(0, 1000, size=incidents_here)
            days = day_of_incident[incident_of_row]
            year_index = days.astype("datetime64[Y]").astype(int) + 1970 - years[0]
            family = rng.integers(0, len(protos[0]), size=n)
            unknown = rng.random(n) < UNKNOWN_SHARE
            dated = rng.random(n) < DATED_SHARE
            code_days = np.datetime64("2012-01-02") + rng.integers(0, 12 * 364, size=n)
            code_days = np.minimum(code_days, days)  # nothing is made after it was documented
            origin = rng.integers(0, len(origins), size=n)
            columns: dict[str, Any] = {}
            table_rows = [protos[y][f] for y, f in zip(year_index.tolist(), family.tolist(),
                                                       strict=True)]  # fmt: skip
            for name in ("maker_id", "maker_name", "maker_source", "company", "company_name",
                         "company_country", "owner", "owner_name", "owner_country",
                         "part_number", "chpl_tier"):  # fmt: skip
                values = np.array([getattr(r, name) for r in table_rows], dtype=object)
                if name not in ("part_number", "chpl_tier"):
                    values[unknown] = None  # an unidentified part has no maker, owner or country
                columns[name] = pa.array(values, type=pa.string())
            item_keys = np.array([f"EX-ITEM-{item + i:08d}" for i in range(items_here)])
            incident_keys = np.array([f"EX-INC-{incident + i:07d}" for i in range(incidents_here)])
            origin_values = np.array(origins, dtype=object)[origin]
            origin_country = np.array([ORIGIN_CODES.get(o or "") for o in origins],
                                      dtype=object)[origin]  # fmt: skip
            columns.update(
                component_id=pa.array(np.arange(written, written + n), type=pa.int64()),
                component_key=pa.array([f"C{k:03d}" for k in range(n)], type=pa.string()),
                item_key=pa.array(item_keys[item_of_row], type=pa.string()),
                item_type=pa.array(np.full(n, "one-way attack UAV"), type=pa.string()),
                weapon_system=pa.array(
                    np.array([None, "EXERCISE-SYSTEM-1"], dtype=object)[
                        (item_of_row % 3 == 0).astype(int)], type=pa.string()),
                item_state=pa.array(np.full(n, "draft"), type=pa.string()),
                incident_key=pa.array(incident_keys[incident_of_row], type=pa.string()),
                incident_date=pa.array((days - epoch).astype("int32"), type=pa.int32()).cast(
                    pa.date32()),
                incident_country=pa.array(np.full(n, "UA"), type=pa.string()),
                exercise=pa.array(np.ones(n, dtype=bool)),
                part_key=pa.nulls(n, pa.string()),
                origin_text=pa.array(origin_values, type=pa.string()),
                origin_country=pa.array(origin_country, type=pa.string()),
                item_id=pa.array(item + item_of_row, type=pa.int64()),
                incident_id=pa.array(incident + incident_of_row, type=pa.int64()),
                profile=pa.array(profile_of[year_index, family, unknown.astype(int), origin],
                                 type=pa.int32()),
                date_raw=pa.nulls(n, pa.string()),
                date_earliest=pa.array(np.where(dated, (code_days - epoch).astype("int32"), 0),
                                       mask=~dated, type=pa.int32()).cast(pa.date32()),
                date_latest=pa.nulls(n, pa.date32()),
                marking=pa.nulls(n, pa.string()),
                description=pa.nulls(n, pa.string()),
            )  # fmt: skip
            # Row groups of 128k rows let DuckDB scan with every thread.
            writer.write_table(pa.table(columns, schema=SNAPSHOT_SCHEMA), row_group_size=131_072)
            systems = np.array([None, "EXERCISE-SYSTEM-1"], dtype=object)[
                (np.arange(items_here) % 3 == 0).astype(int)]  # fmt: skip
            item_writer.write_table(pa.table([
                item_keys, np.full(items_here, "one-way attack UAV"), np.full(items_here, None),
                systems, np.full(items_here, "draft"), incident_keys[incident_of_item],
                item + np.arange(items_here), incident + incident_of_item,
                np.bincount(item_of_row, minlength=items_here),
            ], schema=ITEM_SCHEMA))  # fmt: skip
            incident_writer.write_table(pa.table([
                incident_keys, (day_of_incident - epoch).astype("int32"),
                np.full(incidents_here, None), np.full(incidents_here, "UA"),
                np.ones(incidents_here, dtype=bool), incident + np.arange(incidents_here),
                np.full(incidents_here, None), np.full(incidents_here, None),
            ], schema=INCIDENT_SCHEMA.remove(1).insert(1, pa.field("incident_date", pa.int32())))
            .cast(INCIDENT_SCHEMA))  # fmt: skip
            written += n
            item += items_here
            incident += incidents_here
    pq.write_table(profiles.table(), directory / "profiles.parquet")
    partial.replace(path)
    (directory / INFO_FILE).write_text('{"synthetic": true, "exercise": true}\n')
    return directory


PANDAS_COLUMNS = [
    "item_id", "incident_date", "weapon_system", "maker_source", "company", "owner",
    "company_country", "chpl_tier", "origin_country", "date_earliest",
]  # fmt: skip
SCOPED = Scope(weapon_system="EXERCISE-SYSTEM-1", since=datetime.date(2023, 1, 1))


def duckdb_summary(directory: Path, threads: int, scope: Scope = Scope()) -> tuple[Tally, str]:
    """armtrace's path: DuckDB over the Parquet snapshot, then the sentence."""
    con = connect(directory, threads=threads)
    tally = tally_duckdb(con, scope)
    con.close()
    return tally, summary_sentence(tally, "every documented item")


def pandas_summary(frame: pd.DataFrame) -> dict[str, Any]:
    """The same figures with a pandas group-by, the way an analyst would write it."""
    ident = frame[frame["company"].notna()]
    dates = frame["date_earliest"].dropna().sort_values()
    # Quarters from the per-day counts (a few thousand days), not one label per row.
    per_day = dates.value_counts()
    labels = [f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in per_day.index]
    quarters = per_day.groupby(labels).sum()
    return {
        "components": len(frame),
        "items": frame["item_id"].nunique(),
        "identified": len(ident),
        "by_country": ident["company_country"].value_counts().to_dict(),
        "by_company": ident["company"].value_counts().to_dict(),
        "by_owner": ident["owner"].value_counts().to_dict(),
        "by_tier": frame["chpl_tier"].fillna("unknown").value_counts().to_dict(),
        "by_origin": frame["origin_country"].value_counts().to_dict(),
        "date_min": dates.iloc[0], "date_max": dates.iloc[-1],
        "date_median": dates.iloc[(len(dates) - 1) // 2],
        "by_quarter": {str(k): int(v) for k, v in quarters.sort_index().items()},
    }  # fmt: skip


CPU: dict[int, float] = {}  # id(times list) -> median CPU seconds of this process, all threads


def _timed(func: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    times, cpu, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU[id(times)] = statistics.median(cpu)
    return statistics.median(times), times, result


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    directory = DATA / f"summary-{args.rows}-seed{args.seed}"
    began = time.perf_counter()
    generate(directory, args.rows, args.seed)
    print(f"data: {directory} ({time.perf_counter() - began:.1f} s)", file=sys.stderr)
    load = os.getloadavg()[0]
    duck_s, duck_all, (tally, sentence) = _timed(
        lambda: duckdb_summary(directory, args.threads), args.repeat
    )
    duck_peak = _peak_mib()
    scoped_s, scoped_all, (scoped, _) = _timed(
        lambda: duckdb_summary(directory, args.threads, SCOPED), args.repeat
    )
    # Only the columns the summary needs, as Arrow-backed columns: reading all of them as Python
    # objects would take several GiB at 10M rows.
    read_s, _, frame = _timed(
        lambda: pd.read_parquet(
            directory / "components.parquet", columns=PANDAS_COLUMNS, dtype_backend="pyarrow"
        ),
        1,
    )
    pandas_s, pandas_all, figures = _timed(lambda: pandas_summary(frame), args.repeat)
    since = pd.Timestamp(SCOPED.since).date() if SCOPED.since else None
    in_scope = (frame["weapon_system"].str.lower() == "exercise-system-1") & (
        frame["incident_date"] >= since
    )
    pscoped_s, pscoped_all, pscoped = _timed(lambda: pandas_summary(frame[in_scope]), args.repeat)
    pandas_peak = _peak_mib()
    agree = (
        figures["by_country"] == tally.by_country and figures["by_company"] == tally.by_company
        and figures["identified"] == tally.identified and figures["date_max"] == tally.date_max
        and figures["items"] == tally.items and figures["by_origin"] == tally.by_origin
        and pscoped["by_company"] == scoped.by_company and pscoped["items"] == scoped.items
        and figures["by_quarter"] == tally.by_quarter
        and figures["date_median"] == tally.date_median
    )  # fmt: skip
    rows = [
        ("armtrace: DuckDB over Parquet (tally_duckdb + sentence)", duck_s, min(duck_all),
         f"{CPU[id(duck_all)]:.3f}", f"{duck_peak:.0f}", "reads the file each run"),
        ("pandas group-by on a loaded DataFrame", pandas_s, min(pandas_all),
         f"{CPU[id(pandas_all)]:.3f}", f"{pandas_peak:.0f}",
         f"plus {read_s:.1f} s to load the Parquet file once"),
        ("pandas: load + group-by", read_s + pandas_s, read_s + min(pandas_all), "", "", ""),
        (f"armtrace, scoped ({SCOPED.describe()}: {scoped.components:,} rows)", scoped_s,
         min(scoped_all), f"{CPU[id(scoped_all)]:.3f}", "", "DuckDB over Parquet"),
        ("pandas, same scope (filter + group-by on the loaded DataFrame)", pscoped_s,
         min(pscoped_all), f"{CPU[id(pscoped_all)]:.3f}", "", ""),
    ]  # fmt: skip
    header = "| what | median s | best s | median CPU s | peak RSS MiB (process so far) | note |"
    lines = [header, "|---|--:|--:|--:|--:|---|"]
    lines += [f"| {w} | {m:.3f} | {b:.3f} | {c} | {p} | {n} |" for w, m, b, c, p, n in rows]
    summary = [
        f"rows: {args.rows:,}; DuckDB threads: {args.threads}; repeats: {args.repeat}; "
        f"1-minute load average at start: {load:.1f} ({os.cpu_count()} cores)",
        f"same answers (by country, by company, identified, latest and median date code): "
        f"{'yes' if agree else 'NO'}",
        f"sentence: {sentence}",
        f"target: under 1 s for {args.rows:,} rows: {'met' if duck_s < 1 else 'NOT met'} "
        f"(median {duck_s:.3f} s)",
    ]
    print("\n".join([*lines, "", *summary]))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "summary.md").write_text(
        "# Summary benchmark (bench/summary.py)\n\n"
        "Synthetic EXERCISE rows in the snapshot schema. With a load average above 1, other work "
        "shared the cores and wall times are pessimistic. CPU s is this "
        "process's CPU time over all its threads: on an idle 2-core machine the DuckDB wall time "
        "would be about CPU s / 2 to CPU s.\n\n"
        + "\n".join(lines) + "\n\n" + "\n".join(f"- {s}" for s in summary) + "\n" + NOTES,
        encoding="utf-8",
    )  # fmt: skip
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
