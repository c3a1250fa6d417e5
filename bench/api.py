"""Benchmark: the REST API under load, 1M stored items on PostgreSQL, several uvicorn workers.

What it does, in one run:

1. Fills a scratch PostgreSQL database (``armtrace_bench_api``) with N published EXERCISE items
   (default 1,000,000; two per incident, three components each, with machine readings), generated
   inside PostgreSQL with ``INSERT ... SELECT generate_series`` after armtrace's own migrations.
   With ``--reuse`` an already filled database is kept.
2. Starts ``uvicorn armtrace.web.app:create_app`` on loopback with ``--workers`` processes.
3. Drives it from a separate process with a small asyncio HTTP/1.1 keep-alive client:
   - fixed rate (open loop, latency counted from the scheduled send time, so a stalled server
     cannot hide its queue): item reads at ``--rate`` requests/s;
   - closed loop (``--connections`` clients as fast as they can): item reads, item reads with an
     API token, part-number search, and search over every kind (markings, serials, makers,
     places);
   - when ``wrk`` is installed, item reads again from ``wrk`` (closed loop: wrk keeps
     ``--connections`` requests in flight and cannot send at a fixed rate), a load generator
     written in C that leaves the two cores to the server.
   The CPU each load generator spends per request is reported next to the server's, since all
   of them share the same cores.
4. The alternative a user would pick, in the same run: reading the same rows straight from
   PostgreSQL with psycopg (the two queries an item read makes), no HTTP, one connection.

Prints a table and writes ``bench/results/api.md``.

    python bench/api.py                      # 1M items, 2 workers
    python bench/api.py --items 20000 --seconds 5 --reuse
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import psycopg

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PG_ADMIN = os.environ.get("ARMTRACE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SCRATCH = "armtrace_bench_api"
PORT = 8481  # away from armtrace serve's default port, so a running server is not hit
MAX_OPEN = 128  # connections the open-loop generator keeps at most
FOLD = ("OQDILSBZG", "000115826")  # armtrace.markings.readings._FOLD, as SQL translate() args


@dataclass(frozen=True)
class Row:
    """One measured scenario."""

    scenario: str
    mode: str
    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float | None = None  # CPU the uvicorn processes spent per request
    client_cpu_ms: float | None = None  # CPU the load generator spent per request


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server: subprocess.Popen[bytes]) -> list[int]:
    """The uvicorn supervisor and its workers."""
    found = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    return [server.pid, *(int(pid) for pid in found.stdout.split())]


def scratch_url() -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{SCRATCH}"


def item_count(url: str) -> int:
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM items").fetchone()
            assert row is not None  # count(*) always answers one row
            return int(row[0])
    except psycopg.Error:
        return -1


FILL = [
    """INSERT INTO incidents (key, incident_date, place, country, latitude, longitude, exercise)
       SELECT 'BX-INC-' || lpad(g::text, 7, '0'), date '2023-01-01' + (g %% 700),
              'Exercise town ' || (g %% 5000), 'UA', 44 + (g %% 600) / 100.0,
              22 + (g %% 1700) / 100.0, true
       FROM generate_series(1, %(incidents)s) g""",
    """INSERT INTO items (key, incident_id, item_type, item_markings, state)
       SELECT 'BX-' || lpad(g::text, 7, '0'), (g + 1) / 2, 'one-way attack UAV',
              'EXERCISE serial SN' || lpad((g::bigint * 7919 %% 10000000)::text, 7, '0'),
              'published'
       FROM generate_series(1, %(items)s) g""",
    """INSERT INTO components (item_id, key, marking, description)
       SELECT i, 'C' || c,
              (ARRAY['STM32F', 'ADM', 'MAX', 'TPS', 'LM'])[1 + (i * 3 + c) %% 5]
                || (100 + (i * 31 + c * 17) %% 900)::text || ' / '
                || (2000 + (i + c) %% 24)::text,
              'exercise part'
       FROM generate_series(1, %(items)s) i, generate_series(1, 3) c""",
    """INSERT INTO readings (component_id, part_number, part_key, part_stem, manufacturer_id,
                             country, confidence, why, registry_version, source)
       SELECT id, pn, key, left(key, 5), 'exercise-maker', 'US', 0.9, 'EXERCISE bench row',
              'bench', 'marking'
       FROM (SELECT id, split_part(marking, ' / ', 1) AS pn,
                    translate(upper(regexp_replace(split_part(marking, ' / ', 1),
                              '[^A-Za-z0-9]', '', 'g')), %(fold_from)s, %(fold_to)s) AS key
             FROM components) parts""",
]


def fill(items: int) -> float:
    """Create the scratch database, migrate it with armtrace, generate the rows; seconds taken."""
    from armtrace.settings import load_settings
    from armtrace.store import Store

    started = time.perf_counter()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH}"')
    Store.open(
        load_settings(db=scratch_url(), evidence=str(HERE / ".data" / "api-evidence"))
    ).close()
    values = {
        "items": items,
        "incidents": (items + 1) // 2,
        "fold_from": FOLD[0],
        "fold_to": FOLD[1],
    }
    with psycopg.connect(scratch_url(), autocommit=True) as conn:
        for statement in FILL:
            conn.execute(statement, values)
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# --- load generator (runs in its own process) ---------------------------------------------------


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str,
                   headers: str) -> int:  # fmt: skip
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def _closed(
    paths: list[str], headers: str, connections: int, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        while time.perf_counter() < deadline:
            path = random.choice(paths)
            sent = time.perf_counter()
            try:
                ok = await _request(reader, writer, path, headers) == 200
            except (OSError, asyncio.IncompleteReadError):
                ok = False
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            errors += not ok
            latencies.append(time.perf_counter() - sent)
        writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return latencies, errors


async def _open(
    paths: list[str], headers: str, rate: float, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    # At most MAX_OPEN connections, like a real client pool; a request waiting for one still
    # counts its wait, since latency runs from the scheduled time.
    slots = asyncio.Semaphore(MAX_OPEN)

    async def one(scheduled: float) -> None:
        nonlocal errors
        async with slots:
            try:
                pair = idle.pop() if idle else await asyncio.open_connection("127.0.0.1", PORT)
                ok = await _request(*pair, random.choice(paths), headers) == 200
                idle.append(pair)
            except (OSError, asyncio.IncompleteReadError):
                ok = False
            errors += not ok
            latencies.append(time.perf_counter() - scheduled)  # from when it was due

    start = time.perf_counter()
    tasks = []
    for n in range(int(rate * seconds)):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    for _, writer in idle:
        writer.close()
    return latencies, errors


# What the load generator sends back: latencies, errors, wall seconds and its CPU seconds.
DriveResult = tuple[list[float], int, float, float]


def _drive(
    args: tuple[str, list[str], str, float, float], out: multiprocessing.Queue[DriveResult]
) -> None:
    mode, paths, headers, amount, seconds = args
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "closed":
        latencies, errors = asyncio.run(_closed(paths, headers, int(amount), seconds))
    else:
        latencies, errors = asyncio.run(_open(paths, headers, amount, seconds))
    out.put((latencies, errors, time.perf_counter() - started, time.process_time() - cpu))


def drive(scenario: str, mode: str, paths: list[str], headers: str, amount: float,
          seconds: float, pids: list[int] | None = None) -> Row:  # fmt: skip
    """Run one load pattern from a child process and summarise it."""
    cpu_before = cpu_seconds(pids or [])
    queue: multiprocessing.Queue[DriveResult] = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=_drive, args=((mode, paths, headers, amount, seconds), queue)
    )
    child.start()
    try:  # read before join: a child blocks until its (large) result is taken off the queue
        latencies, errors, elapsed, client_cpu = queue.get(timeout=seconds * 20 + 120)
    except Empty:
        child.kill()
        raise SystemExit(f"load generator failed in {scenario} ({mode})") from None
    child.join()
    row = summarise(scenario, mode + (f" {amount:g}/s" if mode == "fixed" else f" c={amount:g}"),
                    latencies, errors, elapsed)  # fmt: skip
    if pids and row.requests:
        spent = (cpu_seconds(pids) - cpu_before) * 1000 / row.requests
        row = Row(**{**row.__dict__, "server_cpu_ms": spent,
                     "client_cpu_ms": client_cpu * 1000 / row.requests})  # fmt: skip
    return row


WRK_SCRIPT = """
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("/api/items/BX-%%07d", math.random(1, %(items)d)))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ARMTRACE %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout + e.status, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def drive_wrk(items: int, connections: int, seconds: float, pids: list[int]) -> Row | None:
    """Anonymous item reads from ``wrk`` (closed loop), or None when wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    script = HERE / ".data" / "api-wrk.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(WRK_SCRIPT % {"items": items})
    cpu_before, children = cpu_seconds(pids), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script),
         f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in done.stdout.splitlines() if x.startswith("ARMTRACE "))
    count, errors, micros, p50, p99 = line.split()[1:]
    requests = int(count)
    client = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return Row("item read (anonymous), wrk", f"closed c={connections}", requests, int(errors),
               requests / (int(micros) / 1e6), float(p50), float(p99),
               (cpu_seconds(pids) - cpu_before) * 1000 / max(1, requests),
               client * 1000 / max(1, requests))  # fmt: skip


def summarise(scenario: str, mode: str, latencies: list[float], errors: int, elapsed: float) -> Row:
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Row(scenario, mode, len(latencies), errors, len(latencies) / elapsed,
               statistics.median(ordered) * 1000, p99 * 1000)  # fmt: skip


# --- the alternative: straight to PostgreSQL ----------------------------------------------------


def direct_reads(keys: list[str], seconds: float) -> Row:
    """The two queries of an item read, from one psycopg connection, as fast as it goes."""
    item_sql = """SELECT it.id, it.key, it.item_type, it.item_markings, it.weapon_system, it.notes,
                         it.state, inc.key, inc.incident_date, inc.place, inc.country,
                         inc.latitude, inc.longitude, inc.exercise
                  FROM items it JOIN incidents inc ON inc.id = it.incident_id
                  WHERE it.key = %s AND it.state = 'published'"""
    parts_sql = """SELECT c.*, r.part_number, r.manufacturer_id, r.country, r.confidence, r.why
                   FROM components c LEFT JOIN readings r ON r.component_id = c.id
                   WHERE c.item_id = %s ORDER BY c.id"""
    latencies = []
    with psycopg.connect(scratch_url()) as conn:
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            row = conn.execute(item_sql, (random.choice(keys),), prepare=True).fetchone()
            assert row is not None
            conn.execute(parts_sql, (row[0],), prepare=True).fetchall()
            latencies.append(time.perf_counter() - sent)
        elapsed = time.perf_counter() - started
    return summarise(
        "item read: psycopg, no HTTP (1 connection)", "closed c=1", latencies, 0, elapsed
    )


# --- server ------------------------------------------------------------------------------------


def start_server(workers: int) -> subprocess.Popen[bytes]:
    try:  # something else answering on the port would be measured instead of this server
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
        raise SystemExit(f"port {PORT} is in use: stop what listens there first")
    except OSError:
        pass
    env = {**os.environ, "ARMTRACE_DB": scratch_url(),
           "ARMTRACE_EVIDENCE": str(HERE / ".data" / "api-evidence")}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "armtrace.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(PORT), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log"],
        env=env,
    )  # fmt: skip
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=1):
                time.sleep(2 if workers > 1 else 0.5)  # let every worker come up
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()  # not kill: the supervisor must stop its workers, or they keep the port
    server.wait(timeout=30)
    raise SystemExit("uvicorn did not start")


def api_token() -> str:
    from armtrace.accounts.roles import Role
    from armtrace.accounts.tokens import create_token
    from armtrace.accounts.users import create_user, list_users
    from armtrace.settings import load_settings
    from armtrace.store import Store

    store = Store.open(
        load_settings(db=scratch_url(), evidence=str(HERE / ".data" / "api-evidence"))
    )
    try:
        if "bench-analyst" not in {u.name for u in list_users(store)}:
            create_user(store, "bench-analyst", "bench-password-1", Role.ANALYST, actor="bench")
        return create_token(store, "bench-analyst", f"bench-{time.time_ns()}", actor="bench")
    finally:
        store.close()


def markdown(rows: list[Row], items: int, workers: int, load: float, fill_s: float | None) -> str:
    lines = [
        "# API load benchmark", "",
        f"Written by `bench/api.py` on {time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores "
        f"shared by the server ({workers} uvicorn workers), PostgreSQL and the load generator; "
        f"Python {platform.python_version()}. {items:,} published EXERCISE items (3 components "
        f"each). Load average when the run started: {load:.1f} (the 1-minute average: anything "
        "above ~1 means other work shared the two cores, and the figures are lower bounds).",
        "\nRows reused from an earlier fill (--reuse)."
        if fill_s is None
        else f"\nGenerating the rows in PostgreSQL took {fill_s:.0f} s.",
        "",
        "`fixed N/s`: open loop, latency from the scheduled send time. `c=N`: N keep-alive "
        "connections sending as fast as answers come back.", "",
        "`server CPU`: CPU milliseconds the uvicorn processes spent per request (user + system), "
        "which bounds what two idle cores could serve: 2,000 / (server CPU + PostgreSQL CPU). "
        "`client CPU`: the same for the load generator, which runs on the same two cores "
        "(the Python asyncio client, or `wrk` where the scenario says so).",
        "",
        "| scenario | load | requests | errors | req/s | p50 ms | p99 ms | server CPU ms/req "
        "| client CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for r in rows:
        cpu = "–" if r.server_cpu_ms is None else f"{r.server_cpu_ms:.2f}"
        client = "–" if r.client_cpu_ms is None else f"{r.client_cpu_ms:.2f}"
        lines.append(
            f"| {r.scenario} | {r.mode} | {r.requests:,} | {r.errors} | "
            f"{r.per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {cpu} | {client} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reuse", action="store_true", help="keep a filled scratch database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    fill_s = None
    if not (args.reuse and item_count(scratch_url()) >= args.items):
        print(f"generating {args.items:,} items in PostgreSQL ...", file=sys.stderr)
        fill_s = fill(args.items)
    rng = random.Random(7)
    keys = [f"BX-{rng.randint(1, args.items):07d}" for _ in range(5000)]
    items = [f"/api/items/{k}" for k in keys]
    parts = [f"/api/search?q={p}{rng.randint(100, 999)}&kinds=markings"
             for p in ("STM32F", "ADM", "MAX", "TPS", "LM") for _ in range(200)]  # fmt: skip
    everything = [f"/api/search?q=SN{rng.randint(0, 9999999):07d}" for _ in range(500)]
    token = f"Authorization: Bearer {api_token()}\r\n"
    rows = [direct_reads(keys, args.seconds)]
    server = start_server(args.workers)
    pids = server_pids(server)
    try:
        for paths in (items, parts, everything):  # every worker, every code path, once
            drive("warm-up", "closed", paths, "", 8, 2)
        plan = [
            ("item read (anonymous)", "fixed", items, "", args.rate),
            ("item read (anonymous)", "closed", items, "", args.connections),
            ("item read (API token)", "closed", items, token, args.connections),
            ("search part number", "closed", parts, "", args.connections),
            ("search all kinds", "closed", everything, "", 4),
        ]
        for scenario, mode, paths, headers, amount in plan:
            rows.append(drive(scenario, mode, paths, headers, amount, args.seconds, pids))
        with_wrk = drive_wrk(args.items, args.connections, args.seconds, pids)
        rows.extend([with_wrk] if with_wrk else [])
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = markdown(rows, args.items, args.workers, load, fill_s)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.md").write_text(text)
    if not args.keep and not args.reuse:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
