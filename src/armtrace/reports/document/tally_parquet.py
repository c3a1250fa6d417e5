"""Count a campaign's components from a Parquet fact file with DuckDB (tens of millions of rows).

Gives the same ``Tally`` as ``tally_store`` for the columns the file has: companies, countries,
date codes by month, incidents and places. HS codes need the ``description`` column (snapshots
and ``armtrace export x.parquet`` carry it); places come from the file's ``latitude``,
``longitude`` and ``place`` columns (an export) or from the ``incidents.parquet`` beside it (a
snapshot directory). Photos need the store; without them those parts stay empty and the report
says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from armtrace.reports.campaign import CampaignFilter, connect_facts, filter_sql
from armtrace.reports.document.tally import CompanyTally, Place, Tally, hs_codes_for

# Per company, HS codes come from its most common descriptions: free-text descriptions can be
# nearly unique per row in a big campaign, and the rare ones rarely name another kind of part.
TOP_DESCRIPTIONS = 200


def tally_parquet(source: str, flt: CampaignFilter, *, threads: int | None = None) -> Tally:
    """Count every component the filter selects in a Parquet fact file."""
    conn = connect_facts(source, threads)
    where, params = filter_sql(flt)
    columns = {row[0] for row in conn.execute("DESCRIBE facts").fetchall()}
    tally = Tally()
    try:
        # No materialised copy: each query scans only its own columns of the Parquet file.
        scoped = f"(SELECT * FROM facts WHERE {where})"

        def run(sql: str) -> list[Any]:
            return conn.execute(sql.replace("FROM scoped", f"FROM {scoped}"), params).fetchall()

        total, identified, exercise = run(
            "SELECT count(*), count(company), bool_or(exercise) FROM scoped"
        )[0]
        tally.components, tally.identified = int(total), int(identified)
        tally.exercise = bool(exercise)
        companies = run(
            "SELECT company, any_value(company_name), any_value(owner), any_value(owner_name), "
            "any_value(company_country), any_value(maker_id), count(*), "
            "list(DISTINCT chpl_tier) FILTER (WHERE chpl_tier IS NOT NULL) "
            "FROM scoped WHERE company IS NOT NULL GROUP BY company"
        )
        for key, name, owner, owner_name, country, maker, count, tiers in companies:
            tally.companies[key] = CompanyTally(
                name or key, key if maker else None, owner_name if owner != key else None,
                country, int(count), set(tiers or ()),
            )  # fmt: skip
            tally.countries[country or "unknown"] += int(count)
        if "description" in columns:
            rows = run(
                "SELECT company, description FROM (SELECT company, description, row_number() "
                "OVER (PARTITION BY company ORDER BY n DESC, description) AS r FROM ("
                "SELECT company, description, count(*) AS n FROM scoped "
                "WHERE company IS NOT NULL AND description IS NOT NULL GROUP BY 1, 2)) "
                f"WHERE r <= {TOP_DESCRIPTIONS}"
            )
            codes: dict[str, tuple[str, ...]] = {}  # descriptions repeat across companies
            for key, description in rows:
                if description not in codes:
                    codes[description] = hs_codes_for(description)
                tally.companies[key].hs_codes.update(codes[description])
        for month, count in run(
            "SELECT date_trunc('month', date_latest)::DATE, count(*) FROM scoped "
            "WHERE date_latest IS NOT NULL GROUP BY 1"
        ):
            tally.date_codes[month] = int(count)
        place = ", any_value(latitude), any_value(longitude), any_value(place)"
        has_place = {"latitude", "longitude", "place"} <= columns
        beside = {} if has_place else _snapshot_places(source)
        for row in run(
            f"SELECT incident_key, any_value(incident_date), bool_or(exercise)"
            f"{place if has_place else ''} FROM scoped GROUP BY incident_key"
        ):
            lat, lon, where_text = row[3:6] if has_place else beside.get(row[0], (None,) * 3)
            tally.incidents[row[0]] = Place(row[0], row[1], lat, lon, where_text, bool(row[2]))
        for item, system in run(
            "SELECT item_key, any_value(weapon_system) FROM scoped GROUP BY item_key"
        ):
            tally.items[item] = system
        if "registry_version" in columns:
            versions = run(
                "SELECT DISTINCT registry_version FROM scoped WHERE registry_version IS NOT NULL"
            )
            tally.registry_versions.update(v for (v,) in versions)
    finally:
        conn.close()
    return tally


def _snapshot_places(source: str) -> dict[str, tuple[Any, Any, Any]]:
    """(latitude, longitude, place) by incident key from a snapshot's incidents.parquet."""
    path = Path(source).with_name("incidents.parquet")
    if not path.is_file():
        return {}
    wanted = ["incident_key", "latitude", "longitude", "place"]
    if not set(wanted) <= set(pq.read_schema(path).names):
        return {}  # a snapshot written before incidents carried coordinates
    table = pq.read_table(path, columns=wanted).to_pydict()
    return {
        key: (lat, lon, place)
        for key, lat, lon, place in zip(*(table[name] for name in wanted), strict=True)
    }
