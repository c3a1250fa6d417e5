"""Who sees what in the web application: the audience of a request, applying the one rule.

Invariants:
- The rule itself (published only, coordinates rounded to 0.1 degree, notes and source names
  withheld) lives in ``armtrace.visibility``, shared with the exports; this module only decides
  whether a request gets it (anonymous requests and viewers, who lack READ_DRAFTS) or not.
- ``Audience.item_filter()`` is applied inside every query, so unpublished rows never leave the
  store for the public.
- ``public_view`` is the only function that shapes a record for an audience; routes and pages
  call it instead of deciding field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, true

from armtrace import visibility as rule
from armtrace.accounts.roles import Permission, permissions_of
from armtrace.accounts.users import User

# Re-exported so pages and routes keep one import.
PUBLIC_DECIMALS = rule.PUBLIC_DECIMALS
PUBLISHED = rule.PUBLISHED
STATES = rule.STATES
PRIVATE_FIELDS = rule.PRIVATE_FIELDS
WITHHELD_NOTE = rule.WITHHELD_NOTE
UNPUBLISHED_REFERENCE = rule.UNPUBLISHED_REFERENCE


@dataclass(frozen=True)
class Audience:
    """What the person asking may see and do."""

    full: bool  # drafts, exact coordinates, notes and source names
    document: bool = False  # upload sheets and photos, edit records
    judge: bool = False  # change states, record identifications

    def coordinate(self, value: float | None) -> float | None:
        """A latitude or longitude as this audience may see it."""
        return value if self.full else rule.public_coordinate(value)

    def private(self, value: str | None) -> str | None:
        """Notes and source names: shown in full, or withheld."""
        return value if self.full else None

    def item_filter(self) -> ColumnElement[bool]:
        """The SQL condition on ``items`` for the items this audience may see."""
        return true() if self.full else rule.published_filter()

    def may_see_state(self, state: str) -> bool:
        """Whether an item in ``state`` is visible to this audience."""
        return self.full or state == rule.PUBLISHED


PUBLIC = Audience(full=False)
FULL = Audience(full=True, document=True, judge=True)


def audience_for(user: User | None) -> Audience:
    """The audience of a user, or of an anonymous request when ``user`` is None."""
    granted = permissions_of(user.role if user is not None else None)
    return Audience(
        full=Permission.READ_DRAFTS in granted,
        document=Permission.DOCUMENT in granted,
        judge=Permission.JUDGE in granted,
    )


def public_view(record: Mapping[str, Any], audience: Audience) -> dict[str, Any]:
    """``record`` shaped for ``audience``: unchanged in full, else by the public rule."""
    return dict(record) if audience.full else rule.public_record(record)
