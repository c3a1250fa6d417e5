"""Types the web tests share (imported as ``web.support``; conftest builds the fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from armtrace.accounts.roles import Permission, Role

PASSWORD = "correct horse battery"


class RoleClient(TestClient):
    """A TestClient that knows the role it signed in as and its CSRF token."""

    role: Role | None = None
    csrf_token: str | None = None


ClientFactory = Callable[[Role | str | None], RoleClient]


@dataclass(frozen=True)
class SampleCase:
    """What ``sample_case`` put in the store."""

    incident: str
    published: str
    draft: str
    latitude: float
    longitude: float
    draft_note: str
    component_note: str


SIGNED_IN = "signed-in"  # an authorisation-table level: any account, whatever its role
Body = Callable[[str], Any]


@dataclass(frozen=True)
class Case:
    """How to call one route and who may."""

    url: str  # may use {role} (the role's name, "anonymous" for none) and {sha}
    needs: Permission | str
    ok: int | tuple[int, ...] = 200  # the status an allowed role gets (any of a tuple)
    json: Body | None = None
    data: Body | None = None
    files: Body | None = None
    last: bool = False  # ends or replaces the session: run after everything else
    headers: dict[str, str] = field(default_factory=dict)
