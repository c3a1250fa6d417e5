"""What an audience may see of tracing: the one entry point pages, the API and reports call.

Invariants: a public audience sees chains of published items only, always redacted under the
disclosure terms; the team sees everything as recorded. Reports and exports pass the audience
they publish to, so no output decides on its own what to withhold.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from armtrace.errors import NotFound
from armtrace.store import Store, tables
from armtrace.tracing.chains import Chain, item_chains
from armtrace.tracing.disclosure import Audience, load_policy, redact_chain, redact_request
from armtrace.tracing.model import TraceRequest
from armtrace.tracing.requests import get_request

PUBLISHED = "published"


def chains_for(
    store: Store, item_key: str, *, audience: Audience, today: date | None = None
) -> list[Chain]:
    """An item's custody chains as ``audience`` may see them (public: published items only)."""
    if audience == "public":
        with store.engine.connect() as conn:
            state = conn.execute(
                select(tables.items.c.state).where(tables.items.c.key == item_key)
            ).scalar_one_or_none()
        if state != PUBLISHED:
            raise NotFound(f"no item {item_key!r} (or it is not published)")
    chains = item_chains(store, item_key)
    policy = load_policy(store, audience=audience, today=today)
    return [redact_chain(chain, policy) for chain in chains]


def request_for(
    store: Store, ref: str | int, *, audience: Audience, today: date | None = None
) -> TraceRequest:
    """One trace request as ``audience`` may read it."""
    return redact_request(
        get_request(store, ref), load_policy(store, audience=audience, today=today)
    )
