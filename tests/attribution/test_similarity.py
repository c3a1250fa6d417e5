"""The linking engine against brute force: every pair at the threshold, and nothing else."""

from __future__ import annotations

import itertools

import numpy as np

from armtrace.attribution.similarity import SetCollection, exact_jaccard, similar_pairs


def _planted(seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    sets: list[list[int]] = []
    for _ in range(60):  # builds with near-identical copies
        base = rng.choice(20_000, int(rng.integers(50, 300)), replace=False)
        for _ in range(int(rng.integers(2, 5))):
            copy = base.copy()
            swap = rng.random(len(copy)) < rng.uniform(0, 0.12)
            copy[swap] = rng.integers(0, 20_000, int(swap.sum()))
            sets.append(copy.tolist())
    common = np.arange(40)  # parts most items carry, so unrelated items still overlap a little
    for _ in range(300):
        own = rng.choice(20_000, int(rng.integers(20, 260)), replace=False)
        sets.append(np.concatenate([common, own]).tolist())
    sets.append([])  # an item with no readable part
    return sets


def _brute_force(sets: list[list[int]], threshold: float) -> dict[tuple[int, int], float]:
    as_sets = [set(s) for s in sets]
    found = {}
    for i, j in itertools.combinations(range(len(sets)), 2):
        union = len(as_sets[i] | as_sets[j])
        if union and len(as_sets[i] & as_sets[j]) / union >= threshold:
            found[(i, j)] = len(as_sets[i] & as_sets[j]) / union
    return found


def test_finds_exactly_the_pairs_brute_force_finds() -> None:
    sets = _planted(3)
    collection = SetCollection.from_sets(sets, 20_000)
    pairs, similarity = similar_pairs(collection, 0.8)
    truth = _brute_force(sets, 0.8)
    found = {(int(a), int(b)): float(s) for (a, b), s in zip(pairs, similarity, strict=True)}
    assert len(truth) > 50  # the planted builds are there
    assert found.keys() == truth.keys()
    assert all(abs(found[p] - truth[p]) < 1e-9 for p in truth)


def test_lower_threshold_finds_more() -> None:
    sets = _planted(5)
    collection = SetCollection.from_sets(sets, 20_000)
    strict, _ = similar_pairs(collection, 0.9)
    loose, _ = similar_pairs(collection, 0.7)
    assert 0 < len(strict) < len(loose)
    assert len(loose) == len(_brute_force(sets, 0.7))


def test_exact_jaccard_matches_python_sets() -> None:
    sets = [[1, 2, 3, 4], [3, 4, 5], [], [9], [1, 2, 3, 4]]
    collection = SetCollection.from_sets(sets, 10)
    pairs = np.array([[0, 1], [0, 4], [2, 3], [1, 3]])
    assert exact_jaccard(collection, pairs).tolist() == [2 / 5, 1.0, 0.0, 0.0]
