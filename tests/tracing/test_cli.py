"""armtrace trace: the whole workflow from the command line, JSON output and error exits."""

from __future__ import annotations

import json
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


def test_request_lifecycle_chain_and_letter(store_url: str, tmp_path: Path) -> None:
    run(store_url, tmp_path, "import", str(write_csv(tmp_path / "s.csv", rows())))
    code, out, _ = run(
        store_url,
        tmp_path,
        "trace",
        "request",
        "create",
        "--to",
        "Testfall Bauteile Vertrieb GmbH",
        "--kind",
        "distributor",
        "--country",
        "DE",
        "--item",
        "KH-0001",
        "--component",
        "C3",
        "--component",
        "C4",
        "--json",
    )
    assert code == 0
    created = json.loads(out)
    assert created["state"] == "draft" and len(created["components"]) == 2
    key = created["key"]
    assert run(store_url, tmp_path, "trace", "request", "send", key, "--on", "2024-03-01")[0] == 0
    code, out, _ = run(
        store_url, tmp_path, "trace", "list", "--overdue", "--json", "--as-of", "2024-03-29"
    )
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(
        store_url, tmp_path, "trace", "list", "--overdue", "--json", "--as-of", "2024-03-30"
    )
    assert [r["key"] for r in json.loads(out)] == [key]
    doc = tmp_path / "answer.pdf"
    doc.write_bytes(b"%PDF-1.4 answer")
    code, out, _ = run(
        store_url,
        tmp_path,
        "trace",
        "request",
        "answer",
        key,
        "--text",
        "Sold to Testcase Harbour Trading.",
        "--document",
        str(doc),
        "--on",
        "2024-03-20",
        "--json",
    )
    assert code == 0 and json.loads(out)["state"] == "answered"
    code, out, _ = run(
        store_url,
        tmp_path,
        "trace",
        "transfer",
        "add",
        "--from",
        "Testfall Bauteile Vertrieb GmbH",
        "--from-country",
        "DE",
        "--to",
        "Testcase Harbour Trading Co., Limited",
        "--to-country",
        "HK",
        "--date",
        "2023-08-14",
        "--request",
        key,
        "--json",
    )
    assert code == 0 and json.loads(out)["request_key"] == key
    run(
        store_url,
        tmp_path,
        "trace",
        "terms",
        "Testfall Bauteile Vertrieb GmbH",
        "--not-named",
        "--kind",
        "distributor",
        "--country",
        "DE",
    )
    code, out, _ = run(store_url, tmp_path, "trace", "chain", "KH-0001", "--json")
    [chain] = json.loads(out)["chains"]
    assert [n["name"] for n in chain["nodes"]][:2] == [
        "Testfall Bauteile Vertrieb GmbH",
        "Testcase Harbour Trading Co., Limited",
    ]
    assert chain["suggested_diversion"]["by"] == "goes-dark"
    code, out, _ = run(
        store_url,
        tmp_path,
        "trace",
        "chain",
        "KH-0001",
        "--json",
        "--public",
        "--svg",
        str(tmp_path / "c.svg"),
    )
    assert "Testfall" not in out and "a distributor in Germany" in out
    assert "Testfall" not in (tmp_path / "c.svg").read_text()
    code, out, _ = run(store_url, tmp_path, "trace", "request", "show", key, "--public")
    assert "Testfall" not in out
    code, out, _ = run(store_url, tmp_path, "trace", "companies", "--json")
    assert {c["country"] for c in json.loads(out)} == {"DE", "HK"}
    code, out, _ = run(
        store_url, tmp_path, "trace", "letter", key, "-o", str(tmp_path / "letter.pdf")
    )
    assert code == 0 and (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF-")
    code, out, _ = run(
        store_url,
        tmp_path,
        "trace",
        "request",
        "reply",
        key,
        "--summary",
        "A distributor sold to a trader.",
        "--json",
    )
    assert json.loads(out)["reply"]["state"] == "reply_sent"


def test_illegal_transition_exits_1_with_message(store_url: str, tmp_path: Path) -> None:
    run(store_url, tmp_path, "import", str(write_csv(tmp_path / "s.csv", rows())))
    run(
        store_url,
        tmp_path,
        "trace",
        "request",
        "create",
        "--to",
        "X GmbH",
        "--kind",
        "distributor",
        "--item",
        "KH-0001",
        "--component",
        "C1",
    )
    code, _, err = run(store_url, tmp_path, "trace", "request", "answer", "TR-0001", "--text", "x")
    assert code == 1 and "cannot answer a request that is draft" in err
    code, _, err = run(store_url, tmp_path, "trace", "request", "send", "TR-0404")
    assert code == 1 and "no trace request" in err
    code, _, _ = run(store_url, tmp_path, "trace", "request", "reply", "TR-0001")
    assert code == 2  # exactly one of --summary, --received, --lapsed
