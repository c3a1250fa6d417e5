"""Errors raised by the tracing workflow."""

from __future__ import annotations

from armtrace.errors import ArmtraceError


class TracingError(ArmtraceError):
    """A trace request, answer, term or transfer was given bad input."""


class IllegalTransition(TracingError):
    """A request was asked to move to a state its current state does not lead to."""
