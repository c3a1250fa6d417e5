"""Demo accounts for ``armtrace demo``: an admin and a viewer with fresh random passwords.

Invariant: demo account names say "exercise", and each run gives them new passwords (created
or reset, audited), so a password printed by an earlier run stops working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from armtrace.accounts.roles import Role
from armtrace.accounts.users import create_user, list_users, set_disabled, set_password
from armtrace.store import Store

DEMO_ACCOUNTS = (("exercise-admin", Role.ADMIN), ("exercise-viewer", Role.VIEWER))


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and the password this run gave it."""

    name: str
    role: Role
    password: str


def demo_logins(store: Store, *, actor: str) -> list[DemoLogin]:
    """Create the demo accounts, or reset their passwords and enable them when they exist."""
    existing = {user.name: user for user in list_users(store)}
    logins = []
    for name, role in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        if name in existing:
            set_password(store, name, password, actor=actor)
            if existing[name].disabled:
                set_disabled(store, name, False, actor=actor)
        else:
            create_user(store, name, password, role, actor=actor)
        logins.append(DemoLogin(name, role, password))
    return logins
