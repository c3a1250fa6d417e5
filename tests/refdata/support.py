"""Shared checks for the registry's prefix tests."""

from __future__ import annotations

from armtrace.refdata.manufacturers import Registry


def longest_prefix_makers(registry: Registry, part_number: str) -> list[str]:
    """Ids of the makers holding the longest registry prefix that starts ``part_number``."""
    matches = registry.by_prefix(part_number)
    return [maker.id for maker, prefix in matches if len(prefix) == len(matches[0][1])]
