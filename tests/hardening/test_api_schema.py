"""API fuzzing from armtrace's own OpenAPI spec (schemathesis), as anonymous, viewer and admin.

For every operation in /api/openapi.json, schemathesis generates requests from the spec and
each one is sent in-process to the app over a store (SQLite; PostgreSQL too in the deep
profile) holding a published item and a draft one. What must hold for every generated request:

- no 5xx answer (``not_a_server_error``);
- the answer conforms to the spec: JSON body against the declared schema, content type and
  headers (undeclared error statuses such as 401/403/404 are allowed: the spec declares
  successes and 422 only);
- for the public (anonymous, viewer), no answer carries the draft item's key or notes, the
  published item's notes, or its exact coordinates.

Generated path and query strings are often replaced by keys that exist in the store, so the
operations reach real records and not only 404s. The suite runs a few cases per operation;
scripts/reliability (ARMTRACE_FUZZ_PROFILE=hardening-deep, ARMTRACE_API_CASES=40) runs ten times
as many on SQLite and PostgreSQL, and the reliability report prints how many were tried.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, CheckContext, Response
from schemathesis.core.result import Ok

from armtrace.accounts.roles import Role
from armtrace.accounts.tokens import create_token
from armtrace.accounts.users import create_user
from armtrace.sheets.importer import import_sheet
from armtrace.store import Store
from armtrace.web.app import create_app
from armtrace.web.config import WebConfig
from armtrace.workflow import set_item_state
from hardening.fuzzing import PROFILE, tried
from sheetdata import rows, write_csv

# Cases per operation and role: scripts/reliability sets ARMTRACE_API_CASES (40 by default).
CASES_PER_OPERATION = int(os.environ.get("ARMTRACE_API_CASES", "4"))
PUBLISHED, DRAFT, INCIDENT = "KH-0001", "KH-0002", "UA-KH-2024-01-02"
COMPONENT_NOTE = "source: Officer Ivanenko, unit 1234"
DRAFT_NOTE = "not yet checked by an analyst"
# What the public must never read: the draft item, notes, exact coordinates.
SECRET_FOR_PUBLIC = (DRAFT, DRAFT_NOTE, "Officer Ivanenko", "49.9935", "36.2304")
# Values that name real records (account names are left out: an admin case could disable
# the account whose token the run uses, and every later case would then only see 401).
KNOWN = (PUBLISHED, DRAFT, INCIDENT, "C1", "C2", "ADM3202", "STM32F407", "1")
ROLES = (None, Role.VIEWER, Role.ADMIN)
# A case of any operation of the OpenAPI schema (schemathesis leaves the operation generic).
ApiCase = Case[APIOperation[Any, Any, Any, Any]]


def _sample(store: Store, tmp_path: Path) -> None:
    """A published item with notes and a draft item in one incident."""
    draft = [{**r, "item_id": DRAFT, "notes": DRAFT_NOTE} for r in rows()[:2]]
    sheet = write_csv(tmp_path / "sample.csv", rows(notes=COMPONENT_NOTE) + draft)
    import_sheet(store, sheet, actor="test-setup")
    set_item_state(store, PUBLISHED, "verified", actor="test-setup")
    set_item_state(store, PUBLISHED, "published", actor="test-setup")


# PostgreSQL doubles the run time: the suite fuzzes SQLite, the deep profile both stores (the
# NUL-character regression tests in tests/web run on both in the suite).
KINDS = ("sqlite", "postgres") if PROFILE == "hardening-deep" else ("sqlite",)


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, empty_store_factory: Callable[[str], Store]) -> Store:
    """An empty store of each kind fuzzed in this profile (shadows the suite's ``store``)."""
    return empty_store_factory(request.param)


@pytest.fixture
def api_schema(store: Store, tmp_path: Path) -> Iterator[schemathesis.BaseSchema]:
    """The app's own spec, loaded from the app serving a store with the sample case."""
    _sample(store, tmp_path)
    app = create_app(store=store, web_config=WebConfig(max_upload_bytes=1024 * 1024))
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)


def _headers(store: Store, role: Role | None) -> dict[str, str]:
    if role is None:
        return {}
    name = f"{role.value}-fuzz"
    create_user(store, name, "correct horse battery", role, actor="test-setup")
    return {"Authorization": f"Bearer {create_token(store, name, 'schema-fuzz', actor=name)}"}


def _aim(case: ApiCase, value: str) -> None:
    """Point the case's string path and query parameters at a record that exists."""
    for container in (case.path_parameters, case.query):
        if container:
            for name, current in list(container.items()):
                if isinstance(current, str):
                    container[name] = value


def no_public_leak(ctx: CheckContext, response: Response, case: ApiCase) -> bool | None:
    """The public never reads the draft item, notes or exact coordinates (that it did not send:
    a search echoes its query)."""
    text = response.text or ""
    sent = repr((case.path_parameters, case.query, case.body))
    leaked = [s for s in SECRET_FOR_PUBLIC if s in text and s not in sent]
    assert not leaked, f"{case.method} {case.formatted_path} showed the public {leaked}"
    return None


BASE_CHECKS: list[Any] = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_generated_requests_conform(
    api_schema: schemathesis.BaseSchema, store: Store, role: Role | None
) -> None:
    headers = _headers(store, role)
    checks = BASE_CHECKS + ([no_public_leak] if role in (None, Role.VIEWER) else [])
    label = f"api-schema {role.value if role else 'anonymous'}"
    failures: list[str] = []
    operations = []
    for result in api_schema.get_all_operations():
        # An Err is an operation schemathesis could not read: say which, not AttributeError.
        if not isinstance(result, Ok):
            pytest.fail(f"schemathesis cannot read an operation of the spec: {result.err()}")
        operations.append(result.ok())
    assert len(operations) > 50, "the spec lost its operations"
    for operation in operations:

        @given(case=operation.as_strategy(), aim=st.one_of(st.none(), st.sampled_from(KNOWN)))
        @settings(
            max_examples=CASES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: ApiCase, aim: str | None) -> None:
            tried(label)
            if aim is not None:
                _aim(case, aim)
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Exception as exc:  # every operation is tried; failures are reported together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
