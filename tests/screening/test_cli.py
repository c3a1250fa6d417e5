"""armtrace screen: load, run, name, judge, matches, lists (JSON output and exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from armtrace.cli.app import app

runner = CliRunner()
EXERCISE = (
    Path(__file__).resolve().parents[2]
    / "src" / "armtrace" / "demo" / "data" / "exercise_sanctions.ftm.json"
)  # fmt: skip


def run(store_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["--db", store_url, "--evidence", str(tmp_path / "ev"), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_load_run_name_and_judge(store_url: str, tmp_path: Path) -> None:
    code, out, _ = run(store_url, tmp_path, "screen", "load", str(EXERCISE), "--json")
    assert code == 0
    loaded = json.loads(out)
    assert loaded["version"]["dataset"] == "armtrace_exercise"
    assert loaded["kept"] == {"Company": 3, "Organization": 1} and loaded["skipped"] == {
        "Person": 1
    }
    code, out, _ = run(store_url, tmp_path, "screen", "load", str(EXERCISE), "--json")
    assert json.loads(out)["already_loaded"] is True

    code, out, _ = run(store_url, tmp_path, "screen", "name", "演习北极星元件贸易有限公司",
                       "--country", "HK", "--date", "2023-08-02", "--json")  # fmt: skip
    assert code == 0
    (match,) = json.loads(out)["matches"]
    assert match["caption"] == "Exercise Northstar Components Trading Co., Limited"
    assert match["listed_since"] == "2023-05-19" and match["transfer_after_listing"] is True
    assert match["names_compared"][0] == "演习北极星元件贸易有限公司"

    name = "Exercise Polyarnik Trade Limited Liability Company"
    code, out, _ = run(store_url, tmp_path, "screen", "run", "--name", name, "--country", "RU",
                       "--json")  # fmt: skip
    assert code == 0
    result = json.loads(out)
    (found,) = result["matches"]
    assert found["entity_id"] == "ex-polyarnik"
    assert [m["match_id"] for m in result["changes"]["new"]] == [found["match_id"]]

    code, out, _ = run(store_url, tmp_path, "screen", "judge", found["match_id"], "no-match",
                       "--note", "different registration", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["verdict"] == "no-match"
    code, out, _ = run(store_url, tmp_path, "screen", "matches", "--json")
    (stored,) = json.loads(out)["matches"]
    assert stored["judgement"]["verdict"] == "no-match"
    assert stored["judgement"]["note"] == "different registration"
    code, out, _ = run(store_url, tmp_path, "screen", "lists", "--json")
    assert [v["current"] for v in json.loads(out)["lists"]] == [True]


def test_errors_exit_one_with_a_message(store_url: str, tmp_path: Path) -> None:
    code, _, err = run(store_url, tmp_path, "screen", "run")
    assert code == 1 and "no sanctions list loaded" in err
    bad = tmp_path / "bad.ftm.json"
    bad.write_text('{"id": "a", "schema": "Nothing", "properties": {}}\n', encoding="utf-8")
    code, _, err = run(store_url, tmp_path, "screen", "load", str(bad))
    assert code == 1 and "row 1" in err and "unknown FtM schema" in err
    run(store_url, tmp_path, "screen", "load", str(EXERCISE))
    code, _, err = run(store_url, tmp_path, "screen", "judge", "feedfeedfeedfeed", "match")
    assert code == 1 and "no screening match" in err
