"""Disclosure terms agreed with trace recipients, and the redaction every public output applies.

Invariants:
- Terms are kept per company (by folded name and country-free key) and optionally per request;
  when several apply, the strictest wins: any "may not be named" hides the name until the
  latest "may be named after" date, and any "answer confidential" withholds the answer's text.
- The team audience sees everything. The public audience (viewers, anonymous visitors, public
  reports and exports) sees a withheld company as a label such as "a distributor in Germany",
  the label replaces the name inside free text as well, and confidential answers are replaced by
  a sentence saying they are withheld. The facts of a transfer (date, parties as labels) stay.
- ``today`` decides whether a "may be named after" date has passed; it defaults to the real date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, delete, insert, select

from armtrace.audit import record_change
from armtrace.refdata.countries import country_name, is_country_code
from armtrace.refdata.names import normalise_company_name
from armtrace.store import Store
from armtrace.store.tables_tracing import disclosure_terms
from armtrace.tracing.chains import Chain, Link, Node
from armtrace.tracing.errors import TracingError
from armtrace.tracing.model import TraceRequest, find_row

Audience = Literal["public", "team"]
AUDIENCES: tuple[Audience, ...] = ("public", "team")
WITHHELD_ANSWER = (
    "The content of this answer is confidential under terms agreed with the recipient."
)


@dataclass(frozen=True)
class Terms:
    """What may be said about one company (the strictest of its recorded terms)."""

    company_name: str
    company_kind: str | None
    company_country: str | None
    may_name_publicly: bool
    may_name_after: date | None
    answer_confidential: bool
    public_label: str | None
    request_ids: tuple[int, ...] = ()

    def nameable(self, today: date) -> bool:
        """Whether the company may be named publicly on ``today``."""
        if self.may_name_publicly:
            return True
        return self.may_name_after is not None and today >= self.may_name_after

    @property
    def label(self) -> str:
        """What a public audience reads instead of the name."""
        if self.public_label:
            return self.public_label
        kind = (self.company_kind or "company").replace("_", " ")
        article = "an" if kind[0] in "aeiou" else "a"
        if self.company_country and is_country_code(self.company_country):
            return f"{article} {kind} in {country_name(self.company_country)}"
        return f"{article} {kind}"


def set_terms(
    store: Store,
    company_name: str,
    *,
    actor: str,
    may_name_publicly: bool,
    may_name_after: date | None = None,
    answer_confidential: bool = False,
    company_kind: str | None = None,
    company_country: str | None = None,
    public_label: str | None = None,
    request: str | int | None = None,
    note: str | None = None,
) -> Terms:
    """Record the terms agreed with a company (for one request, or all), replacing earlier ones."""
    if not company_name.strip():
        raise TracingError("disclosure terms need the company's name")
    if company_country is not None and not is_country_code(company_country):
        raise TracingError(f"company country {company_country!r} is not an ISO alpha-2 code")
    if may_name_publicly and may_name_after is not None:
        raise TracingError("give either 'may be named publicly' or a date after which it may be")
    key = normalise_company_name(company_name)
    with store.begin() as conn:
        request_id = int(find_row(conn, request)["id"]) if request is not None else None
        match = (disclosure_terms.c.company_key == key) & (
            disclosure_terms.c.request_id.is_(None)
            if request_id is None
            else disclosure_terms.c.request_id == request_id
        )
        before = [dict(r) for r in conn.execute(select(disclosure_terms).where(match)).mappings()]
        conn.execute(delete(disclosure_terms).where(match))
        after = {
            "company_key": key,
            "company_name": company_name.strip(),
            "company_kind": company_kind,
            "company_country": company_country,
            "request_id": request_id,
            "may_name_publicly": may_name_publicly,
            "may_name_after": may_name_after,
            "answer_confidential": answer_confidential,
            "public_label": public_label,
            "note": note,
        }
        conn.execute(
            insert(disclosure_terms).values(**after, created_by=actor, created_at=datetime.now(UTC))
        )
        record_change(
            conn,
            actor=actor,
            action="set",
            entity="disclosure_terms",
            entity_key=key,
            before=_strip(before[0]) if before else None,
            after=after,
        )
        return _policy(conn, "team", date.today()).terms[key]


class Policy:
    """Every company's terms, loaded once, applied for one audience on one day."""

    def __init__(self, terms: dict[str, Terms], audience: Audience, today: date) -> None:
        if audience not in AUDIENCES:
            raise TracingError(f"unknown audience {audience!r}: use one of {', '.join(AUDIENCES)}")
        self.terms = terms
        self.audience = audience
        self.today = today
        withheld = [t for t in terms.values() if not t.nameable(today)]
        # Longest names first so "Acme Trading Ltd" is replaced before "Acme".
        self._withheld = sorted(withheld, key=lambda t: -len(t.company_name))

    def name(self, name: str) -> str:
        """The name this audience may read for a company."""
        if self.audience == "team":
            return name
        terms = self.terms.get(normalise_company_name(name))
        if terms is None or terms.nameable(self.today):
            return name
        return terms.label

    def text(self, text: str) -> str:
        """Free text with every withheld company name replaced by its label."""
        if self.audience == "team":
            return text
        for terms in self._withheld:
            for pattern in _name_patterns(terms.company_name):
                text = pattern.sub(terms.label, text)
        return text

    def answer_withheld(self, request_id: int | None, recipient_name: str) -> bool:
        """Whether this audience may not read an answer given to this request by this company."""
        if self.audience == "team":
            return False
        terms = self.terms.get(normalise_company_name(recipient_name))
        if terms is None:
            return False
        return terms.answer_confidential or (
            request_id is not None and request_id in terms.request_ids
        )


def _name_patterns(name: str) -> list[re.Pattern[str]]:
    """The name as written, then its core words in any case and punctuation, without legal form."""
    exact = re.compile(re.escape(name), re.IGNORECASE)
    words = normalise_company_name(name).split()
    if not words or not all(w.isascii() for w in words):
        return [exact]
    # "Meridian Distribution" or "MERIDIAN-DISTRIBUTION" in an answer is the same company.
    core = re.compile(r"\b" + r"[\W_]+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
    return [exact, core]


def load_policy(store: Store, *, audience: Audience, today: date | None = None) -> Policy:
    """The disclosure policy for ``audience`` as of ``today``."""
    with store.engine.connect() as conn:
        return _policy(conn, audience, today or date.today())


def public_name(store: Store, name: str, *, audience: Audience, today: date | None = None) -> str:
    """The name to show ``audience`` for a company, honouring its disclosure terms."""
    return load_policy(store, audience=audience, today=today).name(name)


def redact_request(request: TraceRequest, policy: Policy) -> TraceRequest:
    """A request as ``policy``'s audience may read it: names, answers and reply text redacted."""
    withheld = policy.answer_withheld(request.id, request.recipient_name)
    answers = tuple(
        replace(
            a,
            text=WITHHELD_ANSWER if withheld else policy.text(a.text),
            document_sha256=None if withheld else a.document_sha256,
        )
        for a in request.answers
    )
    return replace(
        request,
        recipient_name=policy.name(request.recipient_name),
        answers=answers,
        refusal_text=_maybe(request.refusal_text, policy, withheld),
        reply_summary=_maybe(request.reply_summary, policy, False),
        reply_text=_maybe(request.reply_text, policy, withheld),
    )


def redact_chain(chain: Chain, policy: Policy) -> Chain:
    """A chain as ``policy``'s audience may read it: withheld parties shown by their labels."""
    if policy.audience == "team":
        return chain
    nodes = tuple(_redact_node(n, policy) for n in chain.nodes)
    links = tuple(_redact_link(link, policy) for link in chain.links)

    def fix(d: Any) -> Any:
        return d and replace(
            d,
            last_legitimate_custodian=policy.name(d.last_legitimate_custodian),
            why=policy.text(d.why),
        )

    return replace(
        chain,
        nodes=nodes,
        links=links,
        suggestion=fix(chain.suggestion),
        mark=fix(chain.mark),
        notes=tuple(policy.text(n) for n in chain.notes),
    )


def _redact_node(node: Node, policy: Policy) -> Node:
    shown = policy.name(node.name)
    if shown == node.name:
        return replace(
            node,
            name=policy.text(node.name),
            sanctions=replace(node.sanctions, why=policy.text(node.sanctions.why)),
        )
    # The label says as much about the country as was agreed; the code could say more.
    return replace(
        node,
        name=shown,
        country=None,
        sanctions=replace(node.sanctions, why=policy.text(node.sanctions.why)),
    )


def _redact_link(link: Link, policy: Policy) -> Link:
    tr = link.transfer
    if tr is None:
        return link
    from_name, to_name = policy.name(tr.from_company), policy.name(tr.to_company)
    return Link(
        replace(
            tr,
            from_company=from_name,
            from_country=tr.from_country if from_name == tr.from_company else None,
            to_company=to_name,
            to_country=tr.to_country if to_name == tr.to_company else None,
            note=policy.text(tr.note) if tr.note else None,
            # The documents behind a transfer name the parties: a public audience gets none.
            document_sha256=None,
        )
    )


def _maybe(text: str | None, policy: Policy, withheld: bool) -> str | None:
    if text is None:
        return None
    return WITHHELD_ANSWER if withheld else policy.text(text)


def _policy(conn: Connection, audience: Audience, today: date) -> Policy:
    merged: dict[str, Terms] = {}
    for row in conn.execute(select(disclosure_terms).order_by(disclosure_terms.c.id)).mappings():
        merged[row["company_key"]] = _merge(merged.get(row["company_key"]), row)
    return Policy(merged, audience, today)


def _merge(known: Terms | None, row: Any) -> Terms:
    new = Terms(
        company_name=row["company_name"],
        company_kind=row["company_kind"],
        company_country=row["company_country"],
        may_name_publicly=bool(row["may_name_publicly"]),
        may_name_after=row["may_name_after"],
        answer_confidential=bool(row["answer_confidential"]) and row["request_id"] is None,
        public_label=row["public_label"],
        request_ids=(int(row["request_id"]),)
        if row["answer_confidential"] and row["request_id"] is not None
        else (),
    )
    if known is None:
        return new
    # Strictest wins: hidden if either hides, until the later date (or for good if one has none).
    hiding = [t for t in (known, new) if not t.may_name_publicly]
    dates = [t.may_name_after for t in hiding]
    after = None if not dates or None in dates else max(d for d in dates if d is not None)
    return Terms(
        company_name=known.company_name,
        company_kind=known.company_kind or new.company_kind,
        company_country=known.company_country or new.company_country,
        may_name_publicly=not hiding,
        may_name_after=after,
        answer_confidential=known.answer_confidential or new.answer_confidential,
        public_label=known.public_label or new.public_label,
        request_ids=known.request_ids + new.request_ids,
    )


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", "created_at", "created_by")}
