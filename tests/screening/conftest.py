"""Shared paths for the screening tests."""

from __future__ import annotations

from pathlib import Path

import pytest

# The web and browser fixtures (app, signed-in clients, live server, chromium) are shared.
from web.browser.conftest import page_as, site  # noqa: F401
from web.conftest import accounts, client_for, web_app  # noqa: F401

DATA = Path(__file__).resolve().parent.parent / "data" / "screening"
EXERCISE_LIST = (
    Path(__file__).resolve().parents[2]
    / "src" / "armtrace" / "demo" / "data" / "exercise_sanctions.ftm.json"
)  # fmt: skip


@pytest.fixture
def list_v1() -> Path:
    return DATA / "list_v1.ftm.json"


@pytest.fixture
def list_v2() -> Path:
    return DATA / "list_v2.ftm.json"
