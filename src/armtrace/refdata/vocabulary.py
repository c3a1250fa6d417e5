"""Typed loaders for the bundled vocabularies: HS codes, the CHPL, component kinds, item types
and weapon systems (the YAML files in ``refdata/data``).

Invariants:
- Every loader validates its whole file and raises ``ReferenceDataError`` naming the file and
  the record; a record that asserts a fact (an HS mapping, a weapon system) carries sources.
- HS codes are six ASCII digits without dots; every code a kind or the CHPL names is in
  hs_codes.yaml; every weapon system's item type is in item_types.yaml.
- Free-text matching is case- and punctuation-insensitive and on whole words; the longest
  matching alias wins. An alias shared by several weapon systems (e.g. "KN-23/24") is
  ambiguous: ``weapon_system_for_text`` returns None and ``weapon_systems_for_text`` all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from armtrace.errors import ReferenceDataError

DATA_DIR = Path(__file__).parent / "data"
_HS_CODE = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[\W_]+")
_MAX_WINDOW = 6  # no alias is longer than six words
_INFLECTION = 3  # letters a long word may gain by inflection ("мікроконтролера", "capacitors")


@dataclass(frozen=True)
class Source:
    url: str
    supports: str | None = None


@dataclass(frozen=True)
class HSCode:
    code: str
    description: str
    condensed: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ChplTier:
    id: str
    name: str
    definition: str


@dataclass(frozen=True)
class ChplItem:
    code: str
    tier: str
    description: str


@dataclass(frozen=True)
class Chpl:
    version: str
    tiers: tuple[ChplTier, ...]
    items: tuple[ChplItem, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ComponentKind:
    id: str
    name: str
    aliases: tuple[str, ...]
    hs_codes: tuple[str, ...]
    hs_note: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ItemType:
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class RelatedSystem:
    id: str
    relation: str


@dataclass(frozen=True)
class WeaponSystem:
    id: str
    name: str
    aliases: tuple[str, ...]
    item_type: str
    origin_country: str
    related: tuple[RelatedSystem, ...]
    sources: tuple[Source, ...]


def _tokens(text: str) -> list[str]:
    folded = text.casefold().replace("\u0451", "\u0435").replace("\u03bc", "u")
    return [token for token in _SEPARATORS.split(folded) if token]


def _document(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(document, dict):
        raise ReferenceDataError(f"{path.name}: expected a mapping at the top level")
    return document


def _read(path: Path, key: str, document: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    records = (document if document is not None else _document(path)).get(key)
    if not isinstance(records, list):
        raise ReferenceDataError(f"{path.name}: expected a top-level list '{key}'")
    if bad := [index for index, record in enumerate(records) if not isinstance(record, dict)]:
        raise ReferenceDataError(f"{path.name}: {key}[{bad[0]}] is not a mapping")
    return records


def _fail(path: Path, record: dict[str, Any], reason: str) -> ReferenceDataError:
    name = record.get("id") or record.get("code") or "?"
    return ReferenceDataError(f"{path.name}: record '{name}': {reason}")


def _sources(path: Path, record: dict[str, Any], raw: object) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, record, "has no sources; add at least one {url, supports}")
    found = tuple(
        Source(str(s.get("url", "")), s.get("supports")) for s in raw if isinstance(s, dict)
    )
    if len(found) != len(raw) or any(not s.url.startswith(("http://", "https://")) for s in found):
        raise _fail(path, record, "every source needs an http(s) url")
    return found


def _aliases(record: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(alias) for alias in record.get("aliases") or [])


def _unique_ids(path: Path, records: Iterable[dict[str, Any]], key: str = "id") -> None:
    seen: set[str] = set()
    for record in records:
        value = str(record.get(key) or "")
        if not value or value in seen:
            raise _fail(path, record, f"missing or duplicate {key}")
        seen.add(value)


@cache
def load_hs_codes(path: Path = DATA_DIR / "hs_codes.yaml") -> dict[str, HSCode]:
    """Load the HS-2022 subheadings armtrace uses, keyed by six-digit code."""
    records = _read(path, "codes")
    _unique_ids(path, records, "code")
    codes = {}
    for r in records:
        if not _HS_CODE.match(str(r["code"])) or not r.get("description"):
            raise _fail(path, r, "code must be six digits and have a description")
        sources = _sources(path, r, r.get("sources"))
        codes[r["code"]] = HSCode(r["code"], r["description"], bool(r.get("condensed")), sources)
    return codes


def _known_codes(path: Path, record: dict[str, Any], codes: Iterable[str]) -> tuple[str, ...]:
    hs_codes = load_hs_codes()
    for code in codes:
        if str(code) not in hs_codes:
            raise _fail(path, record, f"HS code '{code}' is not in hs_codes.yaml")
    return tuple(str(code) for code in codes)


@cache
def load_chpl(path: Path = DATA_DIR / "chpl.yaml") -> Chpl:
    """Load the Common High Priority List with its tiers and the publication it comes from."""
    document = _document(path)
    tiers = tuple(
        ChplTier(str(t.get("id")), str(t.get("name")), str(t.get("definition")))
        for t in _read(path, "tiers", document)
    )
    records = _read(path, "items", document)
    _unique_ids(path, records, "code")
    tier_ids = {tier.id for tier in tiers}
    items = []
    for r in records:
        _known_codes(path, r, [r["code"]])
        if r.get("tier") not in tier_ids:
            raise _fail(path, r, f"unknown tier '{r.get('tier')}'")
        items.append(ChplItem(r["code"], r["tier"], str(r.get("description", ""))))
    sources = _sources(path, {"id": "(file)"}, document.get("sources"))
    return Chpl(str(document.get("version", "")), tiers, tuple(items), sources)


def chpl_tier(hs_code: str) -> str | None:
    """Return the CHPL tier ("1", "2", "3.A", ...) of an HS code (dots allowed), or None."""
    six = hs_code.replace(".", "").replace(" ", "")[:6]
    return next((item.tier for item in load_chpl().items if item.code == six), None)


@cache
def load_component_kinds(
    path: Path = DATA_DIR / "component_kinds.yaml",
) -> dict[str, ComponentKind]:
    """Load component kinds, keyed by id, checking their HS codes against hs_codes.yaml."""
    records = _read(path, "kinds")
    _unique_ids(path, records)
    kinds = {}
    for r in records:
        hs_codes = _known_codes(path, r, r.get("hs_codes") or [])
        sources = _sources(path, r, r.get("sources")) if hs_codes else ()
        name, note = r.get("name", r["id"]), r.get("hs_note")
        kinds[r["id"]] = ComponentKind(r["id"], name, _aliases(r), hs_codes, note, sources)
    index = _index((alias, k.id) for k in kinds.values() for alias in (k.name, *k.aliases))
    if clash := next((key for key, ids in index.items() if len(ids) > 1), None):
        raise ReferenceDataError(f"{path.name}: alias '{clash}' names {sorted(index[clash])}")
    return kinds


@cache
def load_item_types(path: Path = DATA_DIR / "item_types.yaml") -> dict[str, ItemType]:
    """Load item types (ballistic missile, FPV drone, ...), keyed by id."""
    records = _read(path, "item_types")
    _unique_ids(path, records)
    return {r["id"]: ItemType(r["id"], r["name"], _aliases(r)) for r in records}


def _country(path: Path, record: dict[str, Any]) -> str:
    code = str(record.get("origin_country") or "")
    countries = (pycountry.countries, pycountry.historic_countries)
    if not any(registry.get(alpha_2=code) for registry in countries):
        raise _fail(path, record, f"origin_country '{code}' is not an ISO 3166 alpha-2 code")
    return code


@cache
def load_weapon_systems(path: Path = DATA_DIR / "weapon_systems.yaml") -> dict[str, WeaponSystem]:
    """Load weapon systems, keyed by id, checking item types, countries and related ids."""
    records = _read(path, "weapon_systems")
    _unique_ids(path, records)
    item_types, ids = load_item_types(), {r["id"] for r in records}
    systems = {}
    for r in records:
        if r.get("item_type") not in item_types:
            raise _fail(path, r, f"unknown item_type '{r.get('item_type')}'")
        related = tuple(
            RelatedSystem(x["id"], x.get("relation", "")) for x in r.get("related") or []
        )
        if unknown := [x.id for x in related if x.id not in ids]:
            raise _fail(path, r, f"related system(s) {unknown} not in this file")
        country, sources = _country(path, r), _sources(path, r, r.get("sources"))
        systems[r["id"]] = WeaponSystem(
            r["id"], r["name"], _aliases(r), r["item_type"], country, related, sources
        )
    return systems


def _index(entries: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    index: dict[str, frozenset[str]] = {}
    for alias, value in entries:
        key = "".join(_tokens(alias))
        index[key] = index.get(key, frozenset()) | {value}
    return index


def _best_match(text: str, index: dict[str, frozenset[str]], inflect: bool) -> frozenset[str]:
    """Values of the longest alias found as whole words in text (compared without spaces)."""
    tokens, best, found = _tokens(text), 0, frozenset[str]()
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + _MAX_WINDOW, len(tokens)) + 1):
            window = "".join(tokens[start:end])
            candidates = [window]
            if inflect and window[-1].isalpha():
                candidates += [window[:-n] for n in range(1, _INFLECTION + 1)]
            for key in candidates:
                long_enough = key == window or len(key) >= 6
                if long_enough and key in index and len(key) > best:
                    best, found = len(key), index[key]
    return found


@cache
def _kind_index() -> dict[str, frozenset[str]]:
    kinds = load_component_kinds().values()
    return _index((alias, k.id) for k in kinds for alias in (k.name, *k.aliases))


def kind_for_text(text: str) -> ComponentKind | None:
    """Return the component kind a free-text description names ("Microcontroller 32-bit")."""
    found = _best_match(text, _kind_index(), inflect=True)
    return load_component_kinds()[next(iter(found))] if len(found) == 1 else None


def hs_for_kind(kind_id: str) -> tuple[str, ...]:
    """Return the HS codes a component kind is classified under (empty when form-dependent)."""
    return load_component_kinds()[kind_id].hs_codes


@cache
def _system_index() -> dict[str, frozenset[str]]:
    systems = load_weapon_systems().values()
    return _index((alias, s.id) for s in systems for alias in (s.name, *s.aliases))


def weapon_systems_for_text(text: str) -> tuple[WeaponSystem, ...]:
    """Return every weapon system the longest alias in text can name (two for "KN-23/24")."""
    systems = load_weapon_systems()
    return tuple(systems[i] for i in sorted(_best_match(text, _system_index(), inflect=False)))


def weapon_system_for_text(text: str) -> WeaponSystem | None:
    """Return the one weapon system text names ("Shahed-136", "Герань-2"), or None."""
    found = weapon_systems_for_text(text)
    return found[0] if len(found) == 1 else None
