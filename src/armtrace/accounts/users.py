"""User accounts: create, list, change role, disable; every change audited.

Invariants:
- Names are unique, compared as given after trimming (case kept; "Ana" and "ana" differ only if
  both are created, which ``create_user`` refuses by folding case first).
- A user is never deleted; disabling one also ends their sessions and revokes their API tokens.
- Account changes are written with ``record_change`` in the same transaction as the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from armtrace.accounts import token_cache
from armtrace.accounts.passwords import hash_password, password_problem
from armtrace.accounts.roles import Permission, Role, permissions_of
from armtrace.audit import record_change
from armtrace.errors import ArmtraceError, NotFound
from armtrace.store import Store
from armtrace.store import tables_accounts as accounts_tables

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$")


class AccountError(ArmtraceError):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class User:
    """A signed-in person (or the owner of an API token)."""

    id: int
    name: str
    role: Role
    disabled: bool = False
    created_at: datetime | None = None

    def can(self, permission: Permission) -> bool:
        """Whether this user holds ``permission``."""
        return permission in permissions_of(self.role)

    def as_json(self) -> dict[str, Any]:
        """The account as plain JSON values (never the password hash)."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def user_from_row(row: Any) -> User:
    """A User from a ``users`` row mapping."""
    return User(
        id=int(row["id"]),
        name=row["name"],
        role=Role(row["role"]),
        disabled=bool(row["disabled"]),
        created_at=row["created_at"],
    )


def _snapshot(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role.value, "disabled": user.disabled}


def check_name(name: str) -> str:
    """A valid account name, trimmed, or an AccountError saying what is allowed."""
    name = name.strip()
    if not _NAME.match(name):
        raise AccountError(
            f"invalid account name {name!r}: use 2-100 letters, digits, '.', '_', '@' or '-'"
        )
    return name


def create_user(store: Store, name: str, password: str, role: Role, *, actor: str) -> User:
    """Create an account with a hashed password; refuses a taken name or a weak password."""
    name = check_name(name)
    problem = password_problem(password)
    if problem:
        raise AccountError(f"cannot create {name!r}: {problem}")
    encoded = hash_password(password)
    users = accounts_tables.users
    with store.begin() as conn:
        taken = conn.execute(
            select(users.c.name).where(func.lower(users.c.name) == name.lower())
        ).first()
        if taken is not None:
            raise AccountError(f"an account named {taken[0]!r} exists already; pick another name")
        new_id = conn.execute(
            insert(users)
            .values(name=name, role=role.value, password_hash=encoded, disabled=False)
            .returning(users.c.id)
        ).scalar_one()
        user = _load(conn, int(new_id))
        record_change(
            conn,
            actor=actor,
            action="user.create",
            entity="user",
            entity_key=name,
            after=_snapshot(user),
        )
    return user


def get_user(store: Store, name: str) -> User:
    """The account called ``name``, or NotFound."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts_tables.users).where(accounts_tables.users.c.name == name)
        ).first()
    if row is None:
        raise NotFound(f"no account named {name!r}: see 'armtrace users list'")
    return user_from_row(row._mapping)


def list_users(store: Store) -> list[User]:
    """Every account, by name."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(accounts_tables.users).order_by(accounts_tables.users.c.name)
        ).all()
    return [user_from_row(row._mapping) for row in rows]


def set_role(store: Store, name: str, role: Role, *, actor: str) -> User:
    """Give ``name`` a new role (audited)."""
    return _change(store, name, {"role": role.value}, action="user.set_role", actor=actor)


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> User:
    """Disable or re-enable an account; disabling ends its sessions and revokes its tokens."""
    return _change(store, name, {"disabled": disabled}, action="user.set_disabled", actor=actor)


def set_password(store: Store, name: str, password: str, *, actor: str) -> User:
    """Replace a password (audited without the hash) and end the account's sessions."""
    problem = password_problem(password)
    if problem:
        raise AccountError(f"cannot set the password of {name!r}: {problem}")
    return _change(
        store,
        name,
        {"password_hash": hash_password(password)},
        action="user.set_password",
        actor=actor,
    )


def _change(store: Store, name: str, values: dict[str, Any], *, action: str, actor: str) -> User:
    users = accounts_tables.users
    with store.begin() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            raise NotFound(f"no account named {name!r}: see 'armtrace users list'")
        before = user_from_row(row._mapping)
        conn.execute(update(users).where(users.c.id == before.id).values(**values))
        if values.get("disabled") or "password_hash" in values:
            end_sessions(conn, before.id)
        if values.get("disabled"):
            conn.execute(
                update(accounts_tables.api_tokens)
                .where(
                    accounts_tables.api_tokens.c.user_id == before.id,
                    accounts_tables.api_tokens.c.revoked_at.is_(None),
                )
                .values(revoked_at=func.now())
            )
        after = _load(conn, before.id)
        record_change(
            conn,
            actor=actor,
            action=action,
            entity="user",
            entity_key=name,
            before=_snapshot(before),
            after=_snapshot(after) | ({"password": "changed"} if "password_hash" in values else {}),
        )
    token_cache.forget_all()  # a token acts with its owner's current role and state
    return after


def end_sessions(conn: Connection, user_id: int) -> None:
    """Delete every session of a user (inside the caller's transaction)."""
    conn.execute(
        delete(accounts_tables.sessions).where(accounts_tables.sessions.c.user_id == user_id)
    )


def _load(conn: Connection, user_id: int) -> User:
    row = conn.execute(
        select(accounts_tables.users).where(accounts_tables.users.c.id == user_id)
    ).one()
    return user_from_row(row._mapping)
