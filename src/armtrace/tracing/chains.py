"""Custody chains of an item: from the maker, through documented transfers, to the recovery.

Invariants:
- An item's components are grouped by the exact set of transfers that moved them; each group is
  one chain (a batch), so parts with different histories never share a diagram.
- A chain is a line of parties: consecutive transfers that do not meet (the next transfer starts
  from someone other than the last holder) get an undocumented gap between them, and every chain
  ends with a gap to the point of recovery, unless nothing is known of it at all.
- The suggested point of diversion is computed, never stored: a transfer to a party flagged by
  screening first; otherwise the last transfer documented by an answer before the chain goes
  dark. An analyst's mark (``custody.mark_diversion``) overrides the suggestion and is shown as
  theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from armtrace.errors import NotFound
from armtrace.refdata.manufacturers import load_registry
from armtrace.store import Store, tables
from armtrace.store.tables_tracing import diversion_marks, transfer_components
from armtrace.tracing.custody import Transfer, company_key, load_transfers
from armtrace.tracing.sanctions import NOT_SCREENED, SanctionStatus, sanction_status


@dataclass(frozen=True)
class Node:
    """A party holding the goods at one point (or the point of recovery)."""

    name: str
    country: str | None
    role: str  # "maker", "custodian" or "recovery"
    received_on: date | None = None
    sanctions: SanctionStatus = NOT_SCREENED

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "name": self.name,
            "country": self.country,
            "role": self.role,
            "received_on": self.received_on.isoformat() if self.received_on else None,
            "sanctions": self.sanctions.as_json(),
        }


@dataclass(frozen=True)
class Link:
    """The step between two consecutive nodes: a documented transfer, or a gap."""

    transfer: Transfer | None  # None: custody between these parties is undocumented

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        if self.transfer is None:
            return {"documented": False}
        return {"documented": True, "transfer": self.transfer.as_json()}


@dataclass(frozen=True)
class Diversion:
    """Where a chain left legitimate trade: the link and the last legitimate custodian."""

    link_index: int
    transfer_id: int
    last_legitimate_custodian: str
    by: str  # "analyst" or the rule's name: "screening" or "goes-dark"
    why: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Chain:
    """One batch of an item's components and the custody line it followed."""

    key: str
    item_key: str
    exercise: bool
    component_keys: tuple[str, ...]
    markings: tuple[str, ...]
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]  # links[i] joins nodes[i] and nodes[i + 1]
    suggestion: Diversion | None
    mark: Diversion | None
    notes: tuple[str, ...] = field(default=())

    @property
    def diversion(self) -> Diversion | None:
        """The analyst's mark when there is one, else the system's suggestion."""
        return self.mark or self.suggestion

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values; the stable machine-readable form."""
        return {
            "key": self.key,
            "item_key": self.item_key,
            "exercise": self.exercise,
            "components": list(self.component_keys),
            "markings": list(self.markings),
            "nodes": [n.as_json() for n in self.nodes],
            "links": [link.as_json() for link in self.links],
            "suggested_diversion": self.suggestion.as_json() if self.suggestion else None,
            "marked_diversion": self.mark.as_json() if self.mark else None,
            "notes": list(self.notes),
        }


def item_chains(store: Store, item_key: str, *, screen: bool = True) -> list[Chain]:
    """The custody chains of an item's components (empty when none was traced)."""
    i, n, c = tables.items, tables.incidents, tables.components
    with store.engine.connect() as conn:
        item = (
            conn.execute(
                select(i.c.id, n.c.place, n.c.country, n.c.incident_date, n.c.exercise)
                .join(n, n.c.id == i.c.incident_id)
                .where(i.c.key == item_key)
            )
            .mappings()
            .first()
        )
        if item is None:
            raise NotFound(f"no item {item_key!r} in the store")
        rows = conn.execute(
            select(c.c.id, c.c.key, c.c.marking, transfer_components.c.transfer_id)
            .join(transfer_components, transfer_components.c.component_id == c.c.id)
            .where(c.c.item_id == item["id"])
            .order_by(c.c.id)
        ).all()
        groups: dict[frozenset[int], list[tuple[str, str]]] = {}
        by_component: dict[int, set[int]] = {}
        labels: dict[int, tuple[str, str]] = {}
        for row in rows:
            by_component.setdefault(int(row.id), set()).add(int(row.transfer_id))
            labels[int(row.id)] = (row.key, row.marking or "")
        for cid, moved_by in by_component.items():
            groups.setdefault(frozenset(moved_by), []).append(labels[cid])
        wanted = set().union(*by_component.values())
        transfers = {t.id: t for t in load_transfers(conn, sorted(wanted))}
        marks = {int(r.transfer_id): r for r in conn.execute(select(diversion_marks)).all()}
    recovery = Node(
        name=f"recovered: {item_key}" + (f", {item['place']}" if item["place"] else ""),
        country=item["country"],
        role="recovery",
        received_on=item["incident_date"],
    )
    chains = []
    for group, members in groups.items():
        ordered = sorted(
            (transfers[x] for x in group), key=lambda t: (t.transfer_date or date.max, t.id)
        )
        nodes, links = _line(store, ordered, recovery, screen=screen)
        chains.append(
            Chain(
                key=f"{item_key}:" + "+".join(str(t.id) for t in ordered),
                item_key=item_key,
                exercise=bool(item["exercise"]) or any(t.exercise for t in ordered),
                component_keys=tuple(k for k, _ in members),
                markings=tuple(sorted({m for _, m in members if m})),
                nodes=tuple(nodes),
                links=tuple(links),
                suggestion=suggest_diversion(nodes, links),
                mark=_analyst_mark(links, marks),
            )
        )
    return sorted(chains, key=lambda ch: ch.key)


def _line(
    store: Store, ordered: list[Transfer], recovery: Node, *, screen: bool
) -> tuple[list[Node], list[Link]]:
    def node(name: str, country: str | None, role: str, received: date | None) -> Node:
        status = (
            sanction_status(store, name, country=country, received_on=received)
            if screen
            else NOT_SCREENED
        )
        return Node(name, country, role, received, status)

    nodes: list[Node] = []
    links: list[Link] = []
    holder: str | None = None
    for tr in ordered:
        if holder is None:
            role = "maker" if _is_maker(tr.from_company) else "custodian"
            nodes.append(node(tr.from_company, tr.from_country, role, None))
        elif holder != company_key(tr.from_company, tr.from_country):
            nodes.append(node(tr.from_company, tr.from_country, "custodian", None))
            links.append(Link(None))
        nodes.append(node(tr.to_company, tr.to_country, "custodian", tr.transfer_date))
        links.append(Link(tr))
        holder = company_key(tr.to_company, tr.to_country)
    nodes.append(recovery)
    links.append(Link(None))
    return nodes, links


def suggest_diversion(nodes: list[Node], links: list[Link]) -> Diversion | None:
    """The system's suggestion: a transfer into a listed party, else where the chain goes dark."""
    for index, link in enumerate(links):
        receiver = nodes[index + 1]
        if link.transfer is not None and receiver.sanctions.listed:
            timing = receiver.sanctions.timing
            return Diversion(
                index,
                link.transfer.id,
                nodes[index].name,
                "screening",
                f"{receiver.name} matches the listed entity {receiver.sanctions.caption} "
                f"(score {receiver.sanctions.score}); {timing}",
            )
    last = None
    for index, link in enumerate(links):
        if link.transfer is None:
            break
        if link.transfer.request_id is not None:
            last = index
    if last is None:
        return None
    transfer = links[last].transfer
    assert transfer is not None
    return Diversion(
        last + 1,
        transfer.id,
        transfer.to_company,
        "goes-dark",
        f"The last transfer documented by an answer (request {transfer.request_key}) before "
        "custody goes undocumented",
    )


def _analyst_mark(links: list[Link], marks: dict[int, Any]) -> Diversion | None:
    for index, link in enumerate(links):
        if link.transfer is None or link.transfer.id not in marks:
            continue
        mark = marks[link.transfer.id]
        # The custodian is the transfer's sender (diverted at it) or receiver (diverted after it).
        at = index if mark.last_legitimate_custodian == link.transfer.from_company else index + 1
        return Diversion(
            at,
            link.transfer.id,
            mark.last_legitimate_custodian,
            "analyst",
            mark.note or f"marked by {mark.marked_by}",
        )
    return None


def _is_maker(name: str) -> bool:
    # Only a company the registry knows as a maker is drawn as one; anyone else is a custodian.
    maker = load_registry().resolve_name(name)
    return maker is not None and "distributor" not in maker.kinds
