"""The command line: exit codes, messages and machine-readable output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from armtrace.cli.app import app
from sheetdata import rows, write_csv

runner = CliRunner()


def run(store_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["--db", store_url, "--evidence", str(tmp_path / "ev"), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_import_then_status(store_url: str, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "s.csv", rows())
    code, out, _ = run(store_url, tmp_path, "import", str(sheet), "--json")
    assert code == 0 and json.loads(out)["components"] == 4
    code, _, err = run(store_url, tmp_path, "import", str(sheet))
    assert code == 0 and "nothing changed" in err
    code, out, _ = run(store_url, tmp_path, "status", "--json")
    assert json.loads(out)["components"] == 4


def test_bad_sheet_exits_non_zero_and_names_the_cell(store_url: str, tmp_path: Path) -> None:
    records = rows()
    records[1]["incident_date"] = "2024-13-01"
    code, _, err = run(store_url, tmp_path, "import", str(write_csv(tmp_path / "s.csv", records)))
    assert code == 1
    assert "row 3, column 'incident_date'" in err and "nothing was imported" in err


def test_export_and_evidence(store_url: str, tmp_path: Path) -> None:
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 chip")
    code, out, _ = run(store_url, tmp_path, "evidence", "add", str(photo), "--note", "top side")
    sha = out.split()[0]
    assert code == 0 and len(sha) == 64
    code, out, _ = run(store_url, tmp_path, "evidence", "log", sha, "--json")
    assert json.loads(out)[0]["detail"] == "top side"
    assert run(store_url, tmp_path, "evidence", "verify")[0] == 0
    run(store_url, tmp_path, "import", str(write_csv(tmp_path / "s.csv", rows())))
    code, _, err = run(store_url, tmp_path, "export", str(tmp_path / "all.jsonl"))
    assert code == 0 and "wrote 4 rows" in err


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "armtrace",
            "--db",
            f"sqlite:///{tmp_path}/x.db",
            "import",
            "nope.csv",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "nope.csv: no such file" in result.stderr and "Traceback" not in result.stderr


def test_demo_loads_the_exercise_case(tmp_path: Path, monkeypatch: object) -> None:
    import os

    env = {**os.environ, "ARMTRACE_HOME": str(tmp_path / "home")}
    args = [sys.executable, "-m", "armtrace", "demo", "--out", str(tmp_path / "out")]
    first = subprocess.run(args, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert "EXERCISE DATA" in first.stderr
    assert "identified: " in first.stdout and "by headquarters country: US" in first.stdout
    html = (tmp_path / "out" / "overview.html").read_text("utf-8")
    assert "EXERCISE DATA" in html and "EX-MSL-001" in html and "EX-RKT-1977" in html
    second = subprocess.run(args, capture_output=True, text=True, env=env)
    assert "already loaded; nothing changed" in second.stderr
