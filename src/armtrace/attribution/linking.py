"""Linking: items identical or near-identical in components (same build) across incidents.

Invariants:
- Two items link when the Jaccard similarity of their sets of part numbers is at least
  ``LINK_THRESHOLD`` (found by MinHash LSH, then checked exactly: ``similarity.similar_pairs``),
  or when an analyst judged them the same build; a pair judged different never links, whatever
  its score, and a confirmed pair stays linked whatever its score.
- Items with fewer than ``MIN_PARTS`` part numbers are not linked by machine: a fragment of three
  generic parts is the same as too many unrelated items.
- Clusters grow from the strongest link down and never join two items that an analyst judged
  different or attributed to different weapon systems.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from armtrace.attribution.judgements import LinkJudgement, judgements
from armtrace.attribution.profiles import ItemProfile, load_profiles
from armtrace.attribution.similarity import SetCollection, similar_pairs
from armtrace.errors import NotFound
from armtrace.store import Store

LINK_THRESHOLD = 0.8
MIN_PARTS = 5


@dataclass(frozen=True)
class Link:
    """Two items whose part sets are near-identical, or that an analyst judged the same build."""

    item_a: str
    item_b: str
    similarity: float | None
    judgement: str | None  # "same" | None (no analyst judgement yet)
    why: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        data = dict(self.__dict__)
        data["similarity"] = None if self.similarity is None else round(self.similarity, 4)
        return data


@dataclass(frozen=True)
class LinkCluster:
    """Items linked into one build: connected by machine links or analysts' "same" judgements."""

    items: tuple[str, ...]
    similarity: float
    why: str
    links: tuple[Link, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The ``armtrace link --json`` object for one cluster."""
        return {
            "items": list(self.items),
            "similarity": round(self.similarity, 4),
            "why": self.why,
            "links": [link.as_json() for link in self.links],
        }


def _pair_why(a: ItemProfile, b: ItemProfile, similarity: float) -> str:
    shared = len(a.parts & b.parts)
    return (
        f"{a.key} ({a.incident_key}) and {b.key} ({b.incident_key}) share {shared} part numbers "
        f"of {len(a.parts | b.parts)} (Jaccard {similarity:.2f})"
    )


def _judged_why(j: LinkJudgement) -> str:
    note = f": {j.note}" if j.note else ""
    return f"judged the same build by {j.actor} on {j.at.date().isoformat()}{note}"


def compute_links(
    profiles: dict[str, ItemProfile],
    judged: Iterable[LinkJudgement],
    *,
    threshold: float = LINK_THRESHOLD,
) -> list[Link]:
    """Machine links at the threshold plus confirmed pairs, minus pairs judged different."""
    verdicts = {frozenset(j.pair): j for j in judged}
    linkable = sorted(k for k, p in profiles.items() if len(p.parts) >= MIN_PARTS)
    vocabulary: dict[str, int] = {}
    sets = [
        [vocabulary.setdefault(t, len(vocabulary)) for t in profiles[k].parts] for k in linkable
    ]
    found: dict[frozenset[str], float] = {}
    if len(linkable) >= 2:
        collection = SetCollection.from_sets(sets, len(vocabulary))
        pairs, sims = similar_pairs(collection, threshold)
        found = {
            frozenset((linkable[i], linkable[j])): s for (i, j), s in zip(pairs, sims, strict=True)
        }
    links: list[Link] = []
    for pair, similarity in found.items():
        a, b = sorted(pair)
        judgement = verdicts.get(pair)
        if judgement and judgement.verdict == "different":
            continue
        why = _pair_why(profiles[a], profiles[b], similarity)
        if judgement:
            why += "; " + _judged_why(judgement)
        verdict = judgement.verdict if judgement else None
        links.append(Link(a, b, float(similarity), verdict, why))
    for pair, judgement in verdicts.items():
        if judgement.verdict != "same" or pair in found or not pair <= profiles.keys():
            continue
        a, b = sorted(pair)
        similarity = _jaccard(profiles[a], profiles[b])
        why = f"{_judged_why(judgement)} (Jaccard {similarity:.2f}, below the {threshold} link)"
        links.append(Link(a, b, similarity, "same", why))
    links.sort(key=lambda link: (link.judgement != "same", -(link.similarity or 0.0), link.item_a))
    return links


def _jaccard(a: ItemProfile, b: ItemProfile) -> float:
    union = len(a.parts | b.parts)
    return len(a.parts & b.parts) / union if union else 0.0


@dataclass
class _Group:
    members: set[str]
    systems: set[str]
    links: list[Link] = field(default_factory=list)
    held_apart: dict[str, int] = field(default_factory=dict)  # reason -> refused links


def cluster_links(
    profiles: dict[str, ItemProfile], links: list[Link], judged: Iterable[LinkJudgement]
) -> list[LinkCluster]:
    """Greedy merge from the strongest link, refusing merges an analyst or attribution forbids."""
    different = {frozenset(j.pair) for j in judged if j.verdict == "different"}
    group_of: dict[str, _Group] = {}
    for link in links:  # already strongest first (confirmed links before machine ones)
        ga = group_of.get(link.item_a) or _single(profiles[link.item_a])
        gb = group_of.get(link.item_b) or _single(profiles[link.item_b])
        if ga is gb:
            ga.links.append(link)
            continue
        if conflict := _conflict(ga, gb, different):
            for group in (ga, gb):
                group.held_apart[conflict] = group.held_apart.get(conflict, 0) + 1
            continue
        ga.members |= gb.members
        ga.systems |= gb.systems
        ga.links += [link, *gb.links]
        for reason, count in gb.held_apart.items():
            ga.held_apart[reason] = ga.held_apart.get(reason, 0) + count
        for key in ga.members:
            group_of[key] = ga
    groups = {id(g): g for g in group_of.values()}.values()
    clusters = [_cluster(g) for g in groups]
    clusters.sort(key=lambda c: (-len(c.items), -c.similarity, c.items))
    return clusters


def _single(profile: ItemProfile) -> _Group:
    systems = {profile.weapon_system} if profile.weapon_system else set()
    return _Group({profile.key}, systems)


def _conflict(a: _Group, b: _Group, different: set[frozenset[str]]) -> str | None:
    for x in a.members:
        for y in b.members:
            if frozenset((x, y)) in different:
                return f"{x} and {y} were judged different builds"
    if len(a.systems | b.systems) > 1:
        systems = " and ".join(sorted(a.systems | b.systems))
        return f"{', '.join(sorted(b.members))} would join items attributed to {systems}"
    return None


def _cluster(group: _Group) -> LinkCluster:
    scored = [link.similarity for link in group.links if link.similarity is not None]
    weakest = min(scored) if scored else 0.0
    confirmed = sum(1 for link in group.links if link.judgement == "same")
    why = (
        f"{len(group.members)} items of one build: {len(group.links)} links, the weakest at "
        f"Jaccard {weakest:.2f}, {confirmed} confirmed by analysts"
    )
    for reason, count in sorted(group.held_apart.items()):
        why += f"; held apart ({count} link{'s' if count > 1 else ''} refused): {reason}"
    return LinkCluster(tuple(sorted(group.members)), weakest, why, tuple(group.links))


def link_clusters(store: Store, *, threshold: float = LINK_THRESHOLD) -> list[LinkCluster]:
    """Every cluster of two or more items of the same build, largest first."""
    profiles = load_profiles(store)
    judged = judgements(store)
    return cluster_links(profiles, compute_links(profiles, judged, threshold=threshold), judged)


def links_for_item(store: Store, item_key: str, *, threshold: float = LINK_THRESHOLD) -> list[Link]:
    """The links of one item (machine and confirmed, never rejected ones), most similar first."""
    profiles = load_profiles(store)
    if item_key not in profiles:
        raise NotFound(f"no item {item_key} in the store: check the item id")
    links = compute_links(profiles, judgements(store), threshold=threshold)
    return [link for link in links if item_key in (link.item_a, link.item_b)]
