"""Accounts, sessions, CSRF and API tokens: the library and the HTTP layer around it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text, update

from armtrace.accounts.demo import demo_logins
from armtrace.accounts.roles import Role
from armtrace.accounts.sessions import LoginFailed, LoginThrottled, login, logout, session_user
from armtrace.accounts.tokens import create_token, revoke_token, token_user
from armtrace.accounts.users import AccountError, create_user, set_disabled, set_role
from armtrace.audit import entries, verify_chain
from armtrace.settings import load_settings
from armtrace.store import Store
from armtrace.store import tables_accounts as acct
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from web.support import PASSWORD, ClientFactory, RoleClient, SampleCase


def test_passwords_are_argon2id_and_tokens_are_not_stored(store: Store) -> None:
    create_user(store, "ana", PASSWORD, Role.ANALYST, actor="admin")
    session = login(store, "ana", PASSWORD, client="10.0.0.1")
    token = create_token(store, "ana", "nightly", actor="admin")
    with store.engine.connect() as conn:
        stored_hash = conn.execute(select(acct.users.c.password_hash)).scalar_one()
        dump = " ".join(
            str(row) for name in ("users", "sessions", "api_tokens", "audit_log")
            for row in conn.execute(text(f"SELECT * FROM {name}"))
        )  # fmt: skip
    assert stored_hash.startswith("$argon2id$")
    assert PASSWORD not in dump and session.token not in dump and token not in dump
    assert session_user(store, session.token) == token_user(store, token)


def test_wrong_password_unknown_name_and_disabled_account_look_the_same(store: Store) -> None:
    create_user(store, "ana", PASSWORD, Role.ANALYST, actor="admin")
    create_user(store, "bo", PASSWORD, Role.VIEWER, actor="admin")
    set_disabled(store, "bo", True, actor="admin")
    messages = set()
    for name, password in (("ana", "wrong password"), ("nobody", PASSWORD), ("bo", PASSWORD)):
        with pytest.raises(LoginFailed) as failed:
            login(store, name, password, client="10.0.0.1")
        messages.add(str(failed.value))
    assert messages == {"wrong account name or password"}


def test_login_rate_limit_per_name_and_address(store: Store) -> None:
    create_user(store, "ana", PASSWORD, Role.ANALYST, actor="admin")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            login(store, "ana", "not the password", client="10.0.0.1")
    with pytest.raises(LoginThrottled, match="wait 15 minutes"):
        login(store, "ana", PASSWORD, client="10.0.0.1")  # even the right password
    assert login(store, "ana", PASSWORD, client="10.0.0.2").user.name == "ana"
    with store.begin() as conn:  # the window passes
        failures = acct.login_failures
        conn.execute(update(failures).values(at=failures.c.at - timedelta(minutes=16)))
    assert login(store, "ana", PASSWORD, client="10.0.0.1").user.name == "ana"


def test_sessions_expire_and_end(store: Store) -> None:
    create_user(store, "ana", PASSWORD, Role.ANALYST, actor="admin")
    short = login(store, "ana", PASSWORD, client="x", lifetime=timedelta(seconds=-1))
    assert session_user(store, short.token) is None
    session = login(store, "ana", PASSWORD, client="x")
    assert logout(store, session.token) is True
    assert session_user(store, session.token) is None
    assert logout(store, session.token) is False


def test_disabling_ends_sessions_and_tokens(store: Store) -> None:
    create_user(store, "ana", PASSWORD, Role.ANALYST, actor="admin")
    session = login(store, "ana", PASSWORD, client="x")
    token = create_token(store, "ana", "nightly", actor="admin")
    set_disabled(store, "ana", True, actor="admin")
    assert session_user(store, session.token) is None and token_user(store, token) is None
    set_disabled(store, "ana", False, actor="admin")
    assert token_user(store, token) is None  # revoked for good, not only while disabled


def test_account_rules(store: Store) -> None:
    with pytest.raises(AccountError, match="at least 10 characters"):
        create_user(store, "ana", "short", Role.VIEWER, actor="admin")
    with pytest.raises(AccountError, match="invalid account name"):
        create_user(store, "a b", PASSWORD, Role.VIEWER, actor="admin")
    create_user(store, "Ana", PASSWORD, Role.VIEWER, actor="admin")
    with pytest.raises(AccountError, match="exists already"):
        create_user(store, "ana", PASSWORD, Role.VIEWER, actor="admin")
    set_role(store, "Ana", Role.ANALYST, actor="root")
    change = entries(store, entity="user", entity_key="Ana")[0]
    assert (change.action, change.actor) == ("user.set_role", "root")
    assert (change.before or {})["role"] == "viewer" and (change.after or {})["role"] == "analyst"
    assert verify_chain(store).ok


def test_cookie_flags(web_app: FastAPI, accounts: object, store: Store) -> None:
    from fastapi.testclient import TestClient

    with TestClient(web_app) as client:
        answer = client.post("/api/session", json={"name": "viewer-user", "password": PASSWORD})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    secure = create_app(store=store, web_config=WebConfig(secure_cookies=True))
    with TestClient(secure, base_url="https://testserver") as client:
        answer = client.post("/api/session", json={"name": "viewer-user", "password": PASSWORD})
    assert "secure" in answer.headers["set-cookie"].lower()


def test_http_login_failures(anon_client: RoleClient, accounts: object) -> None:
    bad = {"name": "viewer-user", "password": "not the password"}
    assert [anon_client.post("/api/session", json=bad).status_code for _ in range(6)] == [
        401, 401, 401, 401, 401, 429,
    ]  # fmt: skip


def test_csrf_is_required_for_cookie_requests(
    client_for: ClientFactory, sample_case: SampleCase
) -> None:
    client = client_for(Role.ANALYST)
    token = client.headers.pop("X-CSRF-Token")
    url = f"/api/items/{sample_case.draft}/state"
    assert client.post(url, json={"state": "verified"}).status_code == 403
    wrong = client.post(url, json={"state": "verified"}, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert client.get(f"/api/items/{sample_case.draft}").status_code == 200  # reads need none
    ok = client.post(url, json={"state": "verified"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200
    form = client.post(
        f"/items/{sample_case.draft}/state",
        data={"state": "published", "csrf_token": token},
        follow_redirects=False,
    )
    assert form.status_code == 303
    forged = client.post(
        f"/items/{sample_case.draft}/state", data={"state": "draft", "csrf_token": "forged"}
    )
    assert forged.status_code == 403


def test_api_tokens_work_without_csrf_and_stop_when_revoked(
    store: Store, anon_client: RoleClient, accounts: object, sample_case: SampleCase
) -> None:
    token = create_token(store, "analyst-user", "script", actor="admin")
    bearer = {"Authorization": f"Bearer {token}"}
    url = f"/api/items/{sample_case.draft}/state"
    answer = anon_client.post(url, json={"state": "verified"}, headers=bearer)
    assert answer.status_code == 200, answer.text
    assert entries(store, entity="item")[0].actor == "analyst-user"
    revoke_token(store, "analyst-user", "script", actor="admin")
    assert anon_client.get("/api/items", headers=bearer).status_code == 401
    assert anon_client.get("/api/items", headers={"Authorization": "Basic abc"}).status_code == 401


def test_token_lifecycle_over_http(viewer_client: RoleClient) -> None:
    made = viewer_client.post("/api/tokens", json={"name": "laptop"}).json()
    assert made["token"].startswith("att_")
    listed = viewer_client.get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["laptop"] and "token" not in listed[0]
    assert viewer_client.delete("/api/tokens/laptop").json()["revoked"] == 1
    assert viewer_client.delete("/api/tokens/laptop").status_code == 404


def test_admin_manages_accounts_over_http(
    admin_client: RoleClient, client_for: ClientFactory
) -> None:
    made = admin_client.post(
        "/api/users", json={"name": "new-analyst", "password": PASSWORD, "role": "analyst"}
    )
    assert made.status_code == 201 and "password_hash" not in made.text
    weak = admin_client.post("/api/users", json={"name": "x2", "password": "x", "role": "viewer"})
    assert weak.status_code == 400
    viewer = client_for(Role.VIEWER)
    admin_client.put("/api/users/viewer-user/disabled", json={"disabled": True})
    assert viewer.get("/api/session").json()["user"] is None  # its session ended
    names = [u["name"] for u in admin_client.get("/api/users").json()]
    assert "new-analyst" in names


def test_demo_logins_are_fresh_each_run(store: Store) -> None:
    first = demo_logins(store, actor="demo")
    assert [(x.name, x.role) for x in first] == [
        ("exercise-admin", Role.ADMIN), ("exercise-viewer", Role.VIEWER),
    ]  # fmt: skip
    second = demo_logins(store, actor="demo")
    assert login(store, "exercise-admin", second[0].password, client="x").user.role == Role.ADMIN
    with pytest.raises(LoginFailed):
        login(store, "exercise-admin", first[0].password, client="x")


def test_users_and_tokens_commands(store_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from armtrace.cli.app import app

    env = {"ARMTRACE_DB": store_url, "ARMTRACE_EVIDENCE": str(tmp_path / "ev"),
           "ARMTRACE_USER": "root"}  # fmt: skip
    runner = CliRunner()
    made = runner.invoke(app, ["users", "add", "ana", "--role", "analyst", "--generate"], env=env)
    assert made.exit_code == 0, made.output
    password = made.output.split("password: ")[1].split()[0]
    bad = runner.invoke(app, ["users", "add", "bo", "--role", "boss", "--generate"], env=env)
    assert bad.exit_code == 1 and "unknown role 'boss'" in bad.output
    assert runner.invoke(app, ["users", "set-role", "ana", "admin"], env=env).exit_code == 0
    listed = runner.invoke(app, ["users", "list", "--json"], env=env).output
    assert '"role": "admin"' in listed
    token = runner.invoke(app, ["tokens", "create", "ana", "nightly"], env=env).output.split()[-1]
    store = Store.open(load_settings(db=store_url, evidence=str(tmp_path / "ev")))
    try:
        assert token_user(store, token) is not None
        assert login(store, "ana", password, client="x").user.role == Role.ADMIN
        assert runner.invoke(app, ["tokens", "revoke", "ana", "nightly"], env=env).exit_code == 0
        assert token_user(store, token) is None
        assert entries(store, entity="user", entity_key="ana")[-1].actor == "root"
    finally:
        store.close()


def test_streamed_body_over_the_limit_is_refused(investigator_client: RoleClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        yield b"incident_id,item_id\n"
        for _ in range(300):
            yield b"a,b\n" * 1024  # 1.2 MiB in all, no Content-Length: counted as it arrives

    answer = investigator_client.post(
        "/api/sheets", content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )  # fmt: skip
    assert answer.status_code == 413
