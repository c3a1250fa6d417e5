"""Alerts: analysts follow what matters to them and are told when something new is documented.

Changes write events into an outbox (``armtrace.alerts.outbox.emit``) inside their own
transaction; a worker fans each event out to the matching subscriptions and delivers it by
webhook, e-mail or the user's Atom feed.
"""

from armtrace.alerts.outbox import KINDS, AlertError, emit, emit_many

__all__ = ["KINDS", "AlertError", "emit", "emit_many"]
