"""The parties to screen: manufacturers seen in readings, custody-chain companies, named ones.

Invariants:
- A manufacturer is screened under its registry name, aliases and former names, with its
  headquarters country; its current owner (readings.parent_id) is screened too.
- Custody-chain companies come from ``armtrace.tracing.custody.chain_companies``, imported
  lazily so screening works in a build without tracing; the date a company last received goods
  becomes the party's ``transfer_date``.
- Parties are unique by key (folded name and country); for duplicates the latest transfer date
  is kept, because a transfer after a listing is what matters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import select

from armtrace.errors import NotFound
from armtrace.refdata.manufacturers import load_registry
from armtrace.screening.model import Party
from armtrace.store import Store, tables


def manufacturer_parties(store: Store) -> list[Party]:
    """The makers (and their current owners) that the store's readings identified."""
    with store.engine.connect() as conn:
        ids = {
            value
            for row in conn.execute(
                select(tables.readings.c.manufacturer_id, tables.readings.c.parent_id).distinct()
            )
            for value in row
            if value
        }
    if not ids:
        return []
    registry = load_registry()
    parties: list[Party] = []
    for maker_id in sorted(ids):
        try:
            maker = registry.get(maker_id)
        except NotFound:  # a reading from an older registry: skip it rather than fail
            continue
        aliases = tuple(dict.fromkeys((*maker.aliases, *(n for n, _ in maker.former_names))))
        parties.append(Party(maker.name, maker.country, "manufacturer", maker.id, aliases=aliases))
    return parties


def chain_parties(store: Store) -> list[Party]:
    """Companies in custody chains, or none when tracing is not available."""
    try:
        from armtrace.tracing.custody import chain_companies
    except ImportError:
        return []
    return [
        Party(
            company.name,
            company.country,
            "custody-chain",
            company.key,
            transfer_date=getattr(company, "received_on", None),
        )
        for company in chain_companies(store)
    ]


def collect_parties(store: Store, names: Iterable[Party] = ()) -> list[Party]:
    """Manufacturers in the store's readings, companies in custody chains, plus ``names``."""
    found: dict[str, Party] = {}
    for party in (*manufacturer_parties(store), *chain_parties(store), *names):
        known = found.get(party.key)
        if known is None:
            found[party.key] = party
        elif party.transfer_date and (
            known.transfer_date is None or party.transfer_date > known.transfer_date
        ):
            found[party.key] = dataclasses.replace(known, transfer_date=party.transfer_date)
    return list(found.values())
