"""Benchmark: import speed of component sheets, armtrace against the tools a user would pick.

For each size (1M and 10M synthetic rows by default, cached under ``bench/.data/``) it measures,
each in a fresh database and in the same run:

- ``armtrace import`` into SQLite (the real CLI when it works, else ``import_sheet`` in a child
  process: both pay interpreter start-up and schema migration, as a user does);
- ``sqlite-utils insert DB components FILE --csv`` into a fresh SQLite file;
- ``armtrace import`` into PostgreSQL (scratch database ``armtrace_bench``, dropped afterwards);
- PostgreSQL's own ``COPY ... FROM STDIN (FORMAT csv, HEADER)`` via ``psql \\copy`` into a table of
  text columns, without and with armtrace's unique index on (item, component id), and like for
  like: the same COPY followed, in one transaction, by the indexes armtrace's components table
  carries (unique key, trigram search index on the marking, photo index), built after the load.

Times are wall-clock seconds of the child process; CPU and peak RSS are the child's own (from
``wait4``), so PostgreSQL server work is in the wall time but not in that CPU or RSS. The server's
CPU is measured apart: a sampler thread reads ``/proc`` for every backend (and parallel worker)
connected to the scratch database every 50 ms, so it needs the server on this machine and misses
at most the last 50 ms of each backend (and the server's background WAL writer and checkpointer).
Results go to ``bench/results/import.json`` (merged by size) and ``bench/results/import.md``.

    python bench/import.py --rows 1000000
    python bench/import.py                     # 1M and 10M
    python bench/import.py --rows 10000000 --only armtrace-postgres

``ARMTRACE_IMPORT_TIMINGS=1`` in the environment also prints where armtrace's PostgreSQL import
spent its time (armtrace.sheets.timings).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_csv

from armtrace.model.sheet import COLUMNS
from armtrace.store.dialect import MAINTENANCE_WORK_MEM

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/"
SCRATCH = "armtrace_bench"
BIN = Path(sys.executable).parent

# Used when the armtrace CLI is not installed or has no working ``import`` command yet.
LIBRARY_RUNNER = """
import sys
from pathlib import Path
from armtrace.settings import load_settings
from armtrace.store import Store
from armtrace.sheets.importer import import_sheet
store = Store.open(load_settings(db=sys.argv[1], evidence=sys.argv[2]))
report = import_sheet(store, Path(sys.argv[3]))
print(report.rows, report.components)
"""


@dataclass
class Result:
    tool: str
    store: str
    rows: int
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    loaded: int  # rows found in the store afterwards, to catch a tool that silently dropped rows
    load_average: float
    server_cpu_seconds: float = 0.0  # PostgreSQL backends serving the tool; 0 for SQLite


# The last child's standard error, for ARMTRACE_IMPORT_TIMINGS=1 (armtrace prints its phases).
LAST_STDERR = [""]


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run a child to completion: (wall seconds, CPU seconds, peak RSS MiB) of that child alone."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the maximum over all children.
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    out = child.stdout.read().decode() if child.stdout else ""
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} failed ({child.returncode}):\n{out}\n{err}")
    LAST_STDERR[0] = err
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def armtrace_command(db: str, evidence: Path, sheet: Path) -> tuple[list[str], dict[str, str]]:
    """The real CLI when it can import, else the library in a child process."""
    env = {**os.environ, "ARMTRACE_DB": db, "ARMTRACE_EVIDENCE": str(evidence)}
    cli = BIN / "armtrace"
    if cli.exists():
        probe = subprocess.run(
            [str(cli), "import", "--help"], env=env, capture_output=True, timeout=120
        )
        if probe.returncode == 0:
            return [str(cli), "import", str(sheet)], env
    return [sys.executable, "-c", LIBRARY_RUNNER, db, str(evidence), str(sheet)], env


def load_average() -> float:
    return os.getloadavg()[0]


# The per-row path (every format, and CSV files the columnar path does not take) for comparison.
PER_ROW = {"ARMTRACE_IMPORT_COLUMNAR": "0"}


def _tool(argv: list[str], extra: dict[str, str]) -> str:
    tool = "armtrace import" if "import" in argv else "armtrace import_sheet()"
    return tool + (" (per-row path)" if extra else "")


def bench_armtrace_sqlite(
    sheet: Path, rows: int, work: Path, extra: dict[str, str] | None = None
) -> Result:
    db = work / ("armtrace-per-row.db" if extra else "armtrace.db")
    argv, env = armtrace_command(f"sqlite:///{db}", work / "evidence", sheet)
    load = load_average()
    seconds, cpu, rss = measure(argv, {**env, **(extra or {})})
    with sqlite3.connect(db) as conn:
        loaded = conn.execute("SELECT count(*) FROM components").fetchone()[0]
    return Result(_tool(argv, extra or {}), "SQLite", rows, seconds, cpu, rss, loaded, load)


def bench_sqlite_utils(sheet: Path, rows: int, work: Path) -> Result:
    db = work / "sqlite-utils.db"
    tool = shutil.which("sqlite-utils", path=str(BIN)) or "sqlite-utils"
    load = load_average()
    seconds, cpu, rss = measure([tool, "insert", str(db), "components", str(sheet), "--csv"])
    with sqlite3.connect(db) as conn:
        loaded = conn.execute("SELECT count(*) FROM components").fetchone()[0]
    return Result("sqlite-utils insert --csv", "SQLite", rows, seconds, cpu, rss, loaded, load)


def scratch_url(admin: str) -> str:
    return admin.rstrip("/") + "/" + SCRATCH


def fresh_scratch(admin: str) -> None:
    with psycopg.connect(admin.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH}")


def drop_scratch(admin: str) -> None:
    with psycopg.connect(admin.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


class ServerCpu:
    """CPU seconds of the PostgreSQL backends connected to the scratch database, sampled."""

    def __init__(self, admin: str) -> None:
        self.admin = admin
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> ServerCpu:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.done.set()
        self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())

    def _run(self) -> None:
        with psycopg.connect(self.admin.rstrip("/") + "/postgres", autocommit=True) as conn:
            while True:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (SCRATCH,)
                ).fetchall()
                for (pid,) in rows:
                    try:
                        # Fields after the command name: utime and stime are the 12th and 13th.
                        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except (OSError, IndexError):
                        continue
                    used = (int(stat[11]) + int(stat[12])) / self.tick
                    self.seen[pid] = max(self.seen.get(pid, 0.0), used)
                if self.done.wait(0.05):
                    return


def count_pg(admin: str, table: str) -> int:
    with psycopg.connect(scratch_url(admin)) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def bench_armtrace_pg(
    sheet: Path, rows: int, work: Path, admin: str, extra: dict[str, str] | None = None
) -> Result:
    fresh_scratch(admin)
    try:
        argv, env = armtrace_command(scratch_url(admin), work / "evidence-pg", sheet)
        load = load_average()
        with ServerCpu(admin) as server:
            seconds, cpu, rss = measure(argv, {**env, **(extra or {})})
        if env.get("ARMTRACE_IMPORT_TIMINGS") == "1":
            print(LAST_STDERR[0], file=sys.stderr, end="")
        loaded = count_pg(admin, "components")
    finally:
        drop_scratch(admin)
    tool = _tool(argv, extra or {})
    return Result(tool, "PostgreSQL", rows, seconds, cpu, rss, loaded, load, server.seconds)


def bench_copy(sheet: Path, rows: int, admin: str, unique: bool) -> Result:
    fresh_scratch(admin)
    try:
        with psycopg.connect(scratch_url(admin), autocommit=True) as conn:
            columns = ", ".join(f"{name} text" for name in COLUMNS)
            conn.execute(f"CREATE TABLE components_raw ({columns})")
            if unique:
                # The same uniqueness armtrace's components table enforces: (item, component id).
                conn.execute("CREATE UNIQUE INDEX ON components_raw (item_id, component_id)")
        copy = f"\\copy components_raw FROM '{sheet}' WITH (FORMAT csv, HEADER)"
        psql = shutil.which("psql") or "psql"
        load = load_average()
        with ServerCpu(admin) as server:
            seconds, cpu, rss = measure([psql, "-X", "-q", scratch_url(admin), "-c", copy])
        loaded = count_pg(admin, "components_raw")
    finally:
        drop_scratch(admin)
    tool = "COPY FROM STDIN" + (" + unique index" if unique else "")
    return Result(tool, "PostgreSQL", rows, seconds, cpu, rss, loaded, load, server.seconds)


# What armtrace's import leaves on components besides the rows: the unique key, the trigram
# search index and the photo index (migrations 0001 and 0009), built after the load as a
# database administrator would for a bulk load, with the maintenance memory armtrace's import
# uses, all in one transaction as armtrace's import is.
LIKE_ARMTRACE = (
    "CREATE UNIQUE INDEX ON components_raw (item_id, component_id)",
    "CREATE INDEX ON components_raw USING gin (upper(marking) gin_trgm_ops)",
    "CREATE INDEX ON components_raw (photo)",
)


LIKE_FOR_LIKE = "COPY FROM STDIN + armtrace's indexes"


def bench_copy_like_armtrace(sheet: Path, rows: int, admin: str) -> Result:
    """COPY into a table of the CSV's columns, then the indexes armtrace's components carry."""
    fresh_scratch(admin)
    try:
        with psycopg.connect(scratch_url(admin), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        columns = ", ".join(["id bigserial PRIMARY KEY", *(f"{name} text" for name in COLUMNS)])
        copy = (
            f"\\copy components_raw ({', '.join(COLUMNS)}) FROM '{sheet}' WITH (FORMAT csv, HEADER)"
        )
        steps = [
            f"CREATE TABLE components_raw ({columns})",
            f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'",
            copy,
            *LIKE_ARMTRACE,
        ]
        argv = [shutil.which("psql") or "psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1"]
        for step in steps:
            argv += ["-c", step]
        load = load_average()
        with ServerCpu(admin) as server:
            seconds, cpu, rss = measure([*argv, scratch_url(admin)])
        loaded = count_pg(admin, "components_raw")
    finally:
        drop_scratch(admin)
    tool = LIKE_FOR_LIKE
    return Result(tool, "PostgreSQL", rows, seconds, cpu, rss, loaded, load, server.seconds)


def sheet_for(rows: int, seed: int) -> Path:
    path = DATA / f"components-{rows}-seed{seed}.csv"
    if not path.exists():
        started = time.perf_counter()
        write_csv(path, rows, seed)
        print(f"generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def markdown(results: list[Result]) -> str:
    """The results as a Markdown table, each size's rows compared with its own plain COPY."""
    copy_seconds = {r.rows: r.seconds for r in results if r.tool == "COPY FROM STDIN"}
    like_seconds = {r.rows: r.seconds for r in results if r.tool == LIKE_FOR_LIKE}
    lines = [
        "| tool | store | rows | seconds | rows/s | CPU s (client) | CPU s (server) "
        "| peak RSS MiB | × COPY | × indexed COPY | load avg |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in sorted(results, key=lambda r: (r.rows, r.store, r.tool)):
        ratio = f"{r.seconds / copy_seconds[r.rows]:.2f}" if r.rows in copy_seconds else "–"
        like = f"{r.seconds / like_seconds[r.rows]:.2f}" if r.rows in like_seconds else "–"
        lost = "" if r.loaded == r.rows else f" (loaded {r.loaded:,})"
        server = f"{r.server_cpu_seconds:.1f}" if r.server_cpu_seconds else "–"
        lines.append(
            f"| {r.tool}{lost} | {r.store} | {r.rows:,} | {r.seconds:.1f} | "
            f"{r.rows / r.seconds:,.0f} | {r.cpu_seconds:.1f} | {server} "
            f"| {r.peak_rss_mib:,.0f} | {ratio} | {like} "
            f"| {r.load_average:.1f} |"
        )
    return "\n".join(lines)


def save(results: list[Result]) -> None:
    """Merge this run's results into the stored ones (by tool, store and size) and rewrite both."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stored_path = RESULTS / "import.json"
    merged: dict[tuple[str, str, int], Result] = {}
    if stored_path.exists():
        for item in json.loads(stored_path.read_text()):
            r = Result(**item)
            merged[(r.tool, r.store, r.rows)] = r
    for r in results:
        merged[(r.tool, r.store, r.rows)] = r
    ordered = sorted(merged.values(), key=lambda r: (r.rows, r.store, r.tool))
    stored_path.write_text(json.dumps([asdict(r) for r in ordered], indent=1) + "\n")
    header = (
        "# Import benchmark results\n\n"
        f"Written by `bench/import.py` on {time.strftime('%Y-%m-%d')}; machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}. `load avg` is the 1-minute load average when the run started "
        "(anything above ~1 means other work shared the cores and slowed every tool alike). "
        "`× COPY` is seconds relative to plain PostgreSQL COPY of the same file; "
        f"`× indexed COPY` relative to `{LIKE_FOR_LIKE}` (the same COPY, then the unique key, "
        "trigram search index and photo index armtrace's components table carries, in one "
        "transaction): the like-for-like baseline. `CPU s (server)` is the PostgreSQL "
        "backends' CPU (sampled from /proc), `CPU s (client)` the tool's own process. "
        "`(per-row path)` is armtrace with its columnar CSV path switched off "
        "(`ARMTRACE_IMPORT_COLUMNAR=0`), measured in the same run. Rows are merged across runs: "
        "a tool and size not re-run keep their earlier figures.\n\n"
    )
    (RESULTS / "import.md").write_text(header + markdown(ordered) + "\n")


def run_size(
    sheet: Path, rows: int, work: Path, admin: str, only: set[str], no_postgres: bool
) -> Iterator[Result]:
    """Measure every selected tool on one sheet, baselines first."""
    if "copy" in only and not no_postgres:
        yield bench_copy(sheet, rows, admin, unique=False)
        yield bench_copy(sheet, rows, admin, unique=True)
        yield bench_copy_like_armtrace(sheet, rows, admin)
    if "armtrace" in only:
        yield bench_armtrace_sqlite(sheet, rows, work)
        yield bench_armtrace_sqlite(sheet, rows, work, PER_ROW)
    if ("armtrace" in only or "armtrace-postgres" in only) and not no_postgres:
        yield bench_armtrace_pg(sheet, rows, work, admin)
        if "armtrace" in only:
            yield bench_armtrace_pg(sheet, rows, work, admin, PER_ROW)
    if "sqlite-utils" in only:
        yield bench_sqlite_utils(sheet, rows, work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="default: 1000000 and 10000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=PG_ADMIN, help="PostgreSQL server URL (no database)")
    parser.add_argument(
        "--only",
        action="append",
        choices=["armtrace", "armtrace-postgres", "sqlite-utils", "copy"],
        help="repeatable; armtrace-postgres: only armtrace's default path into PostgreSQL",
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    sizes = args.rows or [1_000_000, 10_000_000]
    only = set(args.only or ["armtrace", "sqlite-utils", "copy"])
    results: list[Result] = []
    for rows in sizes:
        sheet = sheet_for(rows, args.seed)
        with tempfile.TemporaryDirectory(dir=DATA, prefix="work-") as tmp:
            for result in run_size(sheet, rows, Path(tmp), args.pg, only, args.no_postgres):
                results.append(result)
                print(markdown([result]).splitlines()[-1], flush=True)
                save(results)  # after each tool, so a cut run keeps what it measured
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
