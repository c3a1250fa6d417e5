"""Load the exercise trace (EXERCISE DATA) for the demo: requests, answers, transfers, terms.

Invariants: every request is about components of the exercise case, so it is stored as exercise
data and labelled wherever it shows; loading twice changes nothing (requests are found by key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

import yaml

from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.tracing import transitions as t
from armtrace.tracing.chains import Chain, Node, item_chains
from armtrace.tracing.custody import TransferSpec, add_transfer
from armtrace.tracing.disclosure import set_terms
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import TraceRequest
from armtrace.tracing.requests import Recipient, create_request, get_request

ITEM = "EX-MSL-001"


@dataclass(frozen=True)
class ExerciseTrace:
    """What the exercise trace holds after loading."""

    requests: list[TraceRequest]
    chains: list[Chain]
    created: bool  # False when it was already loaded

    def lines(self, today: date | None = None) -> list[str]:
        """What the demo prints: each request's state, and each chain with its diversion."""
        today = today or date.today()
        out = [r.describe(today) for r in self.requests]
        for chain in self.chains:
            out.append(
                "EXERCISE custody chain of "
                + ", ".join(chain.component_keys)
                + ": "
                + " -> ".join(_node_text(n) for n in chain.nodes)
            )
            if chain.diversion is not None:
                out.append(
                    f"  point of diversion ({chain.diversion.by}): last legitimate "
                    f"custodian {chain.diversion.last_legitimate_custodian}; "
                    f"{chain.diversion.why}"
                )
        return out


def _node_text(node: Node) -> str:
    if node.sanctions.listed:
        return f"{node.name} [LISTED: {node.sanctions.timing}]"
    return node.name


def load_exercise_trace(
    store: Store, *, actor: str = "armtrace demo", today: date | None = None
) -> ExerciseTrace:
    """Load the bundled exercise trace requests (needs the exercise case imported first)."""
    data = yaml.safe_load(
        files("armtrace.demo").joinpath("data", "exercise_trace.yaml").read_text("utf-8")
    )
    created = False
    try:
        get_request(store, data["requests"][0]["key"])
    except NotFound:
        _load(store, data, actor, today)
        created = True
    requests = [get_request(store, r["key"]) for r in data["requests"]]
    return ExerciseTrace(requests, item_chains(store, ITEM), created)


def _load(store: Store, data: dict[str, Any], actor: str, today: date | None) -> None:
    for spec in data["requests"]:
        rec = spec["recipient"]
        try:
            request = create_request(
                store,
                Recipient(rec["name"], rec["kind"], rec.get("country"), rec.get("manufacturer_id")),
                actor=actor,
                item_key=spec["item"],
                component_keys=spec["components"],
                key=spec["key"],
            )
        except TracingError as exc:
            raise TracingError(f"{exc}; import the exercise case first (armtrace demo)") from exc
        if not request.exercise:
            raise TracingError(f"{spec['item']} is not exercise data; the exercise trace needs it")
        _walk(store, request.key, spec, actor, today)
    for spec in data["transfers"]:
        add_transfer(
            store,
            TransferSpec(
                spec["from"]["name"],
                spec["to"]["name"],
                spec["from"].get("country"),
                spec["to"].get("country"),
                spec.get("date"),
                spec.get("lot"),
                spec.get("note"),
            ),
            actor=actor,
            request=spec["request"],
        )
    for spec in data["terms"]:
        set_terms(
            store,
            spec["company"],
            actor=actor,
            company_kind=spec.get("kind"),
            company_country=spec.get("country"),
            request=spec.get("request"),
            may_name_publicly=spec["may_name_publicly"],
            may_name_after=spec.get("may_name_after"),
            answer_confidential=spec.get("answer_confidential", False),
            note=spec.get("note"),
        )


def _walk(store: Store, key: str, spec: dict[str, Any], actor: str, today: date | None) -> None:
    if spec.get("sent_on"):
        t.send(store, key, actor=actor, on=spec["sent_on"], today=today)
    if spec.get("acknowledged_on"):
        t.acknowledge(store, key, actor=actor, on=spec["acknowledged_on"], today=today)
    for answer in spec.get("answers", []):
        t.answer(
            store, key, text=answer["text"], actor=actor, on=answer["received_on"], today=today
        )
    reply = spec.get("reply")
    if not reply:
        return
    t.send_for_reply(
        store, key, summary=reply["summary"], actor=actor, on=reply["summary_on"], today=today
    )
    if reply.get("replied_on"):
        t.record_reply(
            store, key, text=reply["reply"], actor=actor, on=reply["replied_on"], today=today
        )
    elif reply.get("lapsed_on"):
        t.lapse_reply(store, key, actor=actor, today=reply["lapsed_on"])
