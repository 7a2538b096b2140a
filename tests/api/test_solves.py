"""Solve jobs: 202 and a job id, progress in the database, stop keeping the best plan, failures."""

from __future__ import annotations

import os
import signal
import time

import pytest
from api_helpers import ROOT, assert_problem, bearer, issue_tokens, scenario_files, wait_job

ISERE = ROOT / "scenarios" / "isere-2012"


def test_solve_jobs_end_with_a_stored_plan(world):
    c, h = world.client, world.h("coordinator")
    job = c.get(f"/v1/solves/{world.job_id}", headers=h).json()
    assert job["status"] == "succeeded" and job["plan_id"] == world.plan_id and job["stage"] == "done"
    assert job["best_value"] > 0 and job["options"]["solver"] == "greedy" and job["finished_at"]
    highs = c.get("/v1/solves?status=succeeded", headers=h).json()
    assert highs["count"] == 2 and {j["options"]["solver"] for j in highs["data"]} == {"greedy", "highs"}
    plan = c.get(f"/v1/plans/{world.other_plan_id}", headers=h).json()
    assert plan["solver"] == "highs" and plan["status"] == "optimal"
    assert [s["name"] for s in plan["stages"]] == ["served", "public_cost", "travel"]
    assert all(s["proven"] and s["gap"] is not None for s in plan["stages"])
    assert plan["kpis"]["requests"] == 14
    # the plan folder, checked and whole, lives in the run folder
    assert (world.data_dir / "runs" / world.job_id / "plan" / "plan.json").exists()
    assert c.get(f"/v1/solves?scenario_id={world.scenario_id}&limit=1", headers=h).json()["count"] == 2


def test_bad_solve_requests(world):
    c, h = world.client, world.h("coordinator")
    assert_problem(c.post("/v1/solves", json={"scenario_id": "snope"}, headers=h), 404)
    body = assert_problem(c.post("/v1/solves", json={"scenario_id": world.scenario_id, "solver": "gurobi"},
                                 headers=h), 422)
    assert body["errors"][0]["column"] == "solver" and body["errors"][0]["file"] == "body"
    body = assert_problem(c.post("/v1/solves", json={"scenario_id": world.scenario_id, "time_limit": 99999},
                                 headers=h), 422)
    assert body["errors"][0]["column"] == "time_limit"
    assert_problem(c.post("/v1/solves", content=b"{not json", headers={**h, "Content-Type": "application/json"}), 422)
    assert_problem(c.get("/v1/solves/jnope", headers=h), 404)
    assert_problem(c.delete(f"/v1/solves/{world.job_id}", headers=h), 409)  # finished already


@pytest.fixture
def isere(fresh):
    r = fresh.client.post("/v1/scenarios", files=scenario_files(ISERE), headers=fresh.h("coordinator"))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _running_with_incumbent(client, token, job_id, timeout=90.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/solves/{job_id}", headers=bearer(token)).json()
        if job["status"] == "running" and job["best_value"] is not None:
            return job
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.2)
    raise AssertionError("no incumbent in time")


def test_stop_keeps_the_best_plan_and_cancels_queued_jobs(fresh, isere):
    c, h, token = fresh.client, fresh.h("coordinator"), fresh.tokens["coordinator"]
    long = c.post("/v1/solves", json={"scenario_id": isere, "solver": "highs", "time_limit": 300}, headers=h)
    assert long.status_code == 202 and long.headers["location"] == f"/v1/solves/{long.json()['id']}"
    queued = c.post("/v1/solves", json={"scenario_id": isere, "solver": "greedy"}, headers=h).json()
    job = _running_with_incumbent(c, token, long.json()["id"])
    assert job["stage"] == "served" and job["elapsed"] > 0
    assert c.get(f"/v1/solves/{queued['id']}", headers=h).json()["status"] == "queued"  # one job at a time
    stopped = c.delete(f"/v1/solves/{queued['id']}", headers=h)
    assert stopped.status_code == 202 and stopped.json()["status"] == "stopped" and stopped.json()["plan_id"] is None
    r = c.delete(f"/v1/solves/{job['id']}", headers=h)
    assert r.status_code == 202 and r.json()["stop_requested"]
    done = wait_job(c, token, job["id"], timeout=60)
    assert done["status"] == "stopped" and done["plan_id"], done
    plan = c.get(f"/v1/plans/{done['plan_id']}", headers=h).json()
    assert plan["kpis"]["requests_served"] > 0
    assert [s["proven"] for s in plan["stages"]] == [False, False, False]


def test_a_killed_worker_fails_its_job_and_leaves_no_plan(fresh, isere):
    c, h, token = fresh.client, fresh.h("coordinator"), fresh.tokens["coordinator"]
    job = c.post("/v1/solves", json={"scenario_id": isere, "solver": "highs", "time_limit": 300}, headers=h).json()
    _running_with_incumbent(c, token, job["id"])
    from api.core.models import Job

    with fresh.app.state.sessions() as session:
        pid = session.get(Job, job["id"]).pid
    os.kill(pid, signal.SIGKILL)
    done = wait_job(c, token, job["id"], timeout=30)
    assert done["status"] == "failed" and "ended without a result" in done["error"] and done["plan_id"] is None
    assert c.get("/v1/plans", headers=h).json()["count"] == 0
    assert not (fresh.data_dir / "runs" / job["id"] / "plan").exists()


def test_a_solve_overrunning_its_deadline_is_killed(make_client, tmp_path):
    app, c = make_client(job_grace_seconds=0.5)
    token = issue_tokens(app, ["coordinator"])["coordinator"]
    sid = c.post("/v1/scenarios", files=scenario_files(ISERE), headers=bearer(token)).json()["id"]
    job = c.post("/v1/solves", json={"scenario_id": sid, "solver": "highs", "time_limit": 1},
                 headers=bearer(token)).json()
    done = wait_job(c, token, job["id"], timeout=60)
    assert done["status"] == "failed" and done["error"].startswith("killed"), done
    assert c.get("/v1/plans", headers=bearer(token)).json()["count"] == 0
