"""The domain: what investigators document and what armtrace concludes from it."""

from armtrace.model.records import Component, Evidence, Incident, Item
from armtrace.model.sheet import COLUMNS, REQUIRED_COLUMNS

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "Component", "Evidence", "Incident", "Item"]
