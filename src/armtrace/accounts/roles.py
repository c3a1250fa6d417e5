"""Roles and the permissions each one holds.

Invariants:
- Permissions, not roles, are checked by routes; ``ROLE_PERMISSIONS`` is the one table that says
  who may do what, so the authorisation test and the routes read the same source.
- Roles nest: viewer < investigator < analyst < admin, except that an investigator documents but
  does not judge, and only an admin manages accounts.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is trusted to do."""

    VIEWER = "viewer"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    ADMIN = "admin"


class Permission(StrEnum):
    """One capability a route requires."""

    READ_PUBLISHED = "read_published"  # published findings, sensitive fields withheld
    READ_DRAFTS = "read_drafts"  # draft and verified items, exact coordinates, notes, sources
    DOCUMENT = "document"  # create and edit incidents, items, components; upload sheets, photos
    JUDGE = "judge"  # verify and publish items, record an analyst's judgement
    REPORT = "report"  # write reports and exports of unpublished work
    ADMIN = "admin"  # manage users, tokens and the audit trail


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ_PUBLISHED}),
    Role.INVESTIGATOR: frozenset(
        {Permission.READ_PUBLISHED, Permission.READ_DRAFTS, Permission.DOCUMENT}
    ),
    Role.ANALYST: frozenset(
        {
            Permission.READ_PUBLISHED,
            Permission.READ_DRAFTS,
            Permission.DOCUMENT,
            Permission.JUDGE,
            Permission.REPORT,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}

# What a request without any credentials may do: the public API and pages.
ANONYMOUS_PERMISSIONS: frozenset[Permission] = frozenset({Permission.READ_PUBLISHED})


def permissions_of(role: Role | None) -> frozenset[Permission]:
    """The permissions of a role, or of an anonymous request when ``role`` is None."""
    return ANONYMOUS_PERMISSIONS if role is None else ROLE_PERMISSIONS[role]


def parse_role(value: str) -> Role:
    """A role from its name, with an error that lists the valid names."""
    from armtrace.accounts.users import AccountError

    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise AccountError(f"unknown role {value!r}: use one of {names}") from None
