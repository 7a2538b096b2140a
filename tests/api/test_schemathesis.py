"""Property-based run of the whole OpenAPI schema (schemathesis): no server error, no response that
breaks the schema (status codes, media types, bodies), whatever the input.

The app is built when this module is imported (``from_asgi`` needs it), on a temporary data
directory; schemathesis runs its lifespan around each test. A module fixture first stores a
scenario and a plan, and path ids are swapped, for about half the cases, for ids that exist (a
scenario, a plan, a job, member m1), so that generated queries and bodies reach the code behind
the 404s.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from api_helpers import bearer, issue_tokens, make_settings, scenario_files, tiny_copy, wait_job
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.main import create_app
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 40
BASE = Path(tempfile.mkdtemp(prefix="planner-schemathesis-"))
atexit.register(shutil.rmtree, BASE, True)  # also when this module's test is deselected
app = create_app(make_settings(BASE / "data", max_time_limit=5))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
IDS: dict[str, object] = {}
HEADERS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def stored_world():
    """A scenario and a plan in the app schemathesis drives (which runs the app's lifespan per test)."""
    with TestClient(app) as client:
        HEADERS.update(bearer(issue_tokens(app, ["coordinator"])["coordinator"]))
        token = HEADERS["Authorization"].split()[1]
        scenario = client.post("/v1/scenarios", files=scenario_files(tiny_copy(BASE / "tiny")),
                               headers=HEADERS).json()["id"]
        job = client.post("/v1/solves", json={"scenario_id": scenario, "solver": "greedy", "time_limit": 5},
                          headers=HEADERS).json()["id"]
        plan = wait_job(client, token, job)["plan_id"]
    IDS.update(scenario_id=scenario, plan_id=plan, job_id=job, member_id="m1", version=1)
    yield
    shutil.rmtree(BASE, ignore_errors=True)


# what the service promises: no server error, and every response as the schema documents it (status
# code, media type, body, headers, Allow). Not checked: that every schema-valid request succeeds
# (random ids are 404s) and that unknown query parameters are refused (they are ignored).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, allow_header_conformance]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case):
    if not case.meta or not case.meta.generation.mode.is_negative:
        for name, value in list((case.path_parameters or {}).items()):
            if name in IDS and hashlib.sha256(repr(value).encode()).digest()[0] % 2:
                case.path_parameters[name] = IDS[name]
    case.call_and_validate(headers=HEADERS, checks=CHECKS)
