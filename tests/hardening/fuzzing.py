"""Shared fuzzing set-up: Hypothesis profiles, hostile text, and a tally of inputs tried.

The suite runs the "hardening" profile (a few hundred inputs per property); scripts/reliability
sets ARMTRACE_FUZZ_PROFILE=hardening-deep for many more. Every property calls ``tried(name)``
once per input so the reliability report can say how many inputs each one saw.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "hardening",
    max_examples=200,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "hardening-deep",
    max_examples=2000,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = os.environ.get("ARMTRACE_FUZZ_PROFILE", "hardening")


def fuzz_settings(scale: float = 1.0) -> settings:
    """The active profile, with ``scale`` times its examples (slow properties use fewer)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(10, int(base.max_examples * scale)))


TRIED: Counter[str] = Counter()
RESULTS: dict[str, Any] = {}  # other figures (kills survived, sizes, times) for the report


def tried(name: str) -> None:
    """Count one input for the property ``name``."""
    TRIED[name] += 1


FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3", '@HYPERLINK("http://x")', "=1+1"]

# Text a hostile or careless sheet can hold: control characters, NUL, quotes, right-to-left
# marks, combining accents, emoji, formula-like cells and very long cells.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(FORMULAS),
    st.sampled_from(['"', '""', "'", "\x00", "\r\n", "\t", "\u202e", "e\u0301", "\U0001f680"]),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["A", "\u00e9", "9", "\x00"]), st.integers(1, 20_000)
    ),
)
