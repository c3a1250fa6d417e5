"""API tokens for scripts: named, random, stored hashed, revocable; sent as a Bearer header.

Invariants:
- The clear token is shown once, when created; only its SHA-256 is stored.
- A token acts with its owner's current role; disabling the owner revokes every token.
- Creating and revoking are audited (``token.create``, ``token.revoke``) with the token's name,
  never its value.
- ``token_user`` remembers a live token's owner for ``token_cache.TTL_SECONDS`` (2 s) per
  process; revoking forgets at once in this process, other processes follow within that bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from armtrace.accounts import token_cache
from armtrace.accounts.secrets import digest, new_token, now
from armtrace.accounts.users import AccountError, User, get_user, user_from_row
from armtrace.audit import record_change
from armtrace.errors import NotFound
from armtrace.store import Store
from armtrace.store import tables_accounts as accounts_tables


@dataclass(frozen=True)
class ApiToken:
    """A token's record (without its value)."""

    id: int
    user: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        """The record as plain JSON values."""
        return {
            "id": self.id,
            "user": self.user,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def create_token(store: Store, user_name: str, token_name: str, *, actor: str) -> str:
    """Create a named token for ``user_name`` and return its clear value (shown once)."""
    token_name = token_name.strip()
    if not token_name:
        raise AccountError("a token needs a name saying what uses it, e.g. 'nightly-import'")
    user = get_user(store, user_name)
    if user.disabled:
        raise AccountError(f"account {user_name!r} is disabled: enable it before adding tokens")
    token = new_token("att")
    with store.begin() as conn:
        conn.execute(
            insert(accounts_tables.api_tokens).values(
                token_hash=digest(token), user_id=user.id, name=token_name, created_at=now()
            )
        )
        record_change(
            conn,
            actor=actor,
            action="token.create",
            entity="api_token",
            entity_key=f"{user.name}/{token_name}",
            after={"user": user.name, "name": token_name},
        )
    return token


def revoke_token(store: Store, user_name: str, token_name: str, *, actor: str) -> int:
    """Revoke every live token of ``user_name`` called ``token_name``; returns how many."""
    user = get_user(store, user_name)
    tokens = accounts_tables.api_tokens
    with store.begin() as conn:
        result = conn.execute(
            update(tokens)
            .where(
                tokens.c.user_id == user.id,
                tokens.c.name == token_name,
                tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=now())
        )
        count = int(result.rowcount or 0)
        if count == 0:
            raise NotFound(
                f"{user_name!r} has no live token named {token_name!r}: see 'armtrace tokens list'"
            )
        record_change(
            conn,
            actor=actor,
            action="token.revoke",
            entity="api_token",
            entity_key=f"{user.name}/{token_name}",
            before={"revoked": False},
            after={"revoked": True},
        )
    token_cache.forget_all()
    return count


def list_tokens(store: Store, user_name: str | None = None) -> list[ApiToken]:
    """Token records (newest first), for one user or all."""
    tokens, users = accounts_tables.api_tokens, accounts_tables.users
    query = (
        select(tokens, users.c.name.label("user_name"))
        .select_from(tokens.join(users, users.c.id == tokens.c.user_id))
        .order_by(tokens.c.id.desc())
    )
    if user_name is not None:
        query = query.where(users.c.name == user_name)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        ApiToken(
            id=int(r.id),
            user=r.user_name,
            name=r.name,
            created_at=r.created_at,
            revoked_at=r.revoked_at,
        )
        for r in rows
    ]


def _token_owner_query() -> Any:
    tokens, users = accounts_tables.api_tokens, accounts_tables.users
    return (
        select(users)
        .select_from(tokens.join(users, users.c.id == tokens.c.user_id))
        .where(tokens.c.token_hash == bindparam("token_hash"), tokens.c.revoked_at.is_(None))
    )


# Built once: it runs on every token request, and building a statement (and its cache key)
# anew costs more CPU than executing it.
_TOKEN_OWNER = _token_owner_query()


def token_user(store: Store, token: str) -> User | None:
    """The enabled owner of a live API token, or None.

    Owners found are remembered briefly (``token_cache``): a script sending many requests
    costs one look-up per ``token_cache.TTL_SECONDS``, not one per request. Unknown tokens
    are never remembered, so a token works as soon as it is created.
    """
    key = (store.settings.db_url, digest(token))
    known = token_cache.OWNERS.get(key)
    if known is not None:
        return known
    # Autocommit: a look-up on every request should cost one round trip, not three.
    with store.engine.connect() as conn:
        row = (
            conn.execution_options(isolation_level="AUTOCOMMIT")
            .execute(_TOKEN_OWNER, {"token_hash": key[1]})
            .first()
        )
    if row is None or row._mapping["disabled"]:
        return None
    owner = user_from_row(row._mapping)
    token_cache.OWNERS.put(key, owner)
    return owner
