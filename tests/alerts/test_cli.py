"""armtrace alerts: subscribe, list, worker, feed, events, unsubscribe from the command line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
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


def test_alerts_commands_end_to_end(store_url: str, tmp_path: Path) -> None:
    code, out, _ = run(
        store_url, tmp_path, "alerts", "subscribe", "--user", "ana", "weapon_system", "KN-23",
        "--json",
    )  # fmt: skip
    assert code == 0
    made = json.loads(out)
    assert made["topic"] == "weapon_system" and made["values"] == ["KN-23"]
    assert made["channel"] == "feed" and "secret" not in made
    code, out, _ = run(store_url, tmp_path, "alerts", "subscribe", "--user", "ana", "country",
                       "UA", "--webhook", "https://hooks.example.org/a")  # fmt: skip
    assert code == 0 and "webhook secret (shown once): " in out
    sheet = write_csv(tmp_path / "s.csv", rows(weapon_system="KN-23"))
    assert run(store_url, tmp_path, "import", str(sheet))[0] == 0
    assert run(store_url, tmp_path, "alerts", "worker", "--once")[0] == 0
    code, out, _ = run(store_url, tmp_path, "alerts", "feed", "--user", "ana")
    entries = ET.fromstring(out).findall("{http://www.w3.org/2005/Atom}entry")
    categories = sorted(
        c.get("term", "")
        for e in entries
        for c in e.findall("{http://www.w3.org/2005/Atom}category")
    )
    # The new item, and the first sightings in UA of its weapon system and of its item type.
    assert code == 0 and categories == ["first_sighting", "first_sighting", "item.documented"]
    code, out, _ = run(store_url, tmp_path, "alerts", "events", "--kind", "item.documented",
                       "--json")  # fmt: skip
    events = json.loads(out)
    assert [e["payload"]["item"] for e in events] == ["KH-0001"]
    # The feed one is sent; the webhook to a host that does not resolve waits for a retry.
    assert events[0]["deliveries"] == {"sent": 1, "pending": 1}
    code, out, _ = run(store_url, tmp_path, "alerts", "list", "--json")
    assert [s["id"] for s in json.loads(out)] == [made["id"], made["id"] + 1]
    assert run(store_url, tmp_path, "alerts", "unsubscribe", str(made["id"]))[0] == 0
    code, out, _ = run(store_url, tmp_path, "alerts", "list", "--user", "ana", "--json")
    assert [s["id"] for s in json.loads(out)] == [made["id"] + 1]
    code, out, _ = run(store_url, tmp_path, "alerts", "feed", "--user", "ana", "--new-key")
    assert code == 0 and "feed key for ana (shown once): " in out


def test_bad_subscription_exits_non_zero_with_the_reason(store_url: str, tmp_path: Path) -> None:
    code, _, err = run(store_url, tmp_path, "alerts", "subscribe", "--user", "ana", "country",
                       "Ukraine")  # fmt: skip
    assert code == 1 and "not ISO 3166 alpha-2 country codes: UKRAINE" in err
    code, _, err = run(store_url, tmp_path, "alerts", "unsubscribe", "99")
    assert code == 1 and "no subscription 99" in err
