"""The fast identification path gives exactly the answers the identifier gave before it was fast.

The expected records were frozen from the identifier before any speed work (see
tests/identify_snapshot.py): every marking of the real-marking test set and of the exercise case.
"""

from __future__ import annotations

import pytest

from armtrace.markings.identify import identify, identify_many
from identify_snapshot import DOCUMENTED_ON, frozen_registry, load, markings, record


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, object]]:
    return load()


def test_snapshot_covers_test_set_and_exercise_case(expected: dict[str, dict[str, object]]) -> None:
    assert list(expected) == markings()
    assert len(expected) > 1000


def test_identify_gives_frozen_answers(expected: dict[str, dict[str, object]]) -> None:
    registry = frozen_registry()
    differ = [
        text
        for text in expected
        if record(identify(text, registry=registry, documented_on=DOCUMENTED_ON)) != expected[text]
    ]
    assert differ == []


def test_repeated_and_batched_markings_give_frozen_answers(
    expected: dict[str, dict[str, object]],
) -> None:
    registry = frozen_registry()
    texts = list(expected)
    # Twice over, so the second half is answered from the cache of the first.
    batch = identify_many([*texts, *texts], registry=registry, documented_on=DOCUMENTED_ON)
    assert [r.input for r in batch] == [*texts, *texts]
    assert [
        t for t, r in zip([*texts, *texts], batch, strict=True) if record(r) != expected[t]
    ] == []


def test_cache_keeps_each_input_as_typed() -> None:
    # Two spellings that clean to the same text share the work but keep their own input.
    first, second = identify_many(["TPS7A4501 / 2213", "TPS7A4501  /  2213"])
    assert first.input == first.parsed.raw == "TPS7A4501 / 2213"
    assert second.input == second.parsed.raw == "TPS7A4501  /  2213"
    assert first.as_json() | {"input": None} == second.as_json() | {"input": None}
