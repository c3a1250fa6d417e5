"""The manufacturer registry: bundled YAML records, validated, indexed and followed over time.

Invariants (checked on load; any breach raises ``ReferenceDataError`` naming file and id):
- every record has at least one source, and every filled field is supported by a source;
- ids are unique slugs across all files; every successor id exists; successors form no cycle;
- countries are ISO 3166-1 alpha-2; dates are real ISO dates, aligned to their precision
  (a month-precision date is the 1st of the month, a year-precision date is 1 January);
- prefixes are upper case; kinds come from ``KINDS``.
The record format is described in docs/refdata.md.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from armtrace.errors import NotFound, ReferenceDataError
from armtrace.refdata.countries import is_country_code
from armtrace.refdata.names import compact_company_name

KINDS = frozenset((
    "semiconductor", "memory", "fpga", "mcu", "analog", "power", "rf", "gnss", "sensor",
    "optoelectronic", "passive", "crystal", "connector", "module", "motor", "engine", "battery",
    "camera", "distributor", "other",
))  # fmt: skip
EVENTS = frozenset({"acquired", "merged", "renamed", "spun-off-from"})
PRECISIONS = frozenset({"day", "month", "year", "unknown"})
SUPPORTABLE = frozenset(
    {"name", "country", "aliases", "former_names", "logos", "prefixes", "kinds", "successor"}
)


@dataclass(frozen=True)
class Source:
    """A public document and the facts of a record it supports."""

    url: str
    supports: tuple[str, ...]


@dataclass(frozen=True)
class Succession:
    """The company that took a maker over, and when (``date`` is None when unknown)."""

    successor_id: str
    date: datetime.date | None
    date_precision: str
    event: str

    def effective_from(self) -> datetime.date | None:
        """First day on which the takeover had certainly happened (end of an imprecise period)."""
        if self.date is None:
            return None
        if self.date_precision == "year":
            return datetime.date(self.date.year + 1, 1, 1)
        if self.date_precision == "month":
            last_day = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=last_day) + datetime.timedelta(days=1)
        return self.date


@dataclass(frozen=True)
class Manufacturer:
    """One company whose parts are found in documented items."""

    id: str
    name: str
    short: str
    country: str | None
    aliases: tuple[str, ...]
    former_names: tuple[tuple[str, datetime.date | None], ...]
    logos: tuple[str, ...]
    prefixes: tuple[str, ...]
    kinds: tuple[str, ...]
    successor: Succession | None
    sources: tuple[Source, ...]
    file: str


class _PrefixNode:
    """One character of the prefix trie: what may follow, and makers whose prefix ends here."""

    __slots__ = ("children", "maker_ids")

    def __init__(self) -> None:
        self.children: dict[str, _PrefixNode] = {}
        self.maker_ids: tuple[str, ...] = ()  # sorted by id


def _logo_key(text: str) -> str:
    """Compare logos as OCR reads them: case, spaces and punctuation do not matter."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Registry:
    """All manufacturer records, with look-ups by name, logo, part-number prefix and date."""

    def __init__(self, manufacturers: Iterable[Manufacturer]) -> None:
        self._by_id = {maker.id: maker for maker in manufacturers}
        # Name keys ranked: an exact name beats an alias beats a former name.
        self._names: dict[str, list[tuple[int, str]]] = {}
        self._logos: dict[str, list[str]] = {}
        self._prefixes: dict[str, list[str]] = {}
        for maker in self._by_id.values():
            ranked = [(0, maker.id), (1, maker.name), (2, maker.short)]
            ranked += [(3, alias) for alias in maker.aliases]
            ranked += [(4, former) for former, _ in maker.former_names]
            for rank, text in ranked:
                key = compact_company_name(text)
                if key:
                    self._names.setdefault(key, []).append((rank, maker.id))
            for logo in maker.logos:
                self._logos.setdefault(_logo_key(logo), []).append(maker.id)
            for prefix in maker.prefixes:
                self._prefixes.setdefault(prefix, []).append(maker.id)
        # Prefixes as a character trie: a look-up walks the part number once and stops at the
        # first character no prefix continues with, instead of trying every length.
        self._owners: dict[str, Manufacturer] = {}  # current_owner, filled as asked
        self._prefix_trie = _PrefixNode()
        for prefix, maker_ids in self._prefixes.items():
            node = self._prefix_trie
            for ch in prefix:
                node = node.children.setdefault(ch, _PrefixNode())
            node.maker_ids = tuple(sorted(maker_ids))

    def get(self, id: str) -> Manufacturer:
        """Return the record with this id; raises ``NotFound``."""
        try:
            return self._by_id[id]
        except KeyError:
            raise NotFound(f"no manufacturer with id {id!r} in the registry") from None

    def __iter__(self) -> Iterator[Manufacturer]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def resolve_name(self, name: str) -> Manufacturer | None:
        """Find a maker by id, name, short name, alias or former name, after normalisation."""
        candidates = self._names.get(compact_company_name(name))
        if not candidates:
            return None
        # Among equally good matches prefer the company that still exists under that name.
        best = min(candidates, key=lambda c: (c[0], self._by_id[c[1]].successor is not None, c[1]))
        return self._by_id[best[1]]

    def name_keys(self) -> frozenset[str]:
        """Every key ``resolve_name`` finds a maker by (``compact_company_name`` forms)."""
        return frozenset(self._names)

    def by_logo(self, text: str) -> list[Manufacturer]:
        """Makers whose logo reads as ``text`` (case, spaces and punctuation ignored)."""
        return [self._by_id[i] for i in sorted(set(self._logos.get(_logo_key(text), [])))]

    def by_prefix(self, part_number: str) -> list[tuple[Manufacturer, str]]:
        """Makers whose prefixes start ``part_number``, longest matching prefix first."""
        part = part_number.strip().upper()
        ends: list[tuple[int, tuple[str, ...]]] = []
        node = self._prefix_trie
        for length, ch in enumerate(part, start=1):
            child = node.children.get(ch)
            if child is None:
                break
            node = child
            if node.maker_ids:
                ends.append((length, node.maker_ids))
        return [
            (self._by_id[maker_id], part[:length])
            for length, maker_ids in reversed(ends)
            for maker_id in maker_ids
        ]

    def owner_chain(self, id: str) -> list[Manufacturer]:
        """The maker followed by each successor in turn, ending with the current owner."""
        chain = [self.get(id)]
        while (succession := chain[-1].successor) is not None:
            chain.append(self.get(succession.successor_id))
        return chain

    def current_owner(self, id: str) -> Manufacturer:
        """The company that owns the brand today (the maker itself if never taken over)."""
        owner = self._owners.get(id)
        if owner is None:  # records never change once loaded, so the chain is walked once
            owner = self._owners[id] = self.owner_chain(id)[-1]
        return owner

    def owner_on(self, id: str, when: datetime.date) -> Manufacturer:
        """Who owned the brand on ``when``; an undated or uncertain takeover does not count."""
        owner = self.get(id)
        while (succession := owner.successor) is not None:
            effective = succession.effective_from()
            if effective is None or when < effective:
                break
            owner = self.get(succession.successor_id)
        return owner


def bundled_paths() -> list[Path]:
    """The manufacturer files shipped with armtrace, in name order."""
    folder = resources.files("armtrace.refdata") / "data" / "manufacturers"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def load_registry(paths: Iterable[Path] | None = None) -> Registry:
    """Load and validate manufacturer files (default: all bundled files, loaded once)."""
    if paths is None:
        return _bundled_registry()
    return _load(tuple(Path(p) for p in paths))


@functools.cache
def _bundled_registry() -> Registry:
    return _load(tuple(bundled_paths()))


def _load(paths: tuple[Path, ...]) -> Registry:
    records: list[Manufacturer] = []
    seen: dict[str, str] = {}
    for path in paths:
        for maker in _parse_file(path):
            if maker.id in seen:
                raise ReferenceDataError(
                    f"{path}: record {maker.id!r}: duplicate id (also in {seen[maker.id]})"
                )
            seen[maker.id] = str(path)
            records.append(maker)
    _check_successors(records)
    return Registry(records)


# libyaml's parser when PyYAML has it (its wheels do): the registry's files parse about ten times
# faster than with the pure-Python parser, which cost every identification command a second.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_SafeLoader):  # type: ignore[valid-type,misc]  # chosen at import time
    """Safe YAML where only true/false are booleans (country NO and alias ON stay text) and
    dates stay text until checked, so a bad date is reported with its record id."""


_PLAIN_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _PLAIN_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_FIELDS = frozenset(
    {"id", "name", "short", "country", "aliases", "former_names", "logos", "prefixes", "kinds",
     "successor", "sources"}
)  # fmt: skip
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _parse_file(path: Path) -> list[Manufacturer]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: cannot read manufacturer file: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ReferenceDataError(f"{path}: expected a YAML list of records, got {type(data)}")
    makers = []
    for index, record in enumerate(data, start=1):
        where = (
            f"{path}: record {record.get('id', f'#{index}')!r}"
            if isinstance(record, dict)
            else f"{path}: record #{index}"
        )
        try:
            makers.append(_parse_record(record, path.name))
        except _Invalid as exc:
            raise ReferenceDataError(f"{where}: {exc} (see docs/refdata.md)") from None
    return makers


class _Invalid(Exception):
    """One rule broken by one record; turned into ``ReferenceDataError`` with file and id."""


def _parse_record(record: object, file: str) -> Manufacturer:
    if not isinstance(record, dict):
        raise _Invalid("a record must be a mapping")
    unknown = set(record) - _FIELDS
    if unknown:
        raise _Invalid(f"unknown field(s) {sorted(unknown)}")
    maker_id = _text(record, "id")
    if not _ID_PATTERN.match(maker_id):
        raise _Invalid(f"id {maker_id!r} is not a lowercase hyphenated slug")
    country = record.get("country")
    if country is not None and not is_country_code(country):
        raise _Invalid(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    kinds = _texts(record, "kinds")
    if bad_kinds := sorted(set(kinds) - KINDS):
        raise _Invalid(f"unknown kind(s) {bad_kinds}; allowed: {sorted(KINDS)}")
    prefixes = _texts(record, "prefixes")
    if lower := [p for p in prefixes if p != p.upper()]:
        raise _Invalid(f"prefixes must be upper case: {lower}")
    sources = _sources(record.get("sources"))
    supported = {fact for source in sources for fact in source.supports}
    filled = {f for f in SUPPORTABLE if record.get(f) not in (None, [], "")}
    if missing := sorted(filled - supported):
        raise _Invalid(f"field(s) {missing} are filled but no source supports them")
    name = _text(record, "name")
    return Manufacturer(
        id=maker_id,
        name=name,
        short=_text(record, "short") if record.get("short") is not None else name,
        country=country,
        aliases=_texts(record, "aliases"),
        former_names=_former_names(record.get("former_names")),
        logos=_texts(record, "logos"),
        prefixes=prefixes,
        kinds=kinds,
        successor=_succession(record.get("successor")),
        sources=sources,
        file=file,
    )


def _text(record: dict[str, object], field: str) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"field {field!r} must be non-empty text, got {value!r}")
    return value.strip()


def _texts(record: dict[str, object], field: str) -> tuple[str, ...]:
    value = record.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Invalid(f"field {field!r} must be a list of non-empty texts, got {value!r}")
    return tuple(v.strip() for v in value)


def _date(value: object, field: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _Invalid(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _former_names(value: object) -> tuple[tuple[str, datetime.date | None], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid("former_names must be a list of {name, until} mappings")
    names = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"name", "until"}:
            raise _Invalid(f"former_names entry {entry!r} must be {{name, until}}")
        names.append((_text(entry, "name"), _date(entry.get("until"), "former_names.until")))
    return tuple(names)


def _succession(value: object) -> Succession | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"id", "date", "date_precision", "event"}:
        raise _Invalid("successor must be a mapping of id, date, date_precision, event")
    date = _date(value.get("date"), "successor.date")
    precision = value.get("date_precision") or ("day" if date else "unknown")
    if precision not in PRECISIONS:
        raise _Invalid(f"successor.date_precision {precision!r} not in {sorted(PRECISIONS)}")
    if (date is None) != (precision == "unknown"):
        raise _Invalid("successor.date and date_precision 'unknown' go together")
    if date and (
        (precision == "month" and date.day != 1)
        or (precision == "year" and (date.month, date.day) != (1, 1))
    ):
        raise _Invalid(f"successor.date {date} does not start its {precision}")
    event = value.get("event")
    if event not in EVENTS:
        raise _Invalid(f"successor.event {event!r} not in {sorted(EVENTS)}")
    return Succession(_text(value, "id"), date, str(precision), str(event))


def _sources(value: object) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid("a record needs at least one source")
    sources = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"url", "supports"}:
            raise _Invalid(f"source {entry!r} must be a mapping of url and supports")
        url = _text(entry, "url")
        if not url.startswith(("https://", "http://")):
            raise _Invalid(f"source url {url!r} must be an http(s) URL")
        supports = _texts(entry, "supports")
        if bad := sorted(set(supports) - SUPPORTABLE):
            raise _Invalid(f"source {url} supports unknown fact(s) {bad}")
        sources.append(Source(url, supports))
    return tuple(sources)


def _check_successors(records: list[Manufacturer]) -> None:
    by_id = {maker.id: maker for maker in records}
    for maker in records:
        visited = [maker.id]
        current = maker
        while current.successor is not None:
            next_id = current.successor.successor_id
            if next_id not in by_id:
                raise ReferenceDataError(
                    f"{current.file}: record {current.id!r}: unknown successor id {next_id!r}"
                )
            if next_id in visited:
                chain = " -> ".join([*visited, next_id])
                raise ReferenceDataError(
                    f"{maker.file}: record {maker.id!r}: successor cycle {chain}"
                )
            visited.append(next_id)
            current = by_id[next_id]
