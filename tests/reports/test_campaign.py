"""Campaign analytics in DuckDB, checked against the same figures computed with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from armtrace.exports import export
from armtrace.reports.campaign import CampaignError, CampaignFilter, campaign_trends
from armtrace.store import Store
from exports.exercise_case import load_exercise, publish


@pytest.fixture
def facts(store: Store, tmp_path: Path) -> Path:
    load_exercise(store)
    path = tmp_path / "facts.parquet"
    export(store, path)
    return path


def _frame(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    frame["incident_date"] = pd.to_datetime(frame["incident_date"])
    frame["period"] = frame["incident_date"].dt.to_period("M").dt.start_time.dt.date
    frame["maker"] = frame["maker_id"].fillna(frame["company"])
    return frame


def test_trends_per_month_match_pandas(facts: Path) -> None:
    trends = campaign_trends(facts, period="month")
    frame = _frame(facts)
    assert trends.components == len(frame) and trends.exercise_components == len(frame)
    first_seen = frame.dropna(subset=["maker"]).groupby("maker")["period"].min()
    for figures in trends.periods:
        rows = frame[frame["period"] == figures.period]
        assert figures.components == len(rows)
        assert figures.identified == rows["company"].notna().sum()
        assert figures.makers == rows["maker"].nunique()
        assert set(figures.new_makers) == set(first_seen[first_seen == figures.period].index)
        identified = rows[rows["company"].notna()]
        shares = identified["company_country"].fillna("unknown").value_counts(normalize=True)
        assert figures.country_share == pytest.approx(shares.to_dict())
    assert sum(len(p.new_makers) for p in trends.periods) == frame["maker"].nunique()


def test_date_code_lag_is_incident_minus_latest_production(facts: Path) -> None:
    trends = campaign_trends(facts, period="year")
    frame = _frame(facts)
    lag = (frame["incident_date"] - pd.to_datetime(frame["date_latest"])).dt.days.dropna()
    assert trends.lag_excluded == (lag < 0).sum()
    kept = lag[lag >= 0]
    assert trends.lag_days_median == pytest.approx(kept.median())
    assert trends.lag_days_p25 == pytest.approx(kept.quantile(0.25))
    assert trends.lag_days_p75 == pytest.approx(kept.quantile(0.75))
    p25, median, p75 = trends.lag_days_p25, trends.lag_days_median, trends.lag_days_p75
    assert p25 is not None and median is not None and p75 is not None
    assert p25 <= median <= p75


def test_filters_narrow_by_system_country_and_dates(facts: Path) -> None:
    frame = _frame(facts)
    kn23 = campaign_trends(facts, CampaignFilter(weapon_system="kn-23"))
    assert kn23.components == (frame["weapon_system"] == "KN-23").sum() > 0
    assert campaign_trends(facts, CampaignFilter(country="xx")).components == 0
    since = pd.Timestamp("2024-01-10")
    later = campaign_trends(facts, CampaignFilter(since=since.date()))
    assert later.components == (frame["incident_date"] >= since).sum()
    assert all(p.period >= since.replace(day=1).date() for p in later.periods)


def test_published_only_counts_published_items(store: Store, tmp_path: Path) -> None:
    load_exercise(store)
    publish(store, "EX-MSL-003")
    export(store, tmp_path / "f.parquet")
    trends = campaign_trends(tmp_path / "f.parquet", CampaignFilter(published_only=True))
    assert trends.components == (_frame(tmp_path / "f.parquet")["item_key"] == "EX-MSL-003").sum()


def test_undated_incidents_are_counted_apart(tmp_path: Path) -> None:
    path = tmp_path / "undated.parquet"
    columns = {
        "incident_date": pa.array([None, None], pa.date32()),
        "incident_country": ["UA", "UA"], "weapon_system": [None, None],
        "maker_id": ["texas-instruments", None], "company": ["texas-instruments", None],
        "company_country": ["US", None], "date_latest": pa.array([None, None], pa.date32()),
        "exercise": [True, True], "item_state": ["draft", "draft"],
    }  # fmt: skip
    pq.write_table(pa.table(columns), path)
    trends = campaign_trends(path)
    assert (trends.components, trends.undated_components, trends.periods) == (0, 2, ())
    assert trends.lag_days_median is None


def test_bad_inputs_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CampaignError, match="cannot read as Parquet"):
        campaign_trends(tmp_path / "missing.parquet")
    pq.write_table(pa.table({"incident_date": [1]}), tmp_path / "thin.parquet")
    with pytest.raises(CampaignError, match=r"missing column.*armtrace export"):
        campaign_trends(tmp_path / "thin.parquet")
    with pytest.raises(CampaignError, match="period must be"):
        campaign_trends(tmp_path / "thin.parquet", period="week")  # type: ignore[arg-type]  # deliberately wrong
