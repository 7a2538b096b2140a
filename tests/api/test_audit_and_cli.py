"""The audit table (who, when, method, path, status) and the `planner token` / `planner serve` commands."""

from __future__ import annotations

from api_helpers import assert_problem, bearer, make_settings
from typer.testing import CliRunner

from planner.cli import app as cli


def test_every_access_is_audited(fresh):
    c = fresh.client
    c.get("/v1/scenarios")  # no token
    c.get("/v1/solves", headers=fresh.h("funder:opca"))  # wrong role
    c.get("/v1/scenarios?limit=3", headers=fresh.h("member:m1"))
    rows = c.get("/v1/audit?limit=10", headers=fresh.h("coordinator")).json()["data"]
    seen = [(r["role"], r["method"], r["path"], r["status"]) for r in reversed(rows)]
    assert seen[:3] == [(None, "GET", "/v1/scenarios", 401), ("funder:opca", "GET", "/v1/solves", 403),
                        ("member:m1", "GET", "/v1/scenarios?limit=3", 200)]
    assert all(r["at"] and r["duration_ms"] >= 0 for r in rows)
    token_id = fresh.tokens["member:m1"].split("_")[1]
    mine = c.get(f"/v1/audit?token_id={token_id}", headers=fresh.h("coordinator")).json()
    assert mine["count"] == 1 and mine["data"][0]["token_id"] == token_id


def test_token_commands(tmp_path, make_client):
    data = tmp_path / "data"
    url = make_settings(data).database_url  # None: SQLite in data/; else the PostgreSQL of the other apps
    runner = CliRunner(env={"DATABASE_URL": url} if url else {})
    created = runner.invoke(cli, ["token", "create", "--role", "funder:opca", "--name", "AGEFOS", "--data-dir", str(data)])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("plnr_")
    token_id = token.split("_")[1]
    listed = runner.invoke(cli, ["token", "list", "--data-dir", str(data)])
    assert token_id in listed.stdout and "funder:opca" in listed.stdout and token not in listed.stdout
    _, c = make_client(data)
    assert c.get("/v1/me", headers=bearer(token)).json() == {"token_id": token_id, "role": "funder",
                                                             "subject": "opca"}
    assert runner.invoke(cli, ["token", "revoke", token_id, "--data-dir", str(data)]).exit_code == 0
    assert_problem(c.get("/v1/me", headers=bearer(token)), 401)
    assert runner.invoke(cli, ["token", "revoke", "nope", "--data-dir", str(data)]).exit_code == 2
    for bad in ("admin", "funder:", "member", "funder:a b"):
        assert runner.invoke(cli, ["token", "create", "--role", bad, "--data-dir", str(data)]).exit_code == 2, bad


def test_settings_are_read_at_start_up_not_at_import(monkeypatch, tmp_path):
    import os
    import subprocess
    import sys

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "elsewhere"))
    subprocess.run([sys.executable, "-c", "import api.main, api.services.worker, api.services.jobs"], check=True, env=os.environ)
    assert not (tmp_path / "elsewhere").exists()  # importing read nothing, created nothing
    from api.core.settings import Settings

    settings = Settings()
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'elsewhere' / 'planner.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/planner")
    assert Settings().sqlalchemy_url == "postgresql://u:p@db/planner"
