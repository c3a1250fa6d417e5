"""Accounts and API tokens: admins manage everyone; each user manages their own tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from armtrace.accounts.roles import Role
from armtrace.accounts.tokens import create_token, list_tokens, revoke_token
from armtrace.accounts.users import create_user, list_users, set_disabled, set_role
from armtrace.web.deps import Admin, SignedIn, StoreDep

router = APIRouter(prefix="/api", tags=["accounts"])


class NewUser(BaseModel):
    """A new account."""

    name: str = Field(min_length=2, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    role: Role


class RoleChange(BaseModel):
    """A new role."""

    role: Role


class Disabled(BaseModel):
    """Disable (true) or re-enable (false) an account."""

    disabled: bool


class NewToken(BaseModel):
    """A token's name: what uses it."""

    name: str = Field(min_length=1, max_length=100)


@router.get("/users")
def users(store: StoreDep, _: Admin) -> list[dict[str, Any]]:
    """Every account (never a password hash)."""
    return [user.as_json() for user in list_users(store)]


@router.post("/users", status_code=201)
def add_user(body: NewUser, store: StoreDep, admin: Admin) -> dict[str, Any]:
    """Create an account; audited."""
    return create_user(store, body.name, body.password, body.role, actor=admin.name).as_json()


@router.put("/users/{name}/role")
def change_role(name: str, body: RoleChange, store: StoreDep, admin: Admin) -> dict[str, Any]:
    """Give an account a new role; audited."""
    return set_role(store, name, body.role, actor=admin.name).as_json()


@router.put("/users/{name}/disabled")
def disable(name: str, body: Disabled, store: StoreDep, admin: Admin) -> dict[str, Any]:
    """Disable an account (ends its sessions, revokes its tokens) or enable it; audited."""
    return set_disabled(store, name, body.disabled, actor=admin.name).as_json()


@router.get("/tokens")
def my_tokens(store: StoreDep, user: SignedIn) -> list[dict[str, Any]]:
    """Your API tokens (names and dates, never values)."""
    return [token.as_json() for token in list_tokens(store, user.name)]


@router.post("/tokens", status_code=201)
def new_token(body: NewToken, store: StoreDep, user: SignedIn) -> dict[str, Any]:
    """Create an API token for yourself; its value is shown once, in this answer."""
    token = create_token(store, user.name, body.name, actor=user.name)
    return {"name": body.name, "token": token, "use": "Authorization: Bearer <token>"}


@router.delete("/tokens/{name}")
def drop_token(name: str, store: StoreDep, user: SignedIn) -> dict[str, Any]:
    """Revoke your token called ``name``."""
    return {"name": name, "revoked": revoke_token(store, user.name, name, actor=user.name)}
