"""What survives a restart (scenarios, surveys, plans, tokens) and what a dead service leaves behind
(jobs read as failed, never running forever; no half-written plan)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil
from api_helpers import ROOT, bearer, issue_tokens, make_settings, scenario_files, tiny_copy, wait_job
from typer.testing import CliRunner

from api.launch import start_service
from planner.cli import app as cli


def test_everything_survives_a_restart(make_client, tmp_path):
    app, c = make_client()
    tokens = issue_tokens(app, ["coordinator", "member:m1"])
    h = bearer(tokens["coordinator"])
    sid = c.post("/v1/scenarios", files=scenario_files(tiny_copy(tmp_path / "tiny")), headers=h).json()["id"]
    c.post(f"/v1/scenarios/{sid}/surveys/m1", json={"rows": [{"trainee_ref": "S1", "module_code": "EV-TAILLE"}]},
           headers=bearer(tokens["member:m1"]))
    job = c.post("/v1/solves", json={"scenario_id": sid, "solver": "greedy"}, headers=h).json()
    plan_id = wait_job(c, tokens["coordinator"], job["id"])["plan_id"]
    budget = c.get(f"/v1/plans/{plan_id}/budget?group_by=funder,territory", headers=h).json()
    c.__exit__(None, None, None)  # the service stops

    _, again = make_client()  # a new service on the same data directory (and the same tokens)
    assert again.get(f"/v1/scenarios/{sid}", headers=h).status_code == 200
    versions = again.get(f"/v1/scenarios/{sid}/surveys/m1/versions", headers=h).json()
    assert [v["version"] for v in versions["data"]] == [2, 1]
    assert again.get(f"/v1/plans/{plan_id}/budget?group_by=funder,territory", headers=h).json() == budget
    assert again.get(f"/v1/solves/{job['id']}", headers=h).json()["status"] == "succeeded"
    audit = again.get("/v1/audit?limit=1000", headers=h).json()
    assert audit["count"] >= 6  # the first service's requests too


def test_jobs_left_running_by_a_dead_service_read_as_failed(make_client, tmp_path):
    from api.core.models import Job, utcnow

    app, c = make_client()
    h = bearer(issue_tokens(app, ["coordinator"])["coordinator"])
    sid = c.post("/v1/scenarios", files=scenario_files(tiny_copy(tmp_path / "tiny")), headers=h).json()["id"]
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # a worker left behind
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with app.state.sessions() as session:
        for job_id, proc in (("jorphan", orphan), ("jdead", dead)):
            started = psutil.Process(orphan.pid).create_time() if proc is orphan else None
            session.add(Job(id=job_id, scenario_id=sid, status="running", options={}, survey_versions={},
                            folder=f"runs/{job_id}", stage="served", elapsed=1.0, stop_requested=False, error="",
                            pid=proc.pid, pid_started=started, created_at=utcnow(), started_at=utcnow()))
        session.commit()
    (tmp_path / "data" / "runs" / "jdead" / ".plan.half").mkdir(parents=True)  # write_plan's temporary folder
    c.__exit__(None, None, None)
    with app.state.sessions() as session:  # kill the monitor's view: rows still say running
        session.query(Job).filter(Job.id.in_(["jorphan", "jdead"])).update({"status": "running"})
        session.commit()

    _, again = make_client()
    for job_id in ("jorphan", "jdead"):
        job = again.get(f"/v1/solves/{job_id}", headers=h).json()
        assert job["status"] == "failed" and "service stopped" in job["error"], job
    assert orphan.wait(timeout=10) == -signal.SIGKILL  # the orphaned worker was killed
    assert not (tmp_path / "data" / "runs" / "jdead" / ".plan.half").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir) -> dict[str, str]:
    url = make_settings(data_dir).database_url
    return {**os.environ, **({"DATABASE_URL": url} if url else {})}


def _serve(data_dir, port) -> subprocess.Popen:
    return start_service(data_dir, port, cwd=ROOT, env=_env(data_dir))


def test_planner_serve_killed_mid_solve(tmp_path):
    """`planner serve` with uvicorn, killed with SIGKILL during a solve: the worker notices, fails its job
    and exits; the next service reads the job as failed and finds no plan."""
    data = tmp_path / "data"
    created = CliRunner(env=_env(data)).invoke(cli, ["token", "create", "--role", "coordinator", "--data-dir", str(data)])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    server = _serve(data, port)
    base, h = f"http://127.0.0.1:{port}", bearer(token)
    try:
        sid = httpx.post(f"{base}/v1/scenarios", files=scenario_files(ROOT / "scenarios" / "isere-2012"),
                         headers=h, timeout=30).json()["id"]
        job = httpx.post(f"{base}/v1/solves", json={"scenario_id": sid, "solver": "highs", "time_limit": 300},
                         headers=h).json()
        deadline = time.monotonic() + 60
        while True:
            state = httpx.get(f"{base}/v1/solves/{job['id']}", headers=h).json()
            if state["status"] == "running" and state["best_value"] is not None:
                break
            assert time.monotonic() < deadline, state
            time.sleep(0.2)
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
    from api.core.db import make_engine, session_factory
    from api.core.models import Job

    sessions = session_factory(make_engine(make_settings(data)))
    deadline = time.monotonic() + 15
    while True:
        with sessions() as session:
            row = session.get(Job, job["id"])
        if row.status != "running":
            break
        assert time.monotonic() < deadline, "the worker did not notice its service died"
        time.sleep(0.2)
    assert row.status == "failed" and "service stopped" in row.error
    deadline = time.monotonic() + 10
    while psutil.pid_exists(row.pid) and psutil.Process(row.pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the worker is still running"
        time.sleep(0.2)
    server = _serve(data, port)
    try:
        assert httpx.get(f"{base}/v1/solves/{job['id']}", headers=h).json()["status"] == "failed"
        assert httpx.get(f"{base}/v1/plans", headers=h).json()["count"] == 0
    finally:
        server.terminate()
        server.wait(timeout=30)
