"""The life of a trace request: states, legal transitions and the two 28-day deadlines.

Invariants:
- A request moves draft -> sent -> acknowledged -> answered | refused (acknowledging is optional);
  an answered request may receive further answers and stays answered. Nothing else is legal.
- The right of reply opens only on an answered or refused request: reply_sent -> replied |
  reply_lapsed. A lapse can be recorded only once the 28 days have run out.
- Overdue is never stored: a request is overdue when it was sent, has no answer or refusal, and
  ``today`` is later than sent_on + 28 days (day 28 is still within time, day 29 is overdue).
"""

from __future__ import annotations

from datetime import date, timedelta

from armtrace.tracing.errors import IllegalTransition, TracingError

ANSWER_DAYS = 28
REPLY_DAYS = 28

REQUEST_STATES = ("draft", "sent", "acknowledged", "answered", "refused")
REPLY_STATES = ("reply_sent", "replied", "reply_lapsed")
RECIPIENT_KINDS = ("manufacturer", "distributor", "exporter", "licensing_authority")

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "send": (frozenset({"draft"}), "sent"),
    "acknowledge": (frozenset({"sent"}), "acknowledged"),
    "answer": (frozenset({"sent", "acknowledged", "answered"}), "answered"),
    "refuse": (frozenset({"sent", "acknowledged"}), "refused"),
}
REPLY_TRANSITIONS: dict[str, tuple[frozenset[str | None], str]] = {
    "send_for_reply": (frozenset({None}), "reply_sent"),
    "record_reply": (frozenset({"reply_sent"}), "replied"),
    "lapse_reply": (frozenset({"reply_sent"}), "reply_lapsed"),
}
REPLY_OPENS_ON = frozenset({"answered", "refused"})


def next_state(action: str, key: str, current: str) -> str:
    """The state ``action`` leads to from ``current``, or IllegalTransition naming both."""
    starts, target = TRANSITIONS[action]
    if current not in starts:
        allowed = ", ".join(sorted(starts))
        raise IllegalTransition(
            f"trace request {key}: cannot {action.replace('_', ' ')} a request that is "
            f"{current}; {action} is allowed only from: {allowed}"
        )
    return target


def next_reply_state(action: str, key: str, state: str, reply_state: str | None) -> str:
    """The reply state ``action`` leads to, or IllegalTransition naming why not."""
    if state not in REPLY_OPENS_ON:
        raise IllegalTransition(
            f"trace request {key}: the right of reply opens only once the request is answered "
            f"or refused; it is {state}"
        )
    starts, target = REPLY_TRANSITIONS[action]
    if reply_state not in starts:
        now = reply_state or "not started"
        raise IllegalTransition(
            f"trace request {key}: cannot {action.replace('_', ' ')} when the right of reply is "
            f"{now}"
        )
    return target


def answer_due(sent_on: date) -> date:
    """The last day on which an answer is still on time."""
    return sent_on + timedelta(days=ANSWER_DAYS)


def reply_due(reply_sent_on: date) -> date:
    """The last day of the recipient's right of reply."""
    return reply_sent_on + timedelta(days=REPLY_DAYS)


def is_overdue(state: str, sent_on: date | None, today: date) -> bool:
    """True when a sent request has had no answer or refusal past its 28 days."""
    if state not in ("sent", "acknowledged") or sent_on is None:
        return False
    return today > answer_due(sent_on)


def effective_reply_state(
    reply_state: str | None, reply_sent_on: date | None, today: date
) -> str | None:
    """The reply state as of ``today``: a reply_sent past its deadline reads as reply_lapsed."""
    if (
        reply_state == "reply_sent"
        and reply_sent_on is not None
        and today > reply_due(reply_sent_on)
    ):
        return "reply_lapsed"
    return reply_state


def check_step_date(key: str, step: str, on: date, *, after: date | None, today: date) -> None:
    """Refuse a step dated in the future or before the step it follows."""
    if on > today:
        raise TracingError(
            f"trace request {key}: the {step} date {on.isoformat()} is after today "
            f"({today.isoformat()}); give the date it happened"
        )
    if after is not None and on < after:
        raise TracingError(
            f"trace request {key}: the {step} date {on.isoformat()} is before the previous "
            f"step ({after.isoformat()}); check the date"
        )
