"""Fixtures of the API tests: apps on a real SQLite file under tmp_path, clients, tokens, a solved world.

``world`` (one per session) holds a scenario uploaded from tiny, a greedy plan and a HiGHS plan
(for diffs), solved through the API by real worker processes; tests that change things build
their own app with ``make_client``.
"""

from __future__ import annotations

import warnings
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette's TestClient on plain httpx
from api_helpers import bearer, issue_tokens, make_settings, scenario_files, tiny_copy, wait_job
from fastapi.testclient import TestClient  # noqa: E402

from api.main import create_app


@dataclass
class World:
    client: TestClient
    app: object
    data_dir: Path
    tokens: dict[str, str]
    scenario_id: str = ""
    plan_id: str = ""  # greedy
    other_plan_id: str = ""  # highs
    job_id: str = ""
    extra: dict = field(default_factory=dict)

    def h(self, role: str) -> dict[str, str]:
        return bearer(self.tokens[role])


@pytest.fixture
def make_client(tmp_path):
    """Build (and start) an app on a data directory; every client is closed at the end of the test."""
    with ExitStack() as stack:
        def make(data_dir: Path | None = None, **overrides):
            app = create_app(make_settings(data_dir or tmp_path / "data", **overrides))
            client = stack.enter_context(TestClient(app))
            return app, client

        yield make


@pytest.fixture
def fresh(make_client, tmp_path) -> World:
    """An empty service with a token per role."""
    app, client = make_client()
    return World(client, app, tmp_path / "data", issue_tokens(app))


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    base = tmp_path_factory.mktemp("world")
    app = create_app(make_settings(base / "data"))
    with TestClient(app) as client:
        w = World(client, app, base / "data", issue_tokens(app))
        scenario = tiny_copy(base / "tiny")
        r = client.post("/v1/scenarios", files=scenario_files(scenario), headers=w.h("coordinator"))
        assert r.status_code == 201, r.text
        w.scenario_id = r.json()["id"]
        jobs = []
        for body in ({"solver": "greedy"}, {"solver": "highs", "time_limit": 5, "explain_time_limit": 0}):
            r = client.post("/v1/solves", json={"scenario_id": w.scenario_id, **body}, headers=w.h("coordinator"))
            assert r.status_code == 202, r.text
            jobs.append(r.json()["id"])
        done = [wait_job(client, w.tokens["coordinator"], j) for j in jobs]
        assert all(j["status"] == "succeeded" for j in done), done
        w.job_id, w.plan_id, w.other_plan_id = jobs[0], done[0]["plan_id"], done[1]["plan_id"]
        yield w
