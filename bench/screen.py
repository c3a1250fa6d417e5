"""Benchmark: screening company names against a large sanctions list, armtrace beside rapidfuzz.

Synthetic data (cached under ``bench/.data/``, made by this script with a fixed seed):
- a FollowTheMoney list of N companies (default 1M; 80% Latin-script names, 12% Cyrillic, 8%
  Chinese, with aliases, legal forms, generic words, countries, some registration numbers) and a
  Sanction entity with a listing date for half of them;
- Q query names (default 100k): 2% are planted variants of listed names (legal form changed,
  another romanisation, Chinese name vs its pinyin alias, case and punctuation), the rest fresh
  names made from the same word pools.

Each method runs in its own child process, so its peak RSS is its own:
- armtrace: read the file (every line checked against followthemoney's model), build the
  screener (name folding + blocking index), screen all Q names with ``Screener.screen_many``;
  phases timed separately.
- rapidfuzz, the straightforward way: read the names from the JSON, ``default_process`` them,
  ``process.cdist(..., scorer=fuzz.token_sort_ratio, score_cutoff=85, workers=2)`` in chunks,
  best choice per query. All-pairs is too slow for Q x N, so it runs on the first
  ``--baseline-queries`` queries only and the time is extrapolated linearly (said in the table).

Quality on the labelled name-pair set (tests/data/screening/name_pairs.csv) is measured for both.

    python bench/screen.py                                   # 1M entities, 100k queries
    python bench/screen.py --entities 100000 --queries 10000 # quicker
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
PAIRS = HERE.parent / "tests" / "data" / "screening" / "name_pairs.csv"

CONSONANTS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch"]
VOWELS = ["a", "e", "i", "o", "u"]
TO_CYRILLIC = {"b": "б", "d": "д", "f": "ф", "g": "г", "k": "к", "l": "л", "m": "м", "n": "н",
               "p": "п", "r": "р", "s": "с", "t": "т", "v": "в", "z": "з", "sh": "ш", "ch": "ч",
               "a": "а", "e": "е", "i": "и", "o": "о", "u": "у"}  # fmt: skip
GENERIC = ["Trading", "Electronics", "Technology", "Components", "Industrial", "Logistics",
           "Engineering", "International", "Supply Chain", "Systems", "Import Export"]  # fmt: skip
LATIN_FORMS = ["Co., Limited", "Co. Ltd", "Limited", "LLC", "GmbH", "Inc.", "Pte. Ltd.",
               "Sdn. Bhd.", "FZE", "Corporation", "AG", "Ltd."]  # fmt: skip
CYRILLIC_FORMS = ["ООО", "АО", "ПАО", "ЗАО"]
LATIN_OF_CYRILLIC_FORMS = {"ООО": "OOO", "АО": "AO", "ПАО": "PAO", "ЗАО": "ZAO"}
# 800 characters from the CJK block: homophones (same pinyin) occur, as in real names.
HAN = "".join(random.Random(1).sample([chr(c) for c in range(0x4E00, 0x9FA6)], 800))
COUNTRIES = ["hk", "cn", "ru", "us", "de", "tr", "ae", "sg", "gb", "my", "in", "kz", "by"]


def _syllables(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(count)]


def _word(rng: random.Random) -> list[str]:
    return _syllables(rng, rng.choice((2, 3, 3, 4)))


def _latin_name(rng: random.Random) -> tuple[str, str]:
    words = [("".join(_word(rng))).capitalize() for _ in range(rng.choice((1, 2, 2)))]
    generic = rng.sample(GENERIC, rng.choice((0, 1, 1, 2)))
    return " ".join([*words, *generic, rng.choice(LATIN_FORMS)]), rng.choice(COUNTRIES)


def _cyrillic_name(rng: random.Random) -> tuple[str, str]:
    parts = [_word(rng) for _ in range(rng.choice((1, 2)))]
    cyr = " ".join(
        "".join(TO_CYRILLIC[c] for s in p for c in _split(s)).capitalize() for p in parts
    )
    lat = " ".join("".join(p).capitalize() for p in parts)
    form = rng.choice(CYRILLIC_FORMS)
    return f"{form} «{cyr}»", f"{LATIN_OF_CYRILLIC_FORMS[form]} {lat}"


def _split(syllable: str) -> list[str]:
    return [syllable[:-1], syllable[-1]] if len(syllable) == 3 else list(syllable)


def _chinese_name(rng: random.Random) -> str:
    core = "".join(rng.choice(HAN) for _ in range(rng.choice((2, 3, 4))))
    place = rng.choice(("深圳市", "香港", ""))
    return f"{place}{core}{rng.choice(('电子', '贸易', '科技', ''))}有限公司"


def _entity(rng: random.Random, number: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    kind = rng.random()
    props: dict[str, list[str]] = {}
    if kind < 0.80:
        name, country = _latin_name(rng)
        props["name"] = [name]
        if rng.random() < 0.3:
            props["alias"] = [_latin_name(rng)[0]]
    elif kind < 0.92:
        cyr, lat = _cyrillic_name(rng)
        country = "ru"
        props["name"] = [cyr]
        if rng.random() < 0.5:
            props["alias"] = [lat]
    else:
        country = rng.choice(("cn", "hk"))
        props["name"] = [_chinese_name(rng)]
    props["country"] = [country]
    if rng.random() < 0.3:
        props["registrationNumber"] = [f"{rng.randrange(10**9, 10**10)}"]
    entity_id = f"synth-{number}"
    entity = {"id": entity_id, "schema": "Company", "properties": props, "datasets": ["synth"]}
    sanction = None
    if rng.random() < 0.5:
        listed = (
            f"{rng.randrange(2014, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        )
        sanction = {"id": f"synth-s-{number}", "schema": "Sanction", "datasets": ["synth"],
                    "properties": {"entity": [entity_id], "listingDate": [listed]}}  # fmt: skip
    return entity, sanction


def _variant(rng: random.Random, name: str) -> str:
    """A planted query: the same company written another way."""
    choice = rng.random()
    if choice < 0.35:
        for form in sorted(LATIN_FORMS, key=len, reverse=True):
            if name.endswith(form):
                return name[: -len(form)] + rng.choice([f for f in LATIN_FORMS if f != form])
    if choice < 0.6 and ("«" in name or name[:3] in ("OOO", "ZAO", "PAO")):
        return name.replace("ya", "ja").replace("OOO ", "").replace("«", '"').replace("»", '"')
    if choice < 0.8:
        return name.upper().replace(",", "").replace(".", "")
    return name.replace("有限公司", "").replace(" Limited", " Ltd")


def generate(entities: int, queries: int) -> tuple[Path, Path]:
    """Write (or reuse) the list and the queries; returns their paths."""
    DATA.mkdir(exist_ok=True)
    list_path = DATA / f"screen_list_{entities}.ftm.json"
    query_path = DATA / f"screen_queries_{entities}_{queries}.jsonl"
    rng = random.Random(20231119)
    names: list[tuple[str, str, list[str]]] = []
    if not list_path.exists():
        with list_path.open("w", encoding="utf-8") as handle:
            for number in range(entities):
                entity, sanction = _entity(rng, number)
                handle.write(json.dumps(entity, ensure_ascii=False) + "\n")
                if sanction:
                    handle.write(json.dumps(sanction) + "\n")
    if query_path.exists():
        return list_path, query_path
    with list_path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            if data["schema"] == "Company":
                props = data["properties"]
                all_names = props["name"] + props.get("alias", [])
                names.append((data["id"], props["country"][0], all_names))
    qrng = random.Random(7)
    with query_path.open("w", encoding="utf-8") as handle:
        for _ in range(queries):
            if qrng.random() < 0.02:
                entity_id, country, choices = qrng.choice(names)
                query: dict[str, str | None] = {
                    "name": _variant(qrng, qrng.choice(choices)),
                    "country": country.upper(),
                    "truth": entity_id,
                }
            else:
                name, country = _latin_name(qrng)
                query = {"name": name, "country": country.upper(), "truth": None}
            handle.write(json.dumps(query, ensure_ascii=False) + "\n")
    return list_path, query_path


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _queries(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def worker_armtrace(list_path: Path, query_path: Path) -> dict[str, Any]:
    """Read, index and screen with armtrace; phases timed."""
    from armtrace.screening.ftm import read_list
    from armtrace.screening.matcher import Screener
    from armtrace.screening.model import Party
    from armtrace.screening.quality import evaluate_pairs

    queries = _queries(query_path)
    cpu = [_cpu_s()]
    started = time.perf_counter()
    parsed = read_list(list_path)
    read_s = time.perf_counter() - started
    cpu.append(_cpu_s())
    started = time.perf_counter()
    screener = Screener(parsed.entities)
    index_s = time.perf_counter() - started
    cpu.append(_cpu_s())
    started = time.perf_counter()
    found = 0
    recalled = 0
    planted = 0
    results = screener.screen_many(Party(q["name"], q["country"]) for q in queries)
    for query, screened in zip(queries, results, strict=True):
        matches = [m for m in screened if m.is_match]
        found += bool(matches)
        if query["truth"]:
            planted += 1
            recalled += any(m.entity_id == query["truth"] for m in matches)
    screen_s = time.perf_counter() - started
    cpu.append(_cpu_s())
    quality = evaluate_pairs(PAIRS)
    return {"read_s": read_s, "index_s": index_s, "screen_s": screen_s,
            "phase_cpu_s": [b - a for a, b in itertools.pairwise(cpu)],
            "queries": len(queries), "entities": len(parsed.entities),
            "with_match": found, "planted": planted, "planted_found": recalled,
            "peak_mib": _peak_mib(), "cpu_s": _cpu_s(), "pairs_precision": quality.precision,
            "pairs_recall": quality.recall, "pairs": quality.pairs}  # fmt: skip


def worker_rapidfuzz(list_path: Path, query_path: Path, limit: int) -> dict[str, Any]:
    """The straightforward rapidfuzz approach on the first ``limit`` queries."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    from armtrace.screening.quality import evaluate_pairs

    queries = _queries(query_path)[:limit]
    started = time.perf_counter()
    choices: list[str] = []
    owners: list[str] = []
    with list_path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            if data["schema"] == "Company":
                for value in data["properties"]["name"] + data["properties"].get("alias", []):
                    choices.append(utils.default_process(value))
                    owners.append(data["id"])
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    found = recalled = planted = 0
    processed = [utils.default_process(q["name"]) for q in queries]
    for start in range(0, len(processed), 32):
        scores = process.cdist(processed[start : start + 32], choices, scorer=fuzz.token_sort_ratio,
                               score_cutoff=85, dtype=np.uint8, workers=2)  # fmt: skip
        for offset, row in enumerate(scores):
            query = queries[start + offset]
            hits = np.flatnonzero(row)
            found += bool(len(hits))
            if query["truth"]:
                planted += 1
                recalled += any(owners[i] == query["truth"] for i in hits)
    screen_s = time.perf_counter() - started

    def scorer(a: str, _ac: str | None, b: str, _bc: str | None) -> bool:
        return bool(fuzz.token_sort_ratio(a, b, processor=utils.default_process) >= 85)

    quality = evaluate_pairs(PAIRS, scorer=scorer)
    return {"read_s": read_s, "index_s": 0.0, "screen_s": screen_s, "queries": len(queries),
            "entities": len(set(owners)), "with_match": found, "planted": planted,
            "planted_found": recalled, "peak_mib": _peak_mib(), "cpu_s": _cpu_s(),
            "pairs_precision": quality.precision, "pairs_recall": quality.recall,
            "pairs": quality.pairs}  # fmt: skip


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"worker {args[1]} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--baseline-queries", type=int, default=320)
    parser.add_argument("--worker", choices=("armtrace", "rapidfuzz"))
    parser.add_argument("--list")
    parser.add_argument("--query-file")
    parser.add_argument(
        "--rewrite", action="store_true", help="Rewrite screen.md from screen.json."
    )
    args = parser.parse_args()
    if args.rewrite:
        saved = json.loads((RESULTS / "screen.json").read_text(encoding="utf-8"))
        write_results(args, saved["armtrace"], saved["rapidfuzz"])
        return
    if args.worker == "armtrace":
        print(json.dumps(worker_armtrace(Path(args.list), Path(args.query_file))))
        return
    if args.worker == "rapidfuzz":
        result = worker_rapidfuzz(Path(args.list), Path(args.query_file), args.baseline_queries)
        print(json.dumps(result))
        return
    load_at_start = os.getloadavg()[0]
    started = time.perf_counter()
    list_path, query_path = generate(args.entities, args.queries)
    print(f"data ready in {time.perf_counter() - started:.0f} s: {list_path.name}", flush=True)
    common = ("--list", str(list_path), "--query-file", str(query_path))
    ours = _child("--worker", "armtrace", *common)
    theirs = _child("--worker", "rapidfuzz", *common, "--baseline-queries",
                    str(args.baseline_queries))  # fmt: skip
    ours["load_at_start"] = theirs["load_at_start"] = load_at_start
    ours["load_at_end"] = theirs["load_at_end"] = os.getloadavg()[0]
    write_results(args, ours, theirs)


def _row(label: str, r: dict[str, Any], total_queries: int) -> str:
    scale = total_queries / r["queries"]
    screen = r["screen_s"] * scale
    extrapolated = f" (extrapolated from {r['queries']} queries)" if scale > 1 else ""
    recall = f"{r['planted_found']}/{r['planted']}" if r["planted"] else "-"
    return (f"| {label} | {r['read_s']:.1f} | {r['index_s']:.1f} | {screen:.1f}{extrapolated} | "
            f"{r['read_s'] + r['index_s'] + screen:.1f} | {r['cpu_s']:.0f} | "
            f"{r['peak_mib']:.0f} | {recall} | "
            f"{r['pairs_precision']:.1%} / {r['pairs_recall']:.1%} |")  # fmt: skip


def _phases(result: dict[str, Any]) -> str:
    """CPU seconds per phase, when the worker measured them."""
    phases = result.get("phase_cpu_s")
    if not phases:
        return "CPU per phase not measured"
    read, index, screen = phases
    return f"{read:.1f} s reading, {index:.1f} s indexing, {screen:.1f} s screening"


def _pair_details() -> str:
    """Per-category counts on the labelled pairs, and armtrace's wrong answers."""
    from armtrace.screening.quality import evaluate_pairs

    report = evaluate_pairs(PAIRS)
    lines = ["", "## armtrace on the labelled pairs, by category", "",
             "| category | right | wrong |", "|---|---|---|"]  # fmt: skip
    for category, counts in sorted(report.by_category.items()):
        right = counts["true_positive"] + counts["true_negative"]
        wrong = counts["false_positive"] + counts["false_negative"]
        lines.append(f"| {category} | {right} | {wrong} |")
    lines += ["", "Wrong answers (expected verdict, then the pair):", ""]
    lines += [f"- {w['expected']}: {w['party']} / {w['listed']}" for w in report.wrong]
    return "\n".join(lines) + "\n"


def write_results(args: argparse.Namespace, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Print the table and write bench/results/screen.md and .json."""
    header = (
        "| method | read list (s) | build index (s) | screen all queries (s) | total (s) | "
        "CPU of the run (s) | peak RSS (MiB) | planted variants found | "
        "name pairs precision / recall |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = [_row("armtrace", ours, args.queries),
            _row("rapidfuzz cdist token_sort_ratio>=85", theirs, args.queries)]  # fmt: skip
    table = "\n".join([header, *rows])
    print(table)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    wall = ours["read_s"] + ours["index_s"] + ours["screen_s"]
    text = f"""# Screening benchmark

`python bench/screen.py --entities {args.entities} --queries {args.queries}` on {machine};
1-minute load average {ours.get("load_at_start", 0):.1f} at start and
{ours.get("load_at_end", 0):.1f} at the end on 2 cores (anything above ~1 means other work
shared the cores, and wall times are upper bounds).

{args.queries:,} company names screened against a synthetic FollowTheMoney list of
{ours["entities"]:,} companies (plus Sanction entities); {ours["planted"]:,} of the queries are
planted variants of listed names. Peak RSS is each method's own child process.

{table}

- Times are wall-clock seconds per phase; "CPU of the run" is the child's user+system CPU
  time for everything it did (for rapidfuzz: only the queries it actually ran). With other work
  on the cores, wall time exceeds CPU time; the CPU column is the fairer comparison.
- armtrace reads the list with orjson and checks every line against followthemoney's model
  (schema and property names, values as lists of text; one look-up per schema, no proxy per
  entity), takes values as published, picks captions by FtM's rule and re-checks country codes
  with FtM's country type; rapidfuzz reads the same file with `json` only.
- rapidfuzz compares every query with every name (all pairs), so it ran on
  {theirs["queries"]} queries only and its screening time is extrapolated linearly to
  {args.queries:,}. Its "planted variants found" counts only the planted queries in that subset.
- armtrace reported a match for {ours["with_match"]:,} of {ours["queries"]:,} queries
  (rapidfuzz: {theirs["with_match"]} of its {theirs["queries"]}). The synthetic names are built
  from 80 syllables, so a random query often shares its distinctive word with one of the listed
  companies; those reports are resemblances in the synthetic data and are not scored as errors
  here. Precision is measured on the labelled pairs instead.
- Target: under 2 minutes and 4 GiB on 2 cores. armtrace used {ours["cpu_s"]:.0f} s of CPU in
  all (also loading the queries and the labelled pairs):
  {_phases(ours)};
  wall time was {wall:.0f} s with the cores shared as said above.
- Name pairs: the labelled set in `tests/data/screening/name_pairs.csv` ({ours["pairs"]} pairs:
  other scripts, romanisations, legal forms, and near misses that must not match). The set
  was written while the features were tuned, so these figures are optimistic; most of its
  pairs are fictitious (labelled so), the real names cite a public source in the file.
"""
    text += _pair_details()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "screen.md").write_text(text, encoding="utf-8")
    (RESULTS / "screen.json").write_text(
        json.dumps({"armtrace": ours, "rapidfuzz": theirs}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
