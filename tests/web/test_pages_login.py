"""Logging in and out on the pages: session cookie, errors, safe redirects, CSRF on logout."""

from __future__ import annotations

from fastapi import FastAPI

from armtrace.accounts.roles import Role
from armtrace.web.deps import SESSION_COOKIE
from web.support import RoleClient


def login(client: RoleClient, name: str, password: str, next: str = "/") -> object:
    return client.post(
        "/login",
        data={"name": name, "password": password, "next": next},
        follow_redirects=False,
    )


def test_login_sets_the_session_and_shows_the_user(
    web_app: FastAPI, accounts: dict[Role, tuple[str, str]]
) -> None:
    client = RoleClient(web_app)
    name, password = accounts[Role.ANALYST]
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "next": "/items"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/items"
    assert SESSION_COOKIE in answer.cookies
    page = client.get("/")
    assert name in page.text and "Log out" in page.text and "analyst" in page.text


def test_wrong_password_says_so_and_sets_no_cookie(
    web_app: FastAPI, accounts: dict[Role, tuple[str, str]]
) -> None:
    client = RoleClient(web_app)
    answer = client.post("/login", data={"name": "viewer-user", "password": "wrong"})
    assert answer.status_code == 401
    assert "wrong account name or password" in answer.text
    assert SESSION_COOKIE not in answer.cookies


def test_next_may_not_leave_the_site(
    web_app: FastAPI, accounts: dict[Role, tuple[str, str]]
) -> None:
    name, password = accounts[Role.VIEWER]
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        answer = RoleClient(web_app).post(
            "/login",
            data={"name": name, "password": password, "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"
    page = RoleClient(web_app).get("/login?next=//evil.example")
    assert 'name="next" value="/"' in page.text


def test_logout_needs_the_csrf_token_and_ends_the_session(
    web_app: FastAPI, accounts: dict[Role, tuple[str, str]]
) -> None:
    client = RoleClient(web_app)
    name, password = accounts[Role.INVESTIGATOR]
    client.post("/login", data={"name": name, "password": password})
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/logout", follow_redirects=False).status_code == 403
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert "Log in" in client.get("/").text
    assert client.get("/upload", follow_redirects=False).status_code == 303
