"""Campaign report over millions of component rows: armtrace (DuckDB over Parquet) vs pandas.

A campaign report needs, over every component in scope: components and identified parts per
company and per headquarters country, date codes by month, and per quarter the makers seen, the
new makers, each country's share and the date-code lag (median and quartiles). armtrace computes
them with DuckDB over the analytics fact file (``armtrace snapshot`` / ``armtrace export
x.parquet``) and renders HTML and PDF; the alternative a user would pick is pandas on the same
Parquet file. Each run happens in its own child process (its own peak memory), on the same file,
in the same run; the figures of the two are compared and must agree.

The fact file is synthetic (every row is exercise data): items of 200 components, two items an
incident, five weapon systems, makers drawn from the real registry with more makers appearing
as time passes, half the parts dated, date-code lag drawn from a gamma distribution.

    .venv/bin/python bench/report.py --rows 1000000        # quick
    .venv/bin/python bench/report.py                       # 10M rows (the target: < 30 s)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
OUTPUT = DATA / "report-output"  # the sample campaign report each run writes
CHUNK = 1_000_000
PER_ITEM = 200
SYSTEMS = ("Shahed-136", "Geran-2", "KN-23", "Kh-101", "Iskander-M")
START, DAYS = datetime.date(2022, 3, 1), 3 * 365


def _strings(indices: np.ndarray, values: Sequence[str | None]) -> pa.Array:
    """A string column from indices into ``values`` (None for null), built in C++."""
    dictionary = pa.array(values, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary).cast(
        pa.string()
    )


def write_facts(path: Path, rows: int, seed: int = 7) -> Path:
    """Write a synthetic fact file in the analytics snapshot's schema, a million rows at a time."""
    from armtrace.analytics.snapshot import FACT_SCHEMA
    from armtrace.refdata.manufacturers import load_registry

    registry = load_registry()
    makers = sorted(m.id for m in registry if m.country and "distributor" not in m.kinds)
    rng = np.random.default_rng(seed)
    rng.shuffle(makers)
    owners = [registry.current_owner(m) for m in makers]
    names = [registry.get(m).name for m in makers]
    items_total = max(rows // PER_ITEM, 1)
    incidents_total = max(items_total // 2, 1)
    partial = path.with_suffix(".partial")
    with pq.ParquetWriter(partial, FACT_SCHEMA, compression="zstd") as writer:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            row = np.arange(start, start + n)
            item = row // PER_ITEM
            incident = item // 2
            progress = incident / incidents_total  # 0..1 through the campaign
            day = (progress * DAYS).astype(np.int64) + rng.integers(0, 5, n)
            incident_date = np.datetime64(START) + day.astype("timedelta64[D]")
            # More makers appear as the campaign goes on: the pool grows from 20 to all.
            pool = 20 + progress * (len(makers) - 20)
            maker = np.minimum((rng.power(0.6, n) * pool).astype(np.int64), len(makers) - 1)
            identified = rng.random(n) < 0.8
            maker_idx = np.where(identified, maker, len(makers))
            dated = rng.random(n) < 0.5
            lag = rng.gamma(2.0, 300.0, n).astype(np.int64)
            latest = incident_date - lag.astype("timedelta64[D]")
            system = (item * 2654435761 % 1000) % len(SYSTEMS)
            tier_idx = rng.integers(0, 5, n)
            item_names = [f"SYN-{i:07d}" for i in range(int(item[0]), int(item[-1]) + 1)]
            incident_names = [
                f"SYN-INC-{i:07d}" for i in range(int(incident[0]), int(incident[-1]) + 1)
            ]
            maybe = [*makers, None]
            columns = {
                "component_id": pa.array(row + 1, pa.int64()),
                "component_key": _strings(row % PER_ITEM, [f"#{k + 1}" for k in range(PER_ITEM)]),
                "item_key": _strings(item - item[0], item_names),
                "item_type": _strings(np.zeros(n, np.int64), ["one-way attack UAV"]),
                "weapon_system": _strings(system, list(SYSTEMS)),
                "item_state": _strings((item % 10 == 0).astype(np.int64), ["draft", "published"]),
                "incident_key": _strings(incident - incident[0], incident_names),
                "incident_date": pa.array(incident_date, pa.date32()),
                "incident_country": _strings(np.zeros(n, np.int64), ["UA"]),
                "exercise": pa.array(np.ones(n, bool)),
                "part_number": pa.nulls(n, pa.string()),
                "part_key": pa.nulls(n, pa.string()),
                "maker_id": _strings(maker_idx, maybe),
                "maker_name": _strings(maker_idx, [*names, None]),
                "maker_source": _strings(identified.astype(np.int64), [None, "machine"]),
                "company": _strings(maker_idx, maybe),
                "company_name": _strings(maker_idx, [*names, None]),
                "company_country": _strings(
                    maker_idx, [*(registry.get(m).country for m in makers), None]
                ),
                "owner": _strings(maker_idx, [*(o.id for o in owners), None]),
                "owner_name": _strings(maker_idx, [*(o.name for o in owners), None]),
                "owner_country": _strings(maker_idx, [*(o.country for o in owners), None]),
                "origin_text": pa.nulls(n, pa.string()),
                "origin_country": pa.nulls(n, pa.string()),
                "chpl_tier": _strings(tier_idx, ["1", "2", "3.A", None, None]),
                "date_raw": pa.nulls(n, pa.string()),
                "date_earliest": pa.array(
                    np.where(dated, latest - np.timedelta64(6, "D"), np.datetime64("NaT")),
                    pa.date32(),
                ),
                "date_latest": pa.array(np.where(dated, latest, np.datetime64("NaT")), pa.date32()),
            }
            ids = {"item_id": item + 1, "incident_id": incident + 1}
            for name in FACT_SCHEMA.names:  # columns the snapshot gained that synthesis ignores
                if name not in columns:
                    field = FACT_SCHEMA.field(name)
                    columns[name] = (
                        pa.array(ids[name], field.type) if name in ids else pa.nulls(n, field.type)
                    )
            writer.write_table(pa.table(columns, schema=FACT_SCHEMA), row_group_size=CHUNK)
    partial.replace(path)
    return path


def child_duckdb(path: Path, out: Path) -> dict[str, object]:
    """The armtrace way: build the campaign report from the fact file, write HTML and PDF."""
    from armtrace.reports.document import ReportRequest, build_report, render_html, render_pdf

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = build_report(None, ReportRequest("campaign"), parquet=path)
    figures = time.perf_counter() - started
    html = render_html(report)
    (out / "campaign.html").write_text(html, encoding="utf-8")
    rendered_html = time.perf_counter() - started
    (out / "campaign.pdf").write_bytes(render_pdf(report))
    total = time.perf_counter() - started
    trends = report.campaign or {}
    return {
        "figures_s": figures, "html_s": rendered_html - figures, "pdf_s": total - rendered_html,
        "components": report.components, "identified": report.identified,
        "companies": len(report.companies),
        "by_country": {code: n for code, n in report.countries},
        "periods": {p["period"]: [p["components"], p["makers"], len(p["new_makers"])]
                    for p in trends.get("periods", [])},
        "lag_median": trends.get("lag_days_median"),
    }  # fmt: skip


def child_pandas(path: Path) -> dict[str, object]:
    """The alternative: the same figures with pandas over the same Parquet file."""
    import pandas as pd

    started = time.perf_counter()
    columns = ["item_key", "incident_key", "incident_date", "weapon_system", "maker_id",
               "company", "company_name", "owner", "owner_name", "company_country",
               "chpl_tier", "date_latest", "exercise"]  # fmt: skip
    df = pd.read_parquet(path, columns=columns)
    df = df[df["incident_date"].notna()]
    incident = pd.to_datetime(df["incident_date"])
    known = df[df["company"].notna()]
    companies = known.groupby("company").agg(
        n=("company", "size"), name=("company_name", "first"), owner=("owner_name", "first"),
        country=("company_country", "first"),
    )  # fmt: skip
    _tiers = known.dropna(subset=["chpl_tier"]).drop_duplicates(["company", "chpl_tier"])
    by_country = known["company_country"].fillna("unknown").value_counts()
    _months = pd.to_datetime(df["date_latest"].dropna()).dt.to_period("M").value_counts()
    _incidents = df.groupby("incident_key").agg(date=("incident_date", "first"),
                                                exercise=("exercise", "any"))  # fmt: skip
    _items = df.groupby("item_key")["weapon_system"].first()
    period = incident.dt.to_period("Q").dt.start_time.dt.date.astype(str)
    maker = df["maker_id"].fillna(df["company"])
    frame = pd.DataFrame({"period": period, "maker": maker, "company": df["company"],
                          "country": df["company_country"]})  # fmt: skip
    per_period = frame.groupby("period").agg(
        components=("period", "size"), identified=("company", "count"), makers=("maker", "nunique")
    )
    first_seen = frame.dropna(subset=["maker"]).groupby("maker")["period"].min()
    new_makers = first_seen.value_counts()
    identified = frame[frame["company"].notna()]
    _share = (
        identified.groupby(["period", identified["country"].fillna("unknown")])
        .size()
        .div(per_period["identified"], level="period")
    )
    lag = (incident - pd.to_datetime(df["date_latest"])).dt.days
    kept = pd.DataFrame({"period": period, "lag": lag})
    kept = kept[kept["lag"] >= 0]
    _quartiles = kept.groupby("period")["lag"].quantile([0.25, 0.5, 0.75])
    return {
        "figures_s": time.perf_counter() - started,
        "components": len(df), "identified": len(known), "companies": len(companies),
        "by_country": {str(k): int(v) for k, v in by_country.items()},
        "periods": {p: [int(r.components), int(r.makers), int(new_makers.get(p, 0))]
                    for p, r in per_period.iterrows()},
        "lag_median": float(kept["lag"].median()),
    }  # fmt: skip


@dataclass
class Run:
    approach: str
    rows: int
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    figures_s: float
    render_s: float | None
    load_average: float


def _number(value: object) -> float:
    """A figure from a child's JSON output, which holds only numbers where figures are."""
    if not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def measure(argv: list[str]) -> tuple[float, float, float, dict[str, object]]:
    """Run a child: (wall s, CPU s, peak RSS MiB, its JSON output)."""
    started = time.perf_counter()
    # The child's output goes to files, not pipes: a child that wrote more than a pipe holds
    # would block on the write while this process blocked in wait4, and neither would finish.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        child = subprocess.Popen(argv, stdout=out_file, stderr=err_file)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out = out_file.read().decode()
        err = err_file.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv[2:4])} failed:\n{out}\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, json.loads(out)


def compare(ours: dict[str, object], theirs: dict[str, object]) -> list[str]:
    """Differences between the two approaches' figures (empty when they agree)."""
    problems = []
    for key in ("components", "identified", "companies", "by_country", "periods"):
        if ours[key] != theirs[key]:
            problems.append(f"{key}: armtrace {ours[key]!r} != pandas {theirs[key]!r}")
    ours_lag, theirs_lag = ours["lag_median"], theirs["lag_median"]
    both_missing = ours_lag is None and (theirs_lag is None or theirs_lag != theirs_lag)  # NaN
    if not both_missing and (
        ours_lag is None or theirs_lag is None or abs(_number(ours_lag) - _number(theirs_lag)) > 0.5
    ):
        problems.append(f"lag median {ours_lag} != {theirs_lag}")
    return problems


def markdown(runs: list[Run], problems: list[str], target: float) -> str:
    lines = [
        "# Campaign report benchmark results", "",
        f"Written by `bench/report.py` on {datetime.date.today().isoformat()}; machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. `load avg` is the 1-minute "
        "load average when each run started; above 1, other work shared the cores and the "
        "timings are pessimistic.", "",
        "Input: synthetic fact Parquet files (exercise data) in the analytics snapshot "
        "schema, whole file in scope. `figures` is computing every figure of a campaign report "
        "(companies, countries, date codes by month, incidents, items, per-quarter makers, new "
        "makers, country shares, date-code lag quartiles); `render` is writing the HTML and the "
        "PDF (armtrace only; pandas stops at the figures). Both approaches' figures were "
        "compared: " + ("they agree." if not problems else "DIFFERENCES: " + "; ".join(problems)),
        "",
        "| approach | rows | total s | figures s | render s | CPU s | peak RSS MiB | load avg |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]  # fmt: skip
    for r in runs:
        render = f"{r.render_s:.1f}" if r.render_s is not None else "—"
        lines.append(
            f"| {r.approach} | {r.rows:,} | {r.seconds:.1f} | {r.figures_s:.1f} | {render} | "
            f"{r.cpu_seconds:.1f} | {r.peak_rss_mib:,.0f} | {r.load_average:.1f} |"
        )
    ours = [r for r in runs if r.approach.startswith("armtrace") and r.rows >= 10_000_000]
    if ours:
        worst = max(r.seconds for r in ours)
        verdict = f"{'met' if worst < target else 'NOT met'} (slowest 10M-row run: {worst:.1f} s)"
    else:
        verdict = "not measured in this run (no input of 10M rows)"
    lines += ["", f"Target: a campaign report over 10M rows in under {target:.0f} s: {verdict}; "
              "total s includes starting Python and importing armtrace.",
              "", "Reproduce: `.venv/bin/python bench/report.py` (10M rows; `--rows N` for "
              "another size, `--facts FILE` to add a snapshot's components.parquet). The fact "
              "file is cached in `bench/.data/`."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows (default 10,000,000)")
    parser.add_argument("--child", nargs=2, metavar=("APPROACH", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--target", type=float, default=30.0)
    parser.add_argument(
        "--facts", type=Path, action="append", help="also run on this fact file (armtrace snapshot)"
    )
    args = parser.parse_args(argv)
    if args.child:
        approach, file = args.child
        result = (child_duckdb(Path(file), OUTPUT) if approach == "armtrace"
                  else child_pandas(Path(file)))  # fmt: skip
        sys.stdout.write(json.dumps(result, default=str) + "\n")
        return 0
    runs: list[Run] = []
    problems: list[str] = []
    inputs: list[tuple[Path, str]] = []
    for rows in args.rows or [10_000_000]:
        path = DATA / f"facts-{rows}.parquet"
        if not path.exists():
            started = time.perf_counter()
            write_facts(path, rows)
            print(f"wrote {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        inputs.append((path, "synthetic facts"))
    inputs += [(Path(f), f"file {Path(f).name}") for f in args.facts or []]
    for path, source in inputs:
        rows = pq.ParquetFile(path).metadata.num_rows
        outputs = {}
        for approach in ("armtrace", "pandas"):
            load = os.getloadavg()[0]
            argv = [sys.executable, __file__, "--child", approach, str(path)]
            seconds, cpu, rss, out = measure(argv)
            outputs[approach] = out
            render = _number(out["html_s"]) + _number(out["pdf_s"]) if "pdf_s" in out else None
            label = ("armtrace (DuckDB)" if approach == "armtrace" else "pandas") + f", {source}"
            runs.append(
                Run(label, rows, seconds, cpu, rss, _number(out["figures_s"]), render, load)
            )
        problems += [f"{rows:,} rows: {p}" for p in compare(outputs["armtrace"], outputs["pandas"])]
    text = markdown(runs, problems, args.target)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.md").write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
