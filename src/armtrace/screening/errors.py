"""Screening's own error."""

from __future__ import annotations

from armtrace.errors import ArmtraceError


class ScreeningError(ArmtraceError):
    """A screening request cannot be carried out (no list loaded, unknown verdict...)."""
