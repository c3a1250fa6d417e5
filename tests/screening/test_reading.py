"""Reading FtM files without building a proxy per entity gives what FtM's proxies give."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from followthemoney import model
from followthemoney.types import registry

from armtrace.errors import ImportRejected
from armtrace.evidence.files import sha256_file
from armtrace.screening.ftm import NAME_PROPERTIES, read_list

EXERCISE_LIST = (
    Path(__file__).resolve().parents[2] / "src/armtrace/demo/data/exercise_sanctions.ftm.json"
)


def _by_proxy(path: Path) -> dict[str, tuple[object, ...]]:
    """The kept entities as followthemoney's own proxies describe them."""
    found: dict[str, tuple[object, ...]] = {}
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        proxy = model.get_proxy(orjson.loads(line))
        if not (proxy.schema.is_a("Organization") or proxy.schema.name == "LegalEntity"):
            continue
        names = tuple(dict.fromkeys(v for p in NAME_PROPERTIES for v in proxy.get(p, quiet=True)))
        cleaned = (registry.country.clean(v) for v in proxy.get_type_values(registry.country))
        countries = tuple(sorted({c.upper() for c in cleaned if c}))
        identifiers = tuple(
            sorted(
                {f"{p.name}:{v}" for p, v in proxy.itervalues() if p.type == registry.identifier}
            )
        )
        found[str(proxy.id)] = (proxy.schema.name, proxy.caption, names, countries, identifiers)
    return found


@pytest.mark.parametrize("name", ["list_v1", "list_v2", "exercise"])
def test_entities_read_are_those_of_ftm_proxies(name: str, list_v1: Path, list_v2: Path) -> None:
    path = {"list_v1": list_v1, "list_v2": list_v2, "exercise": EXERCISE_LIST}[name]
    parsed = read_list(path)
    read = {
        e.entity_id: (e.schema, e.caption, e.names, e.countries, e.identifiers)
        for e in parsed.entities
    }
    assert read == _by_proxy(path) and read


def test_a_value_that_is_not_text_is_rejected_with_its_line_and_property(tmp_path: Path) -> None:
    path = tmp_path / "bad.ftm.json"
    good = {"id": "a", "schema": "Company", "properties": {"name": ["Test Co (fictitious)"]}}
    bad = {"id": "b", "schema": "Company", "properties": {"name": ["Test"], "country": [7]}}
    path.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n")
    with pytest.raises(ImportRejected) as caught:
        read_list(path)
    message = str(caught.value)
    assert "row 2, column 'country'" in message and "not text" in message
    assert "row 1" not in message


def test_list_hash_is_the_files_sha256(tmp_path: Path) -> None:
    # Hashed while the lines are read; a last line without a newline and blank lines count too.
    path = tmp_path / "list.ftm.json"
    path.write_bytes(EXERCISE_LIST.read_bytes().rstrip(b"\n") + b"\n\n" + b"   ")
    assert read_list(path).sha256 == sha256_file(path)
