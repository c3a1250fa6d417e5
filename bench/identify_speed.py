"""Speed of identification and of the "where else was this part seen" look-up.

    .venv/bin/python bench/identify_speed.py                   # identify + where-seen, 1M and 10M
    .venv/bin/python bench/identify_speed.py --sizes 1000000   # one store size
    .venv/bin/python bench/identify_speed.py --skip-seen       # identification only

Writes bench/results/identify_speed.md (accuracy stays in bench/results/identify.md).

1. Identification, one process on one core (CPU seconds, so other load on the shared machine
   counts less), on the real-marking test set plus the exercise case's distinct markings, and on
   20,000 distinct synthetic markings (bench/synth.py's part-number shapes, invented):
   - distinct, cold: every marking seen for the first time, every cache emptied before the run
     (per-token caches fill as the run goes, as they do on real sheets);
   - repeated: the same markings again, answered from the per-marking cache (16,384 entries,
     emptied when full: a second pass over 20,000 distinct markings finds few of them still there);
   - a synthetic sheet of 100,000 rows drawn from those 20,000 with Zipf-like popularity;
   - exercise sheet: the exercise case's 2,068 rows in sheet order from empty caches, through
     ``identify_many`` (real sheets repeat markings heavily);
   - chipnum, the prefix classifier a user would otherwise reach for, on the distinct markings.
2. Where-seen, against stores of 1M and 10M components (exercise data, bulk-loaded with SQL, not
   through the importer). Part numbers are invented in bench/synth.py's family shapes with one more
   digit (a 1M store holds about 200k distinct part numbers, a 10M store about 1M). Queries are
   stored part numbers damaged as OCR and typing damage them: one misread character (also in the
   first three), a dropped or an extra character, or a changed, dropped or added ordering suffix,
   half of them with an O/0, I/1, S/5 or B/8 swap on top. Compared in the same run:
   - armtrace ``matching_keys`` (the look-up inside ``where_seen``) and ``where_seen`` itself
     (look-up plus fetching every sighting with its incident and item);
   - brute force: ``rapidfuzz.process.extract(query, all distinct keys, scorer=fuzz.ratio,
     limit=10)`` in memory, one core;
   - PostgreSQL ``pg_trgm``: ``WHERE key % query ORDER BY similarity(key, query) DESC LIMIT 10``
     over the distinct keys with a GIN ``gin_trgm_ops`` index (default threshold 0.3).
   Each method runs in its own pass over all queries, after the ground truth is computed and the
   store's files (SQLite) or look-up relations (PostgreSQL, pg_prewarm) are read into the
   operating system's cache, as a store in use would hold them.
   Recall@10: the ground truth is, per query, the 10 best distinct stored keys by armtrace's own
   scorer (``_similarity``: 100 same key, 95 ordering-suffix variant, else ``fuzz.ratio``) over all
   stored keys, by brute force, at armtrace's 88 threshold; a returned key counts when its true
   score reaches the 10th best true score (ties), queries with no key over 88 are left out.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

import psycopg
from rapidfuzz import fuzz, process

from armtrace.markings import features, parse
from armtrace.markings import identify as identify_module
from armtrace.markings.identify import identify, identify_many
from armtrace.markings.parse import parse_marking
from armtrace.markings.readings import (
    STEM,
    _similarity,
    filed_under,
    matching_keys,
    part_key,
    where_seen,
)
from armtrace.refdata import load_registry
from armtrace.settings import load_settings
from armtrace.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import FAMILIES, _marking

ROOT = Path(__file__).resolve().parents[1]
TESTSET = ROOT / "tests/data/markings/markings.csv"
EXERCISE = ROOT / "src/armtrace/demo/data/exercise_case.csv"
OUT = Path(__file__).resolve().parent / "results" / "identify_speed.md"
PG_ADMIN = os.environ.get("ARMTRACE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
MIN_SIMILARITY = 88.0
MIX = 2654435761  # Knuth's multiplicative hash: component n gets catalogue key (n * MIX) % K


# ---------------------------------------------------------------- identification throughput


def _csv_markings(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["marking"] for row in csv.DictReader(handle) if row["marking"]]


def _clear_caches() -> None:
    for cached in (
        identify_module._identification, identify_module._by_lines, identify_module._date,
        parse._classify_line, parse._date_priority, parse._embedded_date, parse._shape_score,
        parse._open_kind, parse._decodes, parse._token_facts, features._owner_prefixes,
        features._corrected_prefixes, features._named_maker, features._may_start_prefix,
        features._may_name,
    ):  # fmt: skip
        cached.cache_clear()


def _per_cpu_second(run: Callable[[], object], count: int) -> float:
    started = time.process_time()
    run()
    return count / (time.process_time() - started)


def _extract_all(extract: Callable[[str], object], texts: Sequence[str]) -> None:
    for text in texts:
        extract(text)


def identify_rows() -> list[str]:
    registry = load_registry()
    real = list(dict.fromkeys(_csv_markings(TESTSET) + _csv_markings(EXERCISE)))
    rng = random.Random(11)
    synthetic = list(dict.fromkeys(_marking(rng)[0] for _ in range(20_500)))[:20_000]
    sheet = _csv_markings(EXERCISE)
    identify(real[0], registry=registry)  # loads the registry and compiles what it compiles

    def each(texts: Sequence[str]) -> Callable[[], object]:
        return lambda: [identify(t, registry=registry) for t in texts]

    rows = ["| workload | markings | distinct | markings per CPU second |", "|---|---|---|---|"]
    for name, texts in (("real + exercise", real), ("synthetic", synthetic)):
        _clear_caches()
        cold = _per_cpu_second(each(texts), len(texts))
        warm = _per_cpu_second(each(texts), len(texts))
        rows.append(
            f"| {name}, distinct, cold caches | {len(texts):,} | {len(texts):,} | {cold:,.0f} |"
        )
        rows.append(
            f"| {name}, repeated (cached) | {len(texts):,} | {len(texts):,} | {warm:,.0f} |"
        )
    # A synthetic campaign sheet: 100,000 rows drawn from the 20,000 synthetic markings with
    # Zipf-like popularity (a few parts in every item, most parts rare), in row order.
    drawn = random.Random(13).choices(
        synthetic, weights=[1 / rank for rank in range(1, len(synthetic) + 1)], k=100_000
    )
    _clear_caches()
    rate = _per_cpu_second(lambda: [identify(t, registry=registry) for t in drawn], len(drawn))
    rows.append(
        f"| synthetic sheet, Zipf-like repeats, `identify` per row, cold | {len(drawn):,} "
        f"| {len(set(drawn)):,} | {rate:,.0f} |"
    )
    _clear_caches()
    rate = _per_cpu_second(lambda: identify_many(sheet, registry=registry), len(sheet))
    rows.append(
        f"| exercise sheet in row order, `identify_many`, cold | {len(sheet):,} "
        f"| {len(set(sheet)):,} | {rate:,.0f} |"
    )
    try:
        import chipnum
    except ImportError:
        rows.append("| chipnum | not installed | | |")
    else:
        for name, texts in (("real + exercise", real), ("synthetic", synthetic)):
            rate = _per_cpu_second(partial(_extract_all, chipnum.extract, texts), len(texts))
            rows.append(
                f"| chipnum, {name}, distinct | {len(texts):,} | {len(texts):,} | {rate:,.0f} |"
            )
    return rows


# ---------------------------------------------------------------- where-seen stores


def catalogue(count: int, seed: int = 5) -> list[str]:
    """``count`` distinct invented part numbers in real family shapes (one digit more)."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        prefix, digits, suffixes, _ = FAMILIES[rng.randrange(len(FAMILIES))]
        number = "".join(str(rng.randrange(10)) for _ in range(digits + 1))
        found.setdefault(f"{prefix}{number}{rng.choice(suffixes)}", None)
    return list(found)


def _rows(size: int, parts: list[str]) -> Iterable[tuple[int, str]]:
    for n in range(1, size + 1):
        yield n, parts[(n * MIX) % len(parts)]


def build_sqlite(path: Path, size: int, parts: list[str]) -> None:
    Store.open(load_settings(db=f"sqlite:///{path}", evidence=str(path.parent / "ev"))).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    day = datetime.date(2022, 2, 24)
    con.executemany(
        "INSERT INTO incidents (id, key, incident_date, place, country, exercise) "
        "VALUES (?, ?, ?, 'exercise place', 'UA', 1)",
        (
            (i, f"EX-BENCH-INC-{i}", (day + datetime.timedelta(days=i % 1000)).isoformat())
            for i in range(1, size // 1000 + 1)
        ),
    )
    con.executemany(
        "INSERT INTO items (id, key, incident_id, state) VALUES (?, ?, ?, 'published')",
        ((i, f"EX-BENCH-ITEM-{i}", (i - 1) // 10 + 1) for i in range(1, size // 100 + 1)),
    )
    con.executemany(
        "INSERT INTO components (id, item_id, key, marking) VALUES (?, ?, ?, ?)",
        (
            (n, (n - 1) // 100 + 1, f"C{(n - 1) % 100}", f"{p} / 2213")
            for n, p in _rows(size, parts)
        ),
    )
    con.executemany(
        "INSERT INTO readings (component_id, part_number, part_key, part_stem, confidence, why,"
        " registry_version, source) VALUES (?, ?, ?, ?, 0.9, 'exercise bench', 'bench', 'marking')",
        ((n, p, part_key(p), part_key(p)[:STEM]) for n, p in _rows(size, parts)),
    )
    keys = sorted({row[0] for row in con.execute("SELECT DISTINCT part_key FROM readings")})
    con.executemany(
        "INSERT INTO part_key_variants (variant, part_key) VALUES (?, ?)",
        sorted((v, k) for k in keys for v in filed_under(k)),
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def build_postgres(url: str, size: int, parts: list[str]) -> None:
    Store.open(load_settings(db=url, evidence=tempfile.mkdtemp())).close()
    with psycopg.connect(url, autocommit=True) as conn:
        # The trigram indexes on markings serve other searches; they only slow this bulk load.
        for name in ("ix_components_marking_trgm",):
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute(
            "CREATE UNLOGGED TABLE bench_catalogue (id int PRIMARY KEY, part text, key text)"
        )
        with conn.cursor().copy("COPY bench_catalogue FROM STDIN") as copy:
            for i, p in enumerate(parts):
                copy.write_row((i, p, part_key(p)))
        k = len(parts)
        conn.execute(
            "INSERT INTO incidents (id, key, incident_date, place, country, exercise) "
            "SELECT g, 'EX-BENCH-INC-' || g, date '2022-02-24' + (g %% 1000), 'exercise place',"
            " 'UA', true FROM generate_series(1, %s) g",
            (size // 1000,),
        )
        conn.execute(
            "INSERT INTO items (id, key, incident_id, state) SELECT g, 'EX-BENCH-ITEM-' || g,"
            " (g - 1) / 10 + 1, 'published' FROM generate_series(1, %s) g",
            (size // 100,),
        )
        conn.execute(
            "INSERT INTO components (id, item_id, key, marking) SELECT g, (g - 1) / 100 + 1,"
            " 'C' || ((g - 1) %% 100), c.part || ' / 2213' FROM generate_series(1, %s::bigint) g"
            " JOIN bench_catalogue c ON c.id = (g * %s) %% %s",
            (size, MIX, k),
        )
        conn.execute(
            "INSERT INTO readings (component_id, part_number, part_key, part_stem, confidence,"
            " why, registry_version, source) SELECT g, c.part, c.key, left(c.key, %s), 0.9,"
            " 'exercise bench', 'bench', 'marking' FROM generate_series(1, %s::bigint) g"
            " JOIN bench_catalogue c ON c.id = (g * %s) %% %s",
            (STEM, size, MIX, k),
        )
        conn.execute("ALTER TABLE part_key_variants DROP CONSTRAINT pk_part_key_variants")
        # filed_under in SQL: the key, its one- and two-deletions, its prefixes of 6+ characters.
        conn.execute(
            "WITH used AS (SELECT DISTINCT part_key AS key FROM readings)"
            " INSERT INTO part_key_variants (variant, part_key) SELECT DISTINCT v, key FROM ("
            " SELECT key AS v, key FROM used"
            " UNION ALL SELECT left(key, i - 1) || substr(key, i + 1), key"
            "   FROM used, generate_series(1, length(key)) i"
            " UNION ALL SELECT left(key, i - 1) || substr(key, i + 1, j - i - 1)"
            "   || substr(key, j + 1), key"
            "   FROM used, generate_series(1, length(key)) i, generate_series(i + 1, length(key)) j"
            " UNION ALL SELECT left(key, n), key FROM used, generate_series(6, length(key) - 1) n"
            ") x WHERE v <> ''"
        )
        conn.execute(
            "ALTER TABLE part_key_variants ADD CONSTRAINT pk_part_key_variants"
            " PRIMARY KEY (variant, part_key)"
        )
        # The alternative a PostgreSQL user would pick: pg_trgm over the distinct keys.
        conn.execute("CREATE TABLE bench_trgm AS SELECT DISTINCT part_key FROM readings")
        conn.execute("CREATE INDEX bench_trgm_gin ON bench_trgm USING gin (part_key gin_trgm_ops)")
        conn.execute("VACUUM ANALYZE")
        sample = conn.execute(
            "SELECT part_key, array_agg(variant) FROM part_key_variants WHERE part_key IN"
            " (SELECT part_key FROM bench_trgm ORDER BY part_key LIMIT 500) GROUP BY part_key"
        ).fetchall()
    for key, variants in sample:  # the SQL above files keys exactly as the code does
        assert set(variants) == filed_under(key), key


# ---------------------------------------------------------------- queries and ground truth

LOOKALIKE = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B"}
MISREAD = {"3": "8", "8": "3", "M": "N", "N": "M", "C": "G", "E": "F", "F": "E", "7": "1",
           "4": "A", "A": "4", "U": "V", "V": "U", "H": "N", "6": "5", "2": "7", "T": "I",
           "R": "P", "P": "R", "W": "V", "X": "K", "K": "X", "9": "0", "Q": "0", "L": "I",
           "D": "O", "G": "C"}  # fmt: skip
DAMAGES = ("misread", "misread-first-3", "dropped", "extra", "suffix")


def _family(part: str) -> tuple[str, tuple[str, ...]]:
    for prefix, _digits, suffixes, _ in FAMILIES:
        for suffix in suffixes:
            if part.startswith(prefix) and part.endswith(suffix):
                return suffix, suffixes
    return "", ()


def damage(part: str, kind: str, rng: random.Random) -> str:
    chars = list(part)
    if kind in ("misread", "misread-first-3"):
        spots = [i for i, ch in enumerate(chars) if ch in MISREAD]
        first = [i for i in spots if i < 3] if kind == "misread-first-3" else spots
        i = rng.choice(first or spots)
        chars[i] = MISREAD[chars[i]]
    elif kind == "dropped":
        del chars[rng.randrange(len(chars))]
    elif kind == "extra":
        chars.insert(rng.randrange(len(chars) + 1), rng.choice("ABCDEFGHJKMNPRTUVWXY0123456789"))
    else:
        suffix, suffixes = _family(part)
        core = part[: len(part) - len(suffix)] if suffix else part
        choice = rng.randrange(3)
        others = [s for s in suffixes if s != suffix]
        if choice == 0 and others:
            return core + rng.choice(others)
        return core if choice == 1 else part + rng.choice(("TR", "/TR", "-REEL", "#PBF"))
    return "".join(chars)


def queries(keys_source: list[str], count: int, seed: int = 3) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        part = keys_source[rng.randrange(len(keys_source))]
        kind = DAMAGES[n % len(DAMAGES)]
        text = damage(part, kind, rng)
        if rng.random() < 0.5:  # an O/0, I/1, S/5 or B/8 swap on top
            spots = [i for i, ch in enumerate(text) if ch in LOOKALIKE]
            if spots:
                i = rng.choice(spots)
                text = text[:i] + LOOKALIKE[text[i]] + text[i + 1 :]
        made.append((kind, text))
    return made


def query_keys(text: str) -> list[str]:
    """The keys where_seen looks up for a marking (the same parse, the same folding)."""
    parsed = parse_marking(text)
    return [part_key(p) for p in parsed.part_candidates[:2] if len(part_key(p)) >= STEM]


class Truth:
    """Brute-force scoring of every stored key with armtrace's scorer."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.sorted = sorted(keys)
        self.known = set(keys)

    def scores(self, qkeys: list[str]) -> dict[str, float]:
        import bisect

        found: set[str] = set()
        for q in qkeys:
            for key, _score, _ in process.extract(
                q, self.keys, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY - 1e-9, limit=None
            ):
                found.add(key)
            if len(q) >= 6:  # ordering-suffix variants score 95 whatever their ratio
                at = bisect.bisect_left(self.sorted, q)
                while at < len(self.sorted) and self.sorted[at].startswith(q):
                    found.add(self.sorted[at])
                    at += 1
                found.update(q[:n] for n in range(1, len(q)) if q[:n] in self.known)
        scored = {k: max(_similarity(q, k)[0] for q in qkeys) for k in found}
        return {k: s for k, s in scored.items() if s >= MIN_SIMILARITY}


def recall_at_10(returned: Sequence[str], truth: dict[str, float]) -> float | None:
    if not truth:
        return None
    best = sorted(truth.values(), reverse=True)[:10]
    tenth = best[-1]
    hits = sum(1 for key in returned[:10] if truth.get(key, -1.0) >= tenth)
    return min(hits, len(best)) / len(best)


def top10(scored: dict[str, float]) -> list[str]:
    return [k for k, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]


@dataclass
class Measure:
    name: str
    times: list[float]
    recalls: list[float]
    cpu: float = 0.0  # CPU seconds of this process over all queries

    def timed(self, run: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        self.times.append(time.perf_counter() - wall)
        self.cpu += time.process_time() - cpu
        return result

    def row(self, size: int, brute_p50: float | None) -> str:
        p50 = statistics.median(self.times) * 1000
        p95 = sorted(self.times)[int(0.95 * (len(self.times) - 1))] * 1000
        recall = statistics.mean(self.recalls) if self.recalls else float("nan")
        faster = f"{brute_p50 / p50:,.1f}x" if brute_p50 else ""
        cpu = self.cpu / len(self.times) * 1000
        return (
            f"| {size:,} | {self.name} | {p50:.2f} | {p95:.2f} | {cpu:.2f} | {recall:.3f} "
            f"| {faster} |"
        )


def _trgm(pg: psycopg.Connection[tuple[str]], key: str) -> list[tuple[str]]:
    return pg.execute(
        "SELECT part_key FROM bench_trgm WHERE part_key %% %s"
        " ORDER BY similarity(part_key, %s) DESC LIMIT 10",
        (key, key),
    ).fetchall()


def run_seen(store_name: str, url: str, size: int, qs: list[tuple[str, str]]) -> list[Measure]:
    store = Store.open(load_settings(db=url, evidence=tempfile.mkdtemp()))
    with store.engine.connect() as conn:
        from sqlalchemy import text as sql

        keys = list(conn.execute(sql("SELECT DISTINCT part_key FROM readings")).scalars())
    truth_of = Truth(keys)
    lookup = Measure(f"armtrace look-up ({store_name})", [], [])
    full = Measure(f"armtrace where_seen, all sightings ({store_name})", [], [])
    brute = Measure("rapidfuzz extract, brute force (memory)", [], [])
    trgm = Measure("pg_trgm % + similarity, GIN", [], [])
    by_kind: dict[str, list[float]] = {}
    pg = psycopg.connect(url) if store_name == "postgres" else None
    # A store in use keeps its look-up index in memory; read it (and the tables) into the
    # operating system's cache first, so the first queries do not time the disk.
    if pg is None:
        with Path(url.removeprefix("sqlite:///")).open("rb") as handle:
            while handle.read(1 << 24):
                pass
    else:
        pg.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for relation in (
            "pk_part_key_variants",
            "ix_readings_part_key",
            "readings",
            "bench_trgm_gin",
        ):
            pg.execute("SELECT pg_prewarm(%s, 'read')", (relation,))
        pg.commit()
    # Ground truth first, then each method in its own pass over all queries, so no method is
    # timed right after another has swept the caches.
    cases = []
    for kind, text in qs:
        qkeys = query_keys(text)
        if qkeys:
            cases.append((kind, text, qkeys, truth_of.scores(qkeys)))
    with store.engine.connect() as conn:
        for kind, _text, qkeys, truth in cases:
            scored = cast(
                dict[str, tuple[float, str]],
                lookup.timed(partial(matching_keys, conn, qkeys, min_similarity=MIN_SIMILARITY)),
            )
            ours = recall_at_10(top10({k: v[0] for k, v in scored.items()}), truth)
            if ours is not None:
                lookup.recalls.append(ours)
                full.recalls.append(ours)
                by_kind.setdefault(kind, []).append(ours)
    for _kind, text, _qkeys, _truth in cases:
        full.timed(partial(where_seen, store, text))
    for _kind, _text, qkeys, truth in cases:
        found = cast(
            list[tuple[str, float, int]],
            brute.timed(partial(process.extract, qkeys[0], keys, scorer=fuzz.ratio, limit=10)),
        )
        got = recall_at_10([k for k, _s, _i in found], truth)
        if got is not None:
            brute.recalls.append(got)
    for _kind, _text, qkeys, truth in cases if pg is not None else []:
        assert pg is not None
        rows = cast(list[tuple[str]], trgm.timed(partial(_trgm, pg, qkeys[0])))
        got = recall_at_10([r[0] for r in rows], truth)
        if got is not None:
            trgm.recalls.append(got)
    if pg is not None:
        pg.close()
    store.close()
    kinds = ", ".join(f"{k} {statistics.mean(v):.3f}" for k, v in sorted(by_kind.items()))
    lookup.name += f" [recall by damage: {kinds}; {len(keys):,} distinct keys]"
    return [lookup, full, brute] + ([trgm] if pg is not None else [])


def _pg_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def _pg_built(url: str) -> bool:
    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT to_regclass('bench_trgm')").fetchone() not in (
                None,
                (None,),
            )
    except psycopg.Error:
        return False


def seen_rows(
    sizes: list[int], stores: list[str], count: int, workdir: Path, keep: bool
) -> list[str]:
    rows = [
        "| stored components | method | p50 ms | p95 ms | CPU ms/query (client) | recall@10 "
        "| faster than brute force (p50) |",
        "|---|---|---|---|---|---|---|",
    ]
    builds: list[str] = []
    for size in sizes:
        parts = catalogue(size // 5 if size <= 1_000_000 else size // 10)
        qs = queries(parts, count)
        for store_name in stores:
            started = time.perf_counter()
            if store_name == "sqlite":
                path = workdir / f"seen-{size}.db"
                url = f"sqlite:///{path}"
                if not (keep and path.exists()):
                    path.unlink(missing_ok=True)
                    build_sqlite(path, size, parts)
            else:
                url = PG_ADMIN.rsplit("/", 1)[0] + f"/armtrace_bench_seen_{size}"
                if not (keep and _pg_built(url)):
                    build_postgres(_pg_database(f"armtrace_bench_seen_{size}"), size, parts)
            took = time.perf_counter() - started
            builds.append(f"- {store_name}, {size:,} components: store ready in {took:,.0f} s")
            print(builds[-1], file=sys.stderr, flush=True)
            measures = run_seen(store_name, url, size, qs)
            brute_p50 = statistics.median(measures[2].times) * 1000
            for m in measures:
                rows.append(m.row(size, None if m is measures[2] else brute_p50))
                print(rows[-1], file=sys.stderr, flush=True)
            if store_name == "sqlite" and not keep:
                (workdir / f"seen-{size}.db").unlink(missing_ok=True)
    return [*rows, "", *builds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-seen", action="store_true")
    parser.add_argument("--skip-identify", action="store_true")
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / ".data")
    parser.add_argument(
        "--keep", action="store_true", help="keep the built stores and reuse ones already built"
    )
    parser.add_argument(
        "--append", action="store_true", help="add this run to the results file, keep the rest"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    command = "python bench/identify_speed.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    lines = [
        "" if args.append else "# Identification and where-seen speed",
        "",
        f"Command: `{command.strip()}`. 1-minute load average at start: {load:.2f} on a shared",
        "2-core machine (other work ran at the same time; latencies are wall-clock, throughput is",
        "per CPU second). Method: see the docstring of bench/identify_speed.py.",
        "",
    ]
    if not args.skip_identify:
        lines += ["## Identification throughput (one core)", "", *identify_rows(), ""]
        print("\n".join(lines), flush=True)
    if not args.skip_seen:
        args.workdir.mkdir(parents=True, exist_ok=True)
        sizes = [int(s) for s in args.sizes.split(",")]
        stores = args.stores.split(",")
        lines += [f"## Where-seen look-up ({args.queries} damaged queries per size)", ""]
        lines += seen_rows(sizes, stores, args.queries, args.workdir, args.keep)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak memory of this run: {peak:,.0f} MiB."]
    text = "\n".join(lines)
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if args.append and OUT.exists():
        text = OUT.read_text(encoding="utf-8") + text
    OUT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
