"""Soak test: a sustained mixed load on ``armtrace serve`` (2 workers) over PostgreSQL, loopback.

What it does, in one run:

1. Makes a scratch PostgreSQL database (``armtrace_load_mixed``, dropped first), imports a seed
   sheet of EXERCISE items and creates an analyst with an API token.
2. Starts ``armtrace serve --workers 2`` on 127.0.0.1 and waits until it answers.
3. Runs ``--connections`` closed-loop clients for ``--seconds`` (default 600): each request is
   an item read (60 %), a search (25 %), a photo upload (10 %, a new 20-200 kB JPEG-headed
   file each time) or an import of a small new sheet (5 %, 20 rows). Every request is timed;
   anything but the expected 2xx counts as an error.
4. Samples the resident memory (RSS) of the server processes every 5 s.

Prints a table and writes ``bench/results/load_mixed.md``: per kind of request, count, errors,
throughput, p50 and p99 latency; RSS in the first and the last minute; the 1-minute load average
at the start (the machine is shared). A soak test has no alternative tool to race: the figure to
compare is the server against itself, first minute against last.

    python bench/load_mixed.py                  # 10 minutes
    python bench/load_mixed.py --seconds 60     # a short run
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PG_ADMIN = os.environ.get("ARMTRACE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SCRATCH = "armtrace_load_mixed"
PORT = 8495
WEIGHTS = {"item read": 60, "search": 25, "photo upload": 10, "sheet import": 5}
COLUMNS = ["incident_id", "incident_date", "country", "item_id", "item_type", "component_id"]
COLUMNS += ["marking", "description", "exercise"]
PARTS = ["STM32F407VGT6", "ADM3202ARNZ", "MAX2769ETI", "TPS7A4501", "LM358", "AD9361"]


@dataclass
class Tally:
    """Latencies and errors of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)


def write_sheet(path: Path, first_item: int, items: int, per_item: int) -> Path:
    """An EXERCISE component sheet of ``items`` new items."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(first_item, first_item + items):
            for c in range(per_item):
                part = PARTS[(i + c) % len(PARTS)]
                writer.writerow(
                    [f"LM-INC-{i // 10:06d}", "2024-03-01", "UA", f"LM-{i:07d}", "UAV", f"C{c}",
                     f"{part} / {2100 + (i + c) % 40}", "exercise part", "yes"]
                )  # fmt: skip
    return path


def setup(work: Path, seed_items: int) -> tuple[str, str]:
    """Scratch database with a seed sheet and an analyst token; returns (url, token)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{SCRATCH}"
    from armtrace.accounts.roles import Role
    from armtrace.accounts.tokens import create_token
    from armtrace.accounts.users import create_user
    from armtrace.settings import load_settings
    from armtrace.sheets.importer import import_sheet
    from armtrace.store import Store

    store = Store.open(load_settings(db=url, evidence=str(work / "evidence")))
    try:
        import_sheet(store, write_sheet(work / "seed.csv", 0, seed_items, 5), actor="load-bench")
        create_user(store, "load-analyst", "a long enough password 1", Role.ANALYST, actor="b")
        token = create_token(store, "load-analyst", "load", actor="load-bench")
    finally:
        store.close()
    return url, token


def server_pids(server: subprocess.Popen[bytes]) -> list[int]:
    """The serve process and its descendants (uvicorn's supervisor and workers)."""
    pids = [server.pid]
    for pid in pids:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        pids.extend(int(p) for p in found.stdout.split())
    return pids


def rss_mib(pids: list[int]) -> float:
    """Resident memory of the processes together, MiB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


async def client_loop(
    client: httpx.AsyncClient,
    until: float,
    rng: random.Random,
    seed_items: int,
    tallies: dict[str, Tally],
    work: Path,
    counter: list[int],
) -> None:
    kinds = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            if kind == "item read":
                answer = await client.get(f"/api/items/LM-{rng.randrange(seed_items):07d}")
            elif kind == "search":
                answer = await client.get("/api/search", params={"q": rng.choice(PARTS)[:6]})
            elif kind == "photo upload":
                body = b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randrange(20_000, 200_000))
                files = {"file": ("chip.jpg", body, "image/jpeg")}
                answer = await client.post("/api/evidence", files=files)
            else:
                counter[0] += 1
                path = write_sheet(work / f"s{counter[0]}.csv", 10_000_000 + counter[0] * 4, 4, 5)
                files = {"file": (path.name, path.read_bytes(), "text/csv")}
                answer = await client.post("/api/sheets", files=files)
                path.unlink()
            ok = 200 <= answer.status_code < 300
            detail = f"{answer.status_code} {answer.text[:200]}"
        except httpx.HTTPError as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        tally = tallies[kind]
        tally.latencies.append(time.perf_counter() - started)
        if not ok:
            tally.errors += 1
            if len(tally.error_examples) < 3:
                tally.error_examples.append(detail)


async def drive(
    port: int, token: str, seconds: float, connections: int, seed_items: int, work: Path
) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in WEIGHTS}
    until = time.monotonic() + seconds
    counter = [0]
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits, timeout=60
    ) as client:
        await asyncio.gather(
            *(
                client_loop(client, until, random.Random(n), seed_items, tallies, work, counter)
                for n in range(connections)
            )
        )
    return tallies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed-items", type=int, default=5000)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--out", type=Path, default=RESULTS / "load_mixed.md")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    work = HERE / ".data" / "load_mixed"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    url, token = setup(work, args.seed_items)
    env = {**os.environ, "ARMTRACE_DB": url, "ARMTRACE_EVIDENCE": str(work / "evidence")}
    command = [sys.executable, "-m", "armtrace", "serve", "--port", str(args.port)]
    server = subprocess.Popen(
        [*command, "--workers", str(args.workers)], env=env, stderr=subprocess.PIPE
    )
    samples: list[tuple[float, float]] = []
    try:
        deadline = time.monotonic() + 120
        while True:  # ready when it answers
            try:
                if httpx.get(
                    f"http://127.0.0.1:{args.port}/api/items?limit=1", timeout=2
                ).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("armtrace serve did not start")
            time.sleep(0.5)
        started = time.monotonic()
        pids = server_pids(server)

        async def sample(stop: asyncio.Event) -> None:
            while not stop.is_set():
                samples.append((time.monotonic() - started, rss_mib(pids)))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 5)

        async def run() -> dict[str, Tally]:
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample(stop))
            result = await drive(
                args.port, token, args.seconds, args.connections, args.seed_items, work
            )
            stop.set()
            await sampler
            return result

        tallies = asyncio.run(run())
        elapsed = time.monotonic() - started
        workers_alive = len(server_pids(server)) - 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args, tallies, elapsed, samples, load_at_start, workers_alive)


def report(
    args: argparse.Namespace,
    tallies: dict[str, Tally],
    elapsed: float,
    samples: list[tuple[float, float]],
    load_at_start: float,
    workers_alive: int,
) -> None:
    lines = [
        "| request | count | errors | per second | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    errors = 0
    for kind, tally in tallies.items():
        every += tally.latencies
        errors += tally.errors
        p50, p99 = (percentile(tally.latencies, q) * 1000 for q in (0.5, 0.99))
        lines.append(
            f"| {kind} | {len(tally.latencies):,} | {tally.errors} | "
            f"{len(tally.latencies) / elapsed:.1f} | {p50:.0f} | {p99:.0f} |"
        )
    lines.append(
        f"| **all** | {len(every):,} | {errors} | {len(every) / elapsed:.1f} | "
        f"{percentile(every, 0.5) * 1000:.0f} | {percentile(every, 0.99) * 1000:.0f} |"
    )
    first = [rss for t, rss in samples if t <= 60]
    last = [rss for t, rss in samples if t >= elapsed - 60]
    rss_line = (
        f"Server RSS (serve + {args.workers} workers, sampled every 5 s, {len(samples)} samples): "
        f"first minute mean {statistics.fmean(first):.0f} MiB, last minute mean "
        f"{statistics.fmean(last):.0f} MiB, max {max(r for _, r in samples):.0f} MiB."
        if first and last
        else "Server RSS: no samples."
    )
    examples = [e for t in tallies.values() for e in t.error_examples]
    text = "\n".join(
        [
            "# Mixed load on `armtrace serve` over PostgreSQL (soak test)",
            "",
            f"Command: `python bench/load_mixed.py --seconds {args.seconds:g} "
            f"--connections {args.connections} --workers {args.workers}`. "
            f"{args.connections} closed-loop HTTP/1.1 keep-alive clients (httpx, one process) "
            f"on loopback against `armtrace serve --workers {args.workers}`, PostgreSQL 15 on "
            f"the same machine; {args.seed_items:,} seed items (EXERCISE data), 5 components "
            "each; the mix: item reads 60 %, searches 25 %, photo uploads 10 %, imports of a "
            "20-row sheet 5 %. Client, server and database share 2 CPU cores; 1-minute load "
            f"average at start {load_at_start:.2f} (above ~1: other work shared the cores).",
            "",
            f"Ran {elapsed:.0f} s; {len(every):,} requests, {errors} errors; "
            f"{workers_alive} server processes under `serve` at the end.",
            "",
            *lines,
            "",
            rss_line,
            "",
            *(f"Error example: `{e}`" for e in examples),
        ]
    )
    print(text)
    if samples:
        print("RSS samples (s, MiB):", ", ".join(f"{t:.0f}:{r:.0f}" for t, r in samples))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
