"""Linking items of the same build, and analysts' judgements that survive recomputation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armtrace.attribution.judgements import JudgementError, judge_link, judgements
from armtrace.attribution.linking import link_clusters, links_for_item
from armtrace.audit import entries, verify_chain
from armtrace.cli.app import app
from armtrace.errors import NotFound
from armtrace.markings.readings import identify_components
from armtrace.store import Store
from attribution.attribution_items import MISSILE, UAV, item, load, load_exercise


def _pairs(store: Store, key: str) -> set[frozenset[str]]:
    return {frozenset((link.item_a, link.item_b)) for link in links_for_item(store, key)}


def test_exercise_builds_cluster_across_cities(store: Store) -> None:
    load_exercise(store)
    clusters = {c.items[0]: c for c in link_clusters(store)}
    missiles = clusters["EX-MSL-001"]
    # the four undetermined missiles join the KN-23 reference; the KN-24 reference is held apart
    assert missiles.items == ("EX-MSL-001", "EX-MSL-002", "EX-MSL-003", "EX-MSL-004", "EX-MSL-101")
    assert "EX-MSL-102 would join items attributed to KN-23 and KN-24" in missiles.why
    uavs = clusters["EX-UAV-001"]
    assert {"EX-UAV-001", "EX-UAV-002", "EX-UAV-003"} <= set(uavs.items)
    assert 0.8 <= uavs.similarity < 1.0  # a substitute chip and two burnt parts
    assert not any("EX-RKT" in key for c in clusters.values() for key in c.items)


def test_fragments_and_different_builds_do_not_link(store: Store, tmp_path: Path) -> None:
    load(
        store, tmp_path,
        item("KH-0001", MISSILE), item("ODESA-01", UAV, item_type="one-way attack UAV"),
        item("KH-0002", MISSILE[:4]),  # a fragment: too few parts to link by machine
    )  # fmt: skip
    assert link_clusters(store) == []
    assert links_for_item(store, "KH-0002") == []


def test_judgement_is_stored_with_who_when_and_audited(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE), item("KY-0001", MISSILE, place="Kyiv"))
    made = judge_link(store, "KY-0001", "KH-0001", "same", actor="olena", note="same harness")
    assert made.pair == ("KH-0001", "KY-0001")  # stored in a canonical order
    [stored] = judgements(store)
    assert (stored.verdict, stored.actor, stored.note) == ("same", "olena", "same harness")
    [entry] = entries(store, entity="link_judgement")
    assert entry.entity_key == "KH-0001|KY-0001" and entry.after == {
        "verdict": "same", "actor": "olena", "note": "same harness"}  # fmt: skip
    judge_link(store, "KH-0001", "KY-0001", "different", actor="mark", note="other lot")
    newest = entries(store, entity="link_judgement")[0]
    assert newest.before is not None and newest.before["verdict"] == "same"
    assert [j.verdict for j in judgements(store)] == ["different"]
    assert verify_chain(store).ok


def test_rejected_link_does_not_resurface(store: Store, tmp_path: Path) -> None:
    records = [item("KH-0001", MISSILE), item("KY-0001", MISSILE, place="Kyiv")]
    load(store, tmp_path, *records)
    assert _pairs(store, "KH-0001") == {frozenset(("KH-0001", "KY-0001"))}
    judge_link(store, "KH-0001", "KY-0001", "different", actor="olena", note="different lots")
    assert links_for_item(store, "KH-0001") == []
    # recompute everything: re-import the same sheet, re-identify every component
    load(store, tmp_path, *records, name="again.csv")
    identify_components(store)
    assert links_for_item(store, "KH-0001") == []
    assert link_clusters(store) == []


def test_rejected_pair_is_never_clustered_through_a_third_item(
    store: Store, tmp_path: Path
) -> None:
    load(
        store, tmp_path,
        item("KH-0001", MISSILE), item("KY-0001", MISSILE, place="Kyiv"),
        item("ZP-0001", MISSILE, place="Zaporizhzhia"),
    )  # fmt: skip
    judge_link(store, "KH-0001", "KY-0001", "different", actor="olena")
    [cluster] = link_clusters(store)
    assert not {"KH-0001", "KY-0001"} <= set(cluster.items)
    assert "judged different" in cluster.why


def test_confirmed_link_stays_when_the_score_drops(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE), item("KY-0001", MISSILE, place="Kyiv"))
    judge_link(store, "KH-0001", "KY-0001", "same", actor="olena", note="same board")
    # more of the Kyiv item is documented later: its parts now differ a lot from Kharkiv's
    more = item("KY-0001", UAV, place="Kyiv")
    for n, row in enumerate(more, start=20):
        row["component_id"] = f"C{n}"
    load(store, tmp_path, more, name="more.csv")
    [link] = links_for_item(store, "KH-0001")
    assert link.judgement == "same" and link.similarity is not None and link.similarity < 0.8
    assert "judged the same build by olena" in link.why and "below" in link.why
    [cluster] = link_clusters(store)
    assert cluster.items == ("KH-0001", "KY-0001")


def test_judgement_errors(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE), item("KY-0001", MISSILE))
    with pytest.raises(JudgementError, match="'maybe'"):
        judge_link(store, "KH-0001", "KY-0001", "maybe", actor="olena")
    with pytest.raises(JudgementError, match="one item"):
        judge_link(store, "KH-0001", "KH-0001", "same", actor="olena")
    with pytest.raises(NotFound, match="NO-SUCH"):
        judge_link(store, "KH-0001", "NO-SUCH", "same", actor="olena")
    assert judgements(store) == []


def test_cli_link_and_judge(store_url: str, store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, item("KH-0001", MISSILE), item("KY-0001", MISSILE, place="Kyiv"))
    base = ["--db", store_url, "--evidence", str(tmp_path / "ev")]
    runner = CliRunner()
    result = runner.invoke(app, [*base, "link", "--json"], catch_exceptions=False)
    [cluster] = [json.loads(line) for line in result.stdout.splitlines()]
    assert cluster["items"] == ["KH-0001", "KY-0001"] and cluster["similarity"] == 1.0
    assert "why" in cluster
    result = runner.invoke(
        app, [*base, "link", "judge", "KH-0001", "KY-0001", "different", "--note", "other lot"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    result = runner.invoke(app, [*base, "link", "--json"], catch_exceptions=False)
    assert result.stdout == ""
