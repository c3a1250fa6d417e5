"""Bundled reference data with a source for every record, and its typed loaders."""

from armtrace.refdata.countries import country_name, is_country_code
from armtrace.refdata.manufacturers import (
    Manufacturer,
    Registry,
    Source,
    Succession,
    load_registry,
)
from armtrace.refdata.names import compact_company_name, normalise_company_name

__all__ = [
    "Manufacturer",
    "Registry",
    "Source",
    "Succession",
    "compact_company_name",
    "country_name",
    "is_country_code",
    "load_registry",
    "normalise_company_name",
]
