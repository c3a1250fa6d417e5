"""The component sheet: one row per documented component (see docs/component-sheet.md).

Column names are a public contract shared by CSV, JSON Lines and XLSX files; other tools depend on
them, so they only ever grow, with new columns optional.
"""

from __future__ import annotations

# Order is the order exports write; DESIGN.md lists the meaning of each.
COLUMNS: tuple[str, ...] = (
    "incident_id",
    "incident_date",
    "place",
    "country",
    "latitude",
    "longitude",
    "item_id",
    "item_type",
    "item_markings",
    "weapon_system",
    "component_id",
    "marking",
    "description",
    "manufacturer",
    "photo",
    "notes",
    # Optional, armtrace's own: "yes" marks the incident as exercise (not real) data.
    "exercise",
)

REQUIRED_COLUMNS: tuple[str, ...] = ("incident_id", "item_id")

INCIDENT_FIELDS: tuple[str, ...] = (
    "incident_date",
    "place",
    "country",
    "latitude",
    "longitude",
    "exercise",
)
ITEM_FIELDS: tuple[str, ...] = ("item_type", "item_markings", "weapon_system")
# An item-only row (no component columns filled) may carry notes about the item itself.
COMPONENT_FIELDS: tuple[str, ...] = ("marking", "description", "manufacturer", "photo", "notes")

# Generated component ids: "#1", "#2", ... in the order an item's id-less rows appear.
GENERATED_ID_PREFIX = "#"

# Longest text a cell may hold; a longer one is almost always a paste gone wrong.
MAX_KEY_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
