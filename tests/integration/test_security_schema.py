"""Generated requests against the published OpenAPI document: no server error, no answer off the schema.

schemathesis reads ``/api/openapi.json`` and calls the app in process (WSGI) with a valid bearer
token, valid and invalid data alike (its default modes), on SQLite and PostgreSQL: PostgreSQL refuses
what SQLite stores (a NUL byte in text), so a 5xx can hide on one only. The examples are few and fixed
(derandomized) to keep the suite fast.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import _truncate as truncate
from tests.conftest import make_app
from tests.integration.conftest import CLIENT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path, clock):
    if request.param not in request.config.getoption("--backends").split(","):
        pytest.skip(f"{request.param} not among --backends")
    if request.param == "sqlite":
        path = tmp_path / "schema.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        truncate(url)
    app = make_app(url, tmp_path, clock)
    yield app
    app.extensions["referral"].engine.dispose()


@pytest.fixture
def seeded(app, client, member, make_colleague):
    """A member with a colleague, a handoff and an offer, so that some generated ids hit real rows."""
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    body = {"client": CLIENT, "reasons": ["late_payments"], "disclosure": "Pays late, but pays."}
    handoff = client.post("/api/handoffs", json=body, headers=member.headers).get_json()
    r = client.post(f"/api/handoffs/{handoff['id']}/offers", json={"colleague_id": ana["id"]}, headers=member.headers)
    assert r.status_code == 201, r.get_json()
    return member


@pytest.fixture
def api_schema(app, seeded):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_generated_request_gets_a_server_error_or_an_answer_off_the_schema(case, seeded):
    # schemathesis asks for gzip but reads the WSGI body as sent: ask for it plain
    case.call_and_validate(headers={**seeded.headers, "Accept-Encoding": "identity"}, checks=CHECKS)
