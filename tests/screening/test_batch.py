"""Screening many parties at once gives, party by party, what screening each alone gives."""

from __future__ import annotations

from pathlib import Path

from armtrace.screening.ftm import read_list
from armtrace.screening.index import _KeyHasher, name_keys
from armtrace.screening.matcher import Screener
from armtrace.screening.model import Party
from armtrace.screening.normalise import fold_name

PARTIES = [
    Party("Polar Star Components Trading Company Ltd", "HK"),
    Party("北极星元件贸易有限公司", "HK"),
    Party("Severnaja Zvezda Trade LLC", "RU"),
    Party("Unrelated Name Ltd", "RU", identifiers=("1157746000000",)),
    Party("Hong Kong Electronics Trading Co., Limited", "HK"),
    Party("Polar Star Components Trading Company Ltd", "HK"),  # the same party twice
    Party("Kestrel Microwave Inc", None, aliases=("Kestrel Microwave Limited",)),
    Party("Limited"),
]

EXERCISE_LIST = (
    Path(__file__).resolve().parents[2] / "src/armtrace/demo/data/exercise_sanctions.ftm.json"
)


def test_many_parties_at_once_match_each_party_alone(list_v1: Path) -> None:
    screener = Screener(read_list(list_v1).entities + read_list(EXERCISE_LIST).entities)
    together = screener.screen_many(PARTIES, floor=0.0)
    alone = [screener.screen(p, floor=0.0) for p in PARTIES]
    assert together == alone
    assert {m.entity_id for m in together[0]} >= {"t-polar"}
    assert together[3] and together[3][0].entity_id == "t-severnaya"


def test_index_keys_hashed_with_the_word_cache_are_the_name_keys(list_v1: Path) -> None:
    hasher = _KeyHasher()
    names = [n for e in read_list(EXERCISE_LIST).entities for n in e.names]
    names += [n for e in read_list(list_v1).entities for n in e.names] + [p.name for p in PARTIES]
    for name in names * 2:  # the second round hits the cache
        folded = fold_name(name)
        assert hasher(folded) == {hash(k) for k in name_keys(folded)}, name
