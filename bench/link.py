"""Benchmark linking: near-identical builds among 100k and 1M synthetic items.

Data (deterministic, generated here, never stored): items of 50-300 distinct part numbers drawn
from a vocabulary of 1M part numbers with Zipf-like popularity (common passives in many items,
most parts rare). 30% of items are planted copies of a build, in groups of 2-6: each copy swaps
each part for a random one with probability up to 5% and loses each part with probability up
to 3% (misreads, undocumented parts). The rest are one-off items.

Compared in the same run, at Jaccard >= 0.8:
- armtrace: ``armtrace.attribution.similarity.similar_pairs`` (numpy MinHash, 16 bands x 4 rows,
  then exact verification of every candidate);
- datasketch: ``MinHashLSH(threshold=0.8, num_perm=64)`` with ``MinHash.update_batch``, the
  library a Python user would pick; its candidates are then verified with the same exact check.

Recall is measured against an exact answer: for a random sample of items, every item in the
whole data set with Jaccard >= 0.8 to it, found by brute force through an inverted index (all
pairs for every item would take hours at 1M; the sample gives the all-pairs row of each sampled
item exactly). Peak memory is tracemalloc's peak during the linking call (numpy reports its
buffers to tracemalloc) and the process's maximum RSS.

    python bench/link.py                 # 100k and 1M (datasketch capped at 100k items at 1M)
    python bench/link.py --sizes 20000   # quick check
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from armtrace.attribution.similarity import SetCollection, exact_jaccard, similar_pairs

THRESHOLD = 0.8
VOCABULARY = 1_000_000
RESULTS = Path(__file__).parent / "results" / "link.md"
METHOD = """\
- Speed-up: armtrace's seconds against datasketch's on the same 100k items; at 1M, against
  datasketch's rate on the first 100k items (capped: datasketch's pure-Python MinHash and LSH
  take about 7 ms per item here, so all 1M would take over an hour).
- datasketch chooses its bands and rows for threshold 0.8 at 64 permutations by minimising
  false positives plus false negatives, which trades recall near the threshold for fewer
  candidates; armtrace's 16 bands of 4 rows accept more candidates and verify all of them.
- armtrace's memory is dominated by the hash table (64 x 1M part numbers x 4 bytes = 256 MiB),
  the signatures (items x 64 x 4 bytes) and one chunk of gathered hashes.
"""


@dataclass
class Run:
    method: str
    items: int
    seconds: float
    peak_mib: float
    pairs: int
    recall: float
    note: str = ""


def _popular_parts(rng: np.random.Generator, count: int) -> np.ndarray:
    """Part ids with popularity ~ 1/(rank + 50)**1.05, by inverting the continuous CDF."""
    # float ** negative float is typed Any (it may be complex); these bases are positive.
    lo: float = 50.0**-0.05
    hi: float = (VOCABULARY + 50.0) ** -0.05
    u = rng.random(count)
    ranks = (lo - u * (lo - hi)) ** (-1 / 0.05) - 50.0
    return np.minimum(ranks.astype(np.int64), VOCABULARY - 1)


def generate(n: int, seed: int) -> SetCollection:
    """n items as a SetCollection, planted builds shuffled among one-off items."""
    rng = np.random.default_rng(seed)
    planted = int(n * 0.3)
    group_sizes = rng.integers(2, 7, size=planted // 4)
    group_sizes = group_sizes[np.cumsum(group_sizes) <= planted]
    groups, copies = len(group_sizes), int(group_sizes.sum())
    fresh = n - copies + groups  # bases of the groups (templates) + one-off items
    sizes = rng.integers(50, 301, size=fresh)
    flat = _popular_parts(rng, int(sizes.sum()))
    owner = np.repeat(np.arange(fresh), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    # copies: gather each group's base (fresh items 0..groups-1), perturb, append
    base_of_copy = np.repeat(np.arange(groups), group_sizes)
    base_len = sizes[base_of_copy]
    pos = np.repeat(starts[base_of_copy], base_len) + (
        np.arange(base_len.sum()) - np.repeat(np.cumsum(base_len) - base_len, base_len)
    )
    copy_owner = np.repeat(np.arange(copies), base_len)
    copied = flat[pos]
    swap = rng.random(len(copied)) < rng.uniform(0, 0.05, size=copies)[copy_owner]
    copied[swap] = rng.integers(0, VOCABULARY, size=int(swap.sum()))
    keep = rng.random(len(copied)) >= rng.uniform(0, 0.03, size=copies)[copy_owner]
    is_single = owner >= groups  # the bases themselves are templates, not items
    total = fresh - groups + copies
    label = rng.permutation(total)  # shuffle: copies of a build land far apart
    item_ids = np.concatenate(
        [label[owner[is_single] - groups], label[copy_owner[keep] + fresh - groups]]
    )
    keys = item_ids.astype(np.int64) << 32 | np.concatenate([flat[is_single], copied[keep]])
    keys.sort()
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    items, toks = keys >> 32, (keys & 0xFFFFFFFF).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(items, minlength=total))]).astype(np.int64)
    return SetCollection(offsets, toks, VOCABULARY)


def exact_truth(
    sets: SetCollection, sample: np.ndarray, limit: int | None = None
) -> set[tuple[int, int]]:
    """All pairs (q, x) with Jaccard >= threshold for each sampled q, by brute force."""
    n = sets.size if limit is None else limit
    owner = np.repeat(np.arange(sets.size, dtype=np.int32), sets.lengths)[: sets.offsets[n]]
    tokens = sets.tokens[: sets.offsets[n]]
    order = np.argsort(tokens, kind="stable")
    post_items = owner[order]
    post_start = np.searchsorted(tokens[order], np.arange(sets.vocabulary + 1))
    lengths = sets.lengths[:n]
    truth: set[tuple[int, int]] = set()
    for q in sample:
        q_tokens = sets.tokens[sets.offsets[q] : sets.offsets[q + 1]]
        hits = np.concatenate([post_items[post_start[t] : post_start[t + 1]] for t in q_tokens])
        counts = np.bincount(hits, minlength=n)
        jac = counts / (lengths + lengths[q] - counts)
        for x in np.flatnonzero(jac >= THRESHOLD):
            if x != q:
                truth.add((int(min(q, x)), int(max(q, x))))
    return truth


def recall(found: np.ndarray, truth: set[tuple[int, int]]) -> float:
    if not truth:
        return float("nan")
    got = {(int(a), int(b)) for a, b in found}
    return len(truth & got) / len(truth)


def run_armtrace(sets: SetCollection, truth: set[tuple[int, int]]) -> Run:
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    pairs, _sims = similar_pairs(sets, THRESHOLD)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Run(
        "armtrace (numpy MinHash LSH + exact check)",
        sets.size,
        seconds,
        peak,
        len(pairs),
        recall(pairs, truth),
    )


def run_datasketch(sets: SetCollection, truth: set[tuple[int, int]], cap: int) -> Run:
    from datasketch import MinHash, MinHashLSH

    n = min(cap, sets.size)
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=64)
    hashes = []
    for i in range(n):
        m = MinHash(num_perm=64, seed=1)
        m.update_batch(
            [
                int(t).to_bytes(4, "little")
                for t in sets.tokens[sets.offsets[i] : sets.offsets[i + 1]]
            ]
        )
        lsh.insert(i, m, check_duplication=False)
        hashes.append(m)
    candidates = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    pairs = np.array(sorted(candidates), dtype=np.int64).reshape(-1, 2)
    sims = exact_jaccard(sets, pairs)
    pairs = pairs[sims >= THRESHOLD]
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    in_range = {p for p in truth if p[1] < n}
    note = ""
    if n < sets.size:
        note = (
            f"capped at the first {n:,} items; recall on the {len(in_range)} sampled true pairs "
            f"inside them; all {sets.size:,} items would take about "
            f"{seconds * sets.size / n:,.0f} s at this rate"
        )
    return Run(
        "datasketch MinHashLSH (num_perm=64) + exact check",
        n,
        seconds,
        peak,
        len(pairs),
        recall(pairs, in_range),
        note,
    )


def table(runs: list[Run]) -> str:
    lines = [
        "| items | method | seconds | items/s | peak MiB (tracemalloc) | pairs found "
        "| recall (sample) | note |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.items:,} | {r.method} | {r.seconds:.1f} | {r.items / r.seconds:,.0f} | "
            f"{r.peak_mib:,.0f} | {r.pairs:,} | {r.recall:.4f} | {r.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--datasketch-cap", type=int, default=100_000)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    runs: list[Run] = []
    notes: list[str] = []
    for size in args.sizes:
        t0 = time.perf_counter()
        sets = generate(size, seed=size)
        gen = time.perf_counter() - t0
        rng = np.random.default_rng(7)
        sample = rng.choice(size, min(args.sample, size), replace=False)
        t0 = time.perf_counter()
        truth = exact_truth(sets, sample)
        exact_s = time.perf_counter() - t0
        notes.append(
            f"{size:,} items: {len(sets.tokens):,} part numbers; generated in {gen:.0f} s; exact "
            f"all-pairs rows of {len(sample):,} sampled items in {exact_s:.0f} s: {len(truth):,} "
            f"true pairs at Jaccard >= {THRESHOLD}"
        )
        print(notes[-1], file=sys.stderr)
        runs.append(run_armtrace(sets, truth))
        print(table(runs[-1:]), file=sys.stderr)
        cap_truth = truth
        if size > args.datasketch_cap:
            cap_sample = sample[sample < args.datasketch_cap]
            cap_truth = (
                exact_truth(sets, cap_sample, limit=args.datasketch_cap)
                if len(cap_sample)
                else set()
            )
        runs.append(run_datasketch(sets, cap_truth, args.datasketch_cap))
        print(table(runs[-1:]), file=sys.stderr)
        del sets
    text = table(runs)
    print(text)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(
            "# Linking benchmark\n\n"
            f"`python bench/link.py` on {os.cpu_count()} CPU cores (1-minute load average at the "
            f"end {os.getloadavg()[0]:.1f}; above 1, other work shared the cores); "
            f"numpy {np.__version__}.\n\n"
            f"{text}\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
            f"- process maximum RSS over the whole run (data generation and exact answers "
            f"included): {rss:,.0f} MiB\n\n## How it was measured\n\n{__doc__}\n{METHOD}",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
