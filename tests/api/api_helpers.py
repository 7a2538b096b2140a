"""Helpers of the API tests: a tiny scenario with unmistakable trainee refs, uploads, waiting for jobs."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "scenarios" / "tiny"
REF_PREFIX = "ZQXREF"  # every trainee ref of the test scenario starts so; nothing else contains it


def ref(member_id: str, trainee: str) -> str:
    return f"{REF_PREFIX}-{member_id}-{trainee}"


def tiny_copy(dest: Path) -> Path:
    """scenarios/tiny with trainee refs that cannot appear by chance in any other text."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in TINY.iterdir():
        if f.suffix in (".csv", ".toml"):
            shutil.copy2(f, dest / f.name)
    rows = list(csv.DictReader((TINY / "survey.csv").open(encoding="utf-8")))
    with (dest / "survey.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "trainee_ref": ref(row["member_id"], row["trainee_ref"])})
    return dest


def scenario_files(folder: Path) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (f.name, f.read_bytes())) for f in sorted(folder.iterdir()) if f.is_file()]


def zipped(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.iterdir()):
            z.write(f, prefix + f.name)
    return buffer.getvalue()


ROLES = ("coordinator", "funder:opca", "funder:region", "member:m1", "member:m2", "member:m3", "member:m4")


def make_settings(data_dir: Path, **overrides):
    """Settings on ``data_dir``'s SQLite file; with ``$PLANNER_TEST_POSTGRES`` (an admin URL such as
    ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``), on a new PostgreSQL database per data
    directory instead (the same data directory reuses its database)."""
    from api.core.settings import Settings

    admin = os.environ.get("PLANNER_TEST_POSTGRES")
    if admin and "database_url" not in overrides:
        overrides["database_url"] = _postgres_database(admin, data_dir)
    return Settings(data_dir=data_dir, monitor_interval=0.1, **overrides)


def _postgres_database(admin: str, data_dir: Path) -> str:
    import hashlib

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "planner_test_" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def issue_tokens(app, roles=ROLES) -> dict[str, str]:
    """Tokens of a started app (its tables exist), one per role."""
    from api.core.auth import create_token

    with app.state.sessions() as session:
        return {role: create_token(session, role, f"test {role}")[1] for role in roles}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_job(client, token: str, job_id: str, timeout: float = 120.0, until=("succeeded", "stopped", "failed")) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/solves/{job_id}", headers=bearer(token)).json()
        if job["status"] in until:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s: {job}")
        time.sleep(0.1)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body), body
    assert body["status"] == status
    return body
