"""Supply-chain summaries of real-looking items, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armtrace.cli  # noqa: F401 - registers the commands on the app
from analysis.analysis_cases import load_case
from armtrace.cli.app import app
from armtrace.errors import NotFound
from armtrace.reports.summary import Scope, summarise
from armtrace.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> Store:
    load_case(store, tmp_path)
    return store


def test_item_summary_counts_companies_countries_and_unknowns(case: Store) -> None:
    data = summarise(case, Scope(item_key="KH-0107")).as_json()
    assert (data["components"], data["identified"], data["unidentified"]) == (12, 10, 2)
    assert data["identified_by"] == {"machine": 8, "analyst": 2}
    # TI, Analog Devices (with Maxim), Infineon (with IR), Winbond, ST, Samsung, and one
    # analyst-named company the registry does not know.
    assert data["companies"] == 7
    assert data["by_country"] == {"US": 4, "DE": 2, "CH": 1, "KR": 1, "TW": 1}
    assert data["countries"] == 5
    assert data["country_unknown"] == 1
    assert data["share_by_country"]["US"] == 44  # 4 of the 9 with a known country


def test_companies_by_maker_at_the_time_and_by_current_owner(case: Store) -> None:
    data = summarise(case, Scope(item_key="KH-0107")).as_json()
    # International Rectifier parts count for Infineon, its owner on the incident date.
    assert data["by_company"]["infineon"] == 2
    assert "international-rectifier" not in data["by_company"]
    assert data["by_maker"]["international-rectifier"] == 1
    # Maxim was Analog Devices' by 2024; the brand's current owner is Analog Devices too.
    assert data["by_company"]["analog-devices"] == 2
    assert data["by_current_owner"]["analog-devices"] == 2
    assert data["by_company"]["Obscure Widget Works (fictitious)"] == 1


def test_origin_markings_are_kept_apart_from_headquarters(case: Store) -> None:
    data = summarise(case, Scope(item_key="KH-0107")).as_json()
    assert data["origin_markings"] == {"CN": 1, "MY": 1, "TW": 1}
    assert "MY" not in data["by_country"] and "CN" not in data["by_country"]


def test_date_code_spread_and_tiers(case: Store) -> None:
    data = summarise(case, Scope(item_key="KH-0107")).as_json()
    dates = data["date_codes"]
    assert dates["latest"] == "2023-01-02"
    assert dates["earliest"] <= "2021-09-27"  # the Samsung part, 2139
    assert sum(dates["by_quarter"].values()) == dates["dated"]
    assert dates["by_quarter"]["2023-Q1"] == 2
    assert dates["earliest"] <= dates["median"] <= dates["latest"]
    assert sum(data["chpl_tiers"].values()) == 12
    assert data["chpl_tiers"]["1"] >= 1  # the microcontroller (HS 8542.31)


def test_sentence_says_countries_and_territories_unknowns_and_dating(case: Store) -> None:
    sentence = summarise(case, Scope(item_key="KH-0107")).sentence
    assert sentence.startswith("12 components from 7 companies in 5 countries and territories")
    assert "44% of the 9 identified with a known country" in sentence
    assert "the United States" in sentence
    assert "maker unknown for 2 components" in sentence
    assert "assembled no earlier than 2 January 2023" in sentence


def test_item_with_no_identified_components(case: Store) -> None:
    summary = summarise(case, Scope(item_key="ZP-0032"))
    data = summary.as_json()
    assert (data["components"], data["identified"], data["companies"]) == (2, 0, 0)
    assert data["by_country"] == {}
    assert "none identified" in summary.sentence


def test_item_without_components_still_dated(case: Store) -> None:
    summary = summarise(case, Scope(item_key="DN-0001"))
    assert summary.tally.components == 0
    assert summary.assembled_not_before == datetime.date(1977, 1, 1)
    assert "No documented components" in summary.sentence


def test_empty_scope(case: Store) -> None:
    summary = summarise(case, Scope(weapon_system="Shahed-136"))
    data = summary.as_json()
    assert (data["components"], data["companies"], data["countries"]) == (0, 0, 0)
    assert data["assembled_not_before"] is None
    assert summary.sentence == "No documented components in this scope (weapon system Shahed-136)."


def test_unknown_item_is_an_error(case: Store) -> None:
    with pytest.raises(NotFound, match="NO-SUCH"):
        summarise(case, Scope(item_key="NO-SUCH"))


@pytest.mark.parametrize(
    ("scope", "components"),
    [
        (Scope(weapon_system="kn-23"), 12),
        (Scope(incident_key="UA-ZP-2024-03-15"), 4),
        (Scope(country="UA"), 21),
        (Scope(country="PL"), 0),
        (Scope(since=datetime.date(2024, 4, 1)), 17),
        (Scope(until=datetime.date(2024, 4, 1)), 4),
        (Scope(manufacturer_id="analog-devices"), 4),  # 3 Analog Devices parts, 1 Maxim part
        (Scope(published_only=True), 0),  # nothing published yet
    ],
)
def test_scopes(case: Store, scope: Scope, components: int) -> None:
    assert summarise(case, scope).tally.components == components


def test_exercise_data_is_labelled(store: Store, tmp_path: Path) -> None:
    from analysis.analysis_cases import KHARKIV, REMARKED, item_rows

    load_case(
        store, tmp_path, [{**r, "exercise": "yes"} for r in item_rows(KHARKIV, "EX-1", REMARKED)]
    )
    assert summarise(store, Scope(item_key="EX-1")).sentence.startswith("EXERCISE DATA: ")


def test_cli_summary_json(case: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", case.settings.db_url, "--evidence", str(tmp_path / "ev")]
    result = runner.invoke(app, [*args, "summary", "KH-0107", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("components", "identified", "companies", "countries", "by_country"):
        assert key in data
    assert data["assembled_not_before"] == "2023-01-02"
    table = runner.invoke(app, [*args, "summary", "--weapon-system", "KN-23"])
    assert table.exit_code == 0 and "Infineon" in table.stdout
    missing = runner.invoke(app, [*args, "summary", "NO-SUCH"])
    assert missing.exit_code == 1 and "NO-SUCH" in missing.stderr


def test_cli_snapshot_dating_and_sightings(case: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", case.settings.db_url, "--evidence", str(tmp_path / "ev")]
    snap = tmp_path / "snap"
    assert runner.invoke(app, [*args, "snapshot", str(snap)]).exit_code == 0
    result = runner.invoke(app, [*args, "summary", "--country", "UA", "--snapshot", str(snap),
                                 "--json"])  # fmt: skip
    data = json.loads(result.stdout)
    assert (data["engine"], data["components"]) == ("duckdb", 21)
    dating = json.loads(runner.invoke(app, [*args, "dating", "KH-0108", "--json"]).stdout)
    assert dating["assembled_not_before"] == "2020-05-11"
    assert [o["component"] for o in dating["outliers"]] == ["C05"]
    lines = runner.invoke(app, [*args, "sightings", "--json"]).stdout.splitlines()
    assert any(json.loads(line)["value"] == "1977" for line in lines)
