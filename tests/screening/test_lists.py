"""Loading FtM lists into the store: versions, idempotence, rejection of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Table, func, select

from armtrace.audit import entries
from armtrace.errors import ImportRejected
from armtrace.screening import list_versions, load_list
from armtrace.store import Store
from armtrace.store.tables_screening import screening_entities, screening_lists

ACTOR = "analyst@test"


def _count(store: Store, table: Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_load_keeps_companies_and_organisations_with_listing_dates(
    store: Store, list_v1: Path
) -> None:
    report = load_list(store, list_v1, actor=ACTOR)
    assert not report.already_loaded
    assert report.version.dataset == "test_list"
    assert dict(report.kept) == {"Company": 6}
    assert dict(report.skipped) == {"Person": 1}
    with store.engine.connect() as conn:
        rows = {r.entity_id: r for r in conn.execute(select(screening_entities))}
    assert str(rows["t-polar"].listed_since) == "2023-05-19"
    assert rows["t-generic"].listed_since is None
    assert "registrationNumber:1157746000000" in rows["t-severnaya"].identifiers
    assert "北極星元件貿易有限公司" in rows["t-polar"].names


def test_loading_the_same_file_twice_changes_nothing(store: Store, list_v1: Path) -> None:
    load_list(store, list_v1, actor=ACTOR)
    again = load_list(store, list_v1, actor=ACTOR)
    assert again.already_loaded and again.changes is None
    assert _count(store, screening_lists) == 1
    assert _count(store, screening_entities) == 6


def test_a_new_version_supersedes_the_old_one(store: Store, list_v1: Path, list_v2: Path) -> None:
    first = load_list(store, list_v1, actor=ACTOR)
    second = load_list(store, list_v2, actor=ACTOR)
    versions = list_versions(store)
    assert [v.current for v in versions] == [True, False]
    assert versions[0].file_sha256 == second.version.file_sha256
    with store.engine.connect() as conn:
        list_ids = set(conn.execute(select(screening_entities.c.list_id)).scalars())
        ids = set(conn.execute(select(screening_entities.c.entity_id)).scalars())
    assert list_ids == {second.version.id}
    assert "t-amberline" in ids and "t-kestrel" not in ids
    # Loading the old file again makes it current again.
    back = load_list(store, list_v1, actor=ACTOR)
    assert not back.already_loaded and back.version.id == first.version.id
    assert [v.file_sha256 for v in list_versions(store) if v.current] == [first.version.file_sha256]
    loads = [e for e in entries(store) if e.action == "screening.list.load"]
    assert len(loads) == 3 and all(e.actor == ACTOR for e in loads)


def test_a_bad_file_is_rejected_whole_naming_each_line(store: Store, tmp_path: Path) -> None:
    bad = Path(__file__).resolve().parent.parent / "data" / "screening" / "bad.ftm.json"
    with pytest.raises(ImportRejected) as caught:
        load_list(store, bad, actor=ACTOR)
    message = str(caught.value)
    assert "row 2" in message and "unknown FtM schema 'Compny'" in message
    assert "row 3" in message
    assert "row 4" in message and "no property 'nme'" in message
    assert "row 1" not in message
    assert _count(store, screening_lists) == 0 and _count(store, screening_entities) == 0


def test_a_missing_file_is_an_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="no such file"):
        load_list(store, tmp_path / "nope.ftm.json", actor=ACTOR)
