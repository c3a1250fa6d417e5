"""Constants and types shared by the tracing tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from armtrace.tracing.model import TraceRequest

SENT = date(2024, 3, 1)
ACTOR = "analyst@test"
Draft = Callable[..., TraceRequest]
