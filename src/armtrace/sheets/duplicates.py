"""Find repeated component ids among millions of rows in bounded memory.

During the scan each component contributes one 64-bit hash of (item id, component id) and its row
number: 16 bytes a row instead of the strings themselves. Sorting the hashes finds candidate
repeats; candidates are then confirmed on the real keys, so a hash collision never rejects a file.
"""

from __future__ import annotations

from array import array

import numpy as np


def candidate_groups(hashes: array[int], rows: array[int]) -> list[list[int]]:
    """Row numbers sharing a hash, each group in file order (usually none)."""
    if len(hashes) < 2:
        return []
    values = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return []
    row_numbers = np.frombuffer(rows, dtype=np.int64)
    groups: list[list[int]] = []
    start = None
    for i in np.flatnonzero(same):
        if start is None or i != start[1]:
            start = [int(i), int(i) + 1]
            groups.append([int(row_numbers[order[i]])])
        else:
            start[1] = int(i) + 1
        groups[-1].append(int(row_numbers[order[i + 1]]))
    return groups


def confirmed(
    groups: list[list[int]], keys_by_row: dict[int, tuple[str, str]]
) -> list[tuple[int, int, str, str]]:
    """(first row, repeated row, item id, component id) for each real repeat."""
    found: list[tuple[int, int, str, str]] = []
    for group in groups:
        first_seen: dict[tuple[str, str], int] = {}
        for row in sorted(group):
            key = keys_by_row[row]
            if key in first_seen:
                found.append((first_seen[key], row, key[0], key[1]))
            else:
                first_seen[key] = row
    return sorted(found, key=lambda f: f[1])
