"""Sign-in sessions: login with a rate limit, look-up by cookie token, logout.

Invariants:
- A session token is 256 random bits; only its SHA-256 is stored. The CSRF token of a session is
  derived from the session token (``secrets.csrf_for``), so it dies with the session.
- At most ``MAX_FAILURES`` failed logins per account name and client address in ``WINDOW``;
  failures are stored in the database so every worker process enforces the same limit.
- The same error answers an unknown name, a wrong password and a disabled account.
- Logins and logouts are audited (``session.login``, ``session.logout``); failures are not (they
  are counted in ``login_failures`` instead, which an attacker could otherwise use to flood the
  audit trail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from armtrace.accounts.passwords import hash_password, needs_rehash, verify_password
from armtrace.accounts.secrets import csrf_for, digest, new_token, now, utc
from armtrace.accounts.users import User, user_from_row
from armtrace.audit import record_change
from armtrace.errors import ArmtraceError
from armtrace.store import Store
from armtrace.store import tables_accounts as accounts_tables

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LIFETIME = timedelta(hours=12)


class LoginFailed(ArmtraceError):
    """The name or password was wrong, or the account is disabled."""


class LoginThrottled(ArmtraceError):
    """Too many failed logins for this name from this address; wait before trying again."""


@dataclass(frozen=True)
class Session:
    """A signed-in session: the clear token goes into the cookie, never into the store."""

    token: str
    user: User
    csrf_token: str
    expires_at: datetime


def login(
    store: Store, name: str, password: str, *, client: str, lifetime: timedelta = LIFETIME
) -> Session:
    """Check a name and password and open a session, or raise LoginFailed / LoginThrottled."""
    name = name.strip()
    client = client or "unknown"
    users, failures = accounts_tables.users, accounts_tables.login_failures
    started = now()
    with store.begin() as conn:
        recent = conn.execute(
            select(func.count())
            .select_from(failures)
            .where(
                failures.c.name == name.lower(),
                failures.c.client == client,
                failures.c.at > started - WINDOW,
            )
        ).scalar_one()
    if recent >= MAX_FAILURES:
        minutes = int(WINDOW.total_seconds() // 60)
        raise LoginThrottled(
            f"too many failed logins for {name!r} from {client}: wait {minutes} minutes"
        )
    with store.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    encoded = row._mapping["password_hash"] if row is not None else None
    if not verify_password(encoded, password) or row is None or row._mapping["disabled"]:
        with store.begin() as conn:
            conn.execute(delete(failures).where(failures.c.at <= started - WINDOW))
            conn.execute(insert(failures).values(name=name.lower(), client=client, at=started))
        raise LoginFailed("wrong account name or password")
    user = user_from_row(row._mapping)
    token = new_token("ats")
    expires = started + lifetime
    with store.begin() as conn:
        if encoded is not None and needs_rehash(encoded):
            conn.execute(
                update(users)
                .where(users.c.id == user.id)
                .values(password_hash=hash_password(password))
            )
        conn.execute(
            delete(failures).where(failures.c.name == name.lower(), failures.c.client == client)
        )
        conn.execute(
            insert(accounts_tables.sessions).values(
                token_hash=digest(token),
                user_id=user.id,
                created_at=started,
                expires_at=expires,
                client=client,
            )
        )
        record_change(
            conn,
            actor=user.name,
            action="session.login",
            entity="user",
            entity_key=user.name,
            after={"client": client},
        )
    return Session(token=token, user=user, csrf_token=csrf_for(token), expires_at=expires)


def _session_owner_query() -> Any:
    sessions, users = accounts_tables.sessions, accounts_tables.users
    return (
        select(users, sessions.c.expires_at)
        .select_from(sessions.join(users, users.c.id == sessions.c.user_id))
        .where(sessions.c.token_hash == bindparam("token_hash"))
    )


# Built once: it runs on every signed-in request (see tokens._TOKEN_OWNER).
_SESSION_OWNER = _session_owner_query()


def session_user(store: Store, token: str) -> User | None:
    """The enabled user a live session token belongs to, or None."""
    # Autocommit: a look-up on every request should cost one round trip, not three.
    with store.engine.connect() as conn:
        row = (
            conn.execution_options(isolation_level="AUTOCOMMIT")
            .execute(_SESSION_OWNER, {"token_hash": digest(token)})
            .first()
        )
    if row is None or row._mapping["disabled"] or utc(row._mapping["expires_at"]) <= now():
        return None
    return user_from_row(row._mapping)


def logout(store: Store, token: str) -> bool:
    """End the session behind ``token``; False when there was none."""
    sessions = accounts_tables.sessions
    with store.begin() as conn:
        row = conn.execute(
            select(sessions.c.id, accounts_tables.users.c.name)
            .select_from(
                sessions.join(
                    accounts_tables.users, accounts_tables.users.c.id == sessions.c.user_id
                )
            )
            .where(sessions.c.token_hash == digest(token))
        ).first()
        if row is None:
            return False
        conn.execute(delete(sessions).where(sessions.c.id == row.id))
        record_change(
            conn,
            actor=row.name,
            action="session.logout",
            entity="user",
            entity_key=row.name,
        )
    return True


def prune_sessions(store: Store) -> int:
    """Delete expired sessions; returns how many."""
    sessions = accounts_tables.sessions
    with store.begin() as conn:
        result = conn.execute(delete(sessions).where(sessions.c.expires_at <= now()))
    return int(result.rowcount or 0)
