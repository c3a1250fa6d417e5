"""armtrace serve, users and tokens: the web application and its accounts."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Annotated

import typer

from armtrace.accounts.roles import parse_role
from armtrace.accounts.tokens import create_token, list_tokens, revoke_token
from armtrace.accounts.users import create_user, list_users, set_disabled, set_role
from armtrace.cli.app import app, err, open_store, out, print_json, settings
from armtrace.settings import Settings

users_app = typer.Typer(help="Accounts of the web application.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")


def run_server(store_settings: Settings, host: str, port: int, workers: int) -> None:
    """Migrate the store once, then serve the app with uvicorn (workers read the environment)."""
    import uvicorn

    with open_store(store_settings):
        pass  # migrations run here, once, not in every worker at the same time
    os.environ["ARMTRACE_DB"] = store_settings.db_url
    os.environ["ARMTRACE_EVIDENCE"] = str(store_settings.evidence_dir)
    uvicorn.run(
        "armtrace.web.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="warning", proxy_headers=False,
    )  # fmt: skip


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (use 2+ on PostgreSQL).")] = 1,
) -> None:
    """Serve the web pages and the REST API (docs at /api/docs).

    Create an account first with 'armtrace users add'. Behind HTTPS set
    ARMTRACE_SECURE_COOKIES=1.

    Example: armtrace users add ana --role analyst && armtrace serve --port 8000
    """
    err.print(f"armtrace: serving on http://{host}:{port}/ (API docs: /api/docs); Ctrl-C stops")
    run_server(settings(), host, port, workers)


def _password(generate: bool) -> str:
    if generate:
        return secrets.token_urlsafe(12)
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="viewer, investigator, analyst or admin.")],
    generate: Annotated[
        bool, typer.Option("--generate", help="Make up a random password and print it.")
    ] = False,
) -> None:
    """Create an account; the password is prompted for, read from stdin, or generated.

    Example: armtrace users add ana --role analyst --generate
    """
    password = _password(generate)
    with open_store() as store:
        user = create_user(store, name, password, parse_role(role), actor=store.settings.actor)
    out.print(f"created {user.name} ({user.role.value})")
    if generate:
        out.print(f"password: {password}")


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List accounts with their roles.

    Example: armtrace users list --json
    """
    with open_store() as store:
        users = list_users(store)
    for user in users:
        if as_json:
            print_json(user.as_json())
        else:
            out.print(f"{user.name}\t{user.role.value}" + ("\tdisabled" if user.disabled else ""))


@users_app.command("set-role")
def users_set_role(name: str, role: str) -> None:
    """Give an account a new role (audited).

    Example: armtrace users set-role ana admin
    """
    with open_store() as store:
        user = set_role(store, name, parse_role(role), actor=store.settings.actor)
    out.print(f"{user.name} is now {user.role.value}")


@users_app.command("disable")
def users_disable(
    name: str, enable: Annotated[bool, typer.Option("--enable", help="Re-enable.")] = False
) -> None:
    """Disable an account (ends its sessions, revokes its tokens), or re-enable it.

    Example: armtrace users disable ana
    """
    with open_store() as store:
        user = set_disabled(store, name, not enable, actor=store.settings.actor)
    out.print(f"{user.name} is {'disabled' if user.disabled else 'enabled'}")


@tokens_app.command("create")
def tokens_create(user: str, name: str) -> None:
    """Create an API token for USER named NAME; its value is printed once.

    Example: armtrace tokens create ana nightly-import
    """
    with open_store() as store:
        token = create_token(store, user, name, actor=store.settings.actor)
    err.print("send it as 'Authorization: Bearer TOKEN'; it is not shown again")
    out.print(token)


@tokens_app.command("revoke")
def tokens_revoke(user: str, name: str) -> None:
    """Revoke USER's token named NAME.

    Example: armtrace tokens revoke ana nightly-import
    """
    with open_store() as store:
        revoke_token(store, user, name, actor=store.settings.actor)
    out.print(f"revoked {user}/{name}")


@tokens_app.command("list")
def tokens_list(user: Annotated[str | None, typer.Argument()] = None) -> None:
    """List tokens (names and dates, never values).

    Example: armtrace tokens list ana
    """
    with open_store() as store:
        tokens = list_tokens(store, user)
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
        out.print(f"{token.user}/{token.name}\t{token.created_at:%Y-%m-%d}\t{state}")
