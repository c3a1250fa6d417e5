"""The alerts step of ``armtrace demo``: follow the case's weapon system and read the feed.

Idempotent: running the demo again does not add a second subscription.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from armtrace.alerts.feed import ATOM, atom_feed
from armtrace.alerts.subscriptions import list_subscriptions, subscribe
from armtrace.alerts.worker import WorkerConfig, run_worker
from armtrace.store import Store

DEMO_USER = "demo-analyst"
FOLLOWS = (("weapon_system", ("KN-23",)), ("manufacturer", ("Texas Instruments",)))


def follow_and_deliver(store: Store, *, actor: str) -> str:
    """Subscribe the demo analyst (Atom feed), run one worker pass, describe the feed."""
    have = {(s.topic, s.values) for s in list_subscriptions(store, user_name=DEMO_USER)}
    for topic, values in FOLLOWS:
        if (topic, values) not in have:
            subscribe(store, user_name=DEMO_USER, topic=topic, values=values, actor=actor)
    run_worker(store, WorkerConfig(), once=True)
    entries = ET.fromstring(atom_feed(store, DEMO_USER)).findall(f"{{{ATOM}}}entry")
    titles = [entry.findtext(f"{{{ATOM}}}title", "") for entry in entries]
    shown = "\n".join(f"  - {title}" for title in titles[:5])
    more = f"\n  ... and {len(titles) - 5} more" if len(titles) > 5 else ""
    return (
        f"Alerts: {DEMO_USER} follows KN-23 and Texas Instruments; {len(titles)} event(s) "
        f"in their Atom feed (armtrace alerts feed --user {DEMO_USER}):\n{shown}{more}"
    )
