"""Solve jobs, service side: create, queue, start worker processes, stop, watch, recover.

Each job runs in its own worker process (``python -m api.services.worker``), which
writes its progress to the database; the service only reads it, so queries stay fast while a
solve runs. A monitor thread starts queued jobs (at most ``max_running_jobs`` at once), reaps
finished workers, kills a worker that overruns its time limit plus explanations plus a grace
period, and marks failed any job whose worker died. At start-up, jobs left ``running`` by a
previous service process are marked failed (their orphaned worker, if still alive, is killed).

Statuses: ``queued`` → ``running`` → ``succeeded`` | ``stopped`` (DELETE; the best plan so far
is kept when there is one) | ``failed``. A plan is visible only once its folder is whole and
its row committed, in the same transaction as the job's final status.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from api.core.auth import Principal
from api.core.models import Job, PlanRecord, ScenarioRecord, utcnow
from api.core.problems import ApiProblem, invalid
from api.services.assembly import assemble
from api.services.scenarios import folder_of, new_id
from api.core.settings import Settings
from planner.domain.plan import relative_gap as gap  # a job's best value against its bound

log = logging.getLogger("api.services.jobs")

WORKER_SETTINGS = "PLANNER_WORKER_SETTINGS"  # the service's settings, as JSON, for its workers
ACTIVE = ("queued", "running")
FINAL = ("succeeded", "stopped", "failed")
STATUSES = ACTIVE + FINAL


def create(settings: Settings, session: Session, record: ScenarioRecord, options: dict[str, Any],
           principal: Principal) -> Job:
    """The run folder (scenario files + the members' latest surveys), validated; then a queued job."""
    job_id = new_id("j")
    relative = f"runs/{job_id}"
    tmp = Path(settings.dir("tmp")) / f"run-{job_id}"
    try:
        scenario, problems, used = assemble(settings, session, record, tmp / "scenario")
        if problems or scenario is None:
            raise invalid(f"{len(problems)} problem(s) in the scenario with the members' surveys", problems)
        settings.dir("runs")
        os.replace(tmp, folder_of(settings, relative))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    job = Job(id=job_id, scenario_id=record.id, status="queued", options=options, survey_versions=used,
              folder=relative, stage="", elapsed=0.0, stop_requested=False, error="",
              created_by=principal.token_id, created_at=utcnow())
    session.add(job)
    session.commit()
    return job


def request_stop(session: Session, job: Job) -> Job:
    """Queued: cancelled at once. Running: the worker stops the solver and keeps the best plan."""
    if job.status == "queued":
        session.execute(update(Job).where(Job.id == job.id, Job.status == "queued").values(
            status="stopped", error="stopped before it started", finished_at=utcnow(), stop_requested=True))
    elif job.status == "running":
        session.execute(update(Job).where(Job.id == job.id).values(stop_requested=True))
    else:
        raise ApiProblem(409, f"job {job.id} is already {job.status}", slug="conflict")
    session.commit()
    session.refresh(job)
    return job


def _alive(pid: int | None, started: float | None) -> psutil.Process | None:
    """The process, if ``pid`` still names the process started at ``started``."""
    if not pid:
        return None
    try:
        proc = psutil.Process(pid)
        if started is not None and abs(proc.create_time() - started) > 1.0:
            return None  # pid reused by another process
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied, ProcessLookupError):
        return None


def _fail(session: Session, job_id: str, error: str) -> None:
    session.execute(update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE)).values(
        status="failed", error=error, finished_at=utcnow()))
    session.commit()


def recover(settings: Settings, sessions: sessionmaker[Session]) -> int:
    """At start-up: jobs left running by a previous service are failed; half-written files removed."""
    count = 0
    with sessions() as session:
        for job in session.scalars(select(Job).where(Job.status == "running")).all():
            proc = _alive(job.pid, job.pid_started)
            if proc is not None:  # an orphaned worker of the previous service: it reports to no one
                try:
                    proc.kill()
                except psutil.Error:
                    pass
            _fail(session, job.id, "the service stopped while this job was running")
            count += 1
        known_runs = {p.folder for p in session.scalars(select(PlanRecord)).all()}
    shutil.rmtree(settings.data_dir.resolve() / "tmp", ignore_errors=True)
    runs = settings.data_dir.resolve() / "runs"
    if runs.is_dir():
        for run in runs.iterdir():
            for leftover in run.glob(".plan.*"):  # write_plan's temporary folders
                shutil.rmtree(leftover, ignore_errors=True)
            plan = run / "plan"
            if plan.exists() and f"runs/{run.name}" not in known_runs:
                shutil.rmtree(plan, ignore_errors=True)  # written, but its row never committed
    return count


def deadline_seconds(settings: Settings, options: dict[str, Any]) -> float:
    """How long a worker may run: the solve, four explanation re-solves, the grace period (start-up,
    model building, checking and writing the plan)."""
    time_limit = float(options.get("time_limit", 60.0))
    explain = float(options.get("explain_time_limit", 0.0))
    return time_limit * 1.2 + 4 * explain * 1.5 + settings.job_grace_seconds


class Runner:
    """Starts and watches worker processes (one monitor thread per service)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        self.settings, self.sessions = settings, sessions
        self.processes: dict[str, subprocess.Popen] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start watching (again, after a shutdown: an app's lifespan may run more than once)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="job-monitor", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        self._wake.set()

    def shutdown(self, kill: bool = True) -> None:
        """Stop watching; running workers are killed and their jobs failed (they report to no one)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if kill:
            with self._lock:
                for job_id, proc in list(self.processes.items()):
                    if proc.poll() is None:
                        proc.kill()
                    proc.wait(timeout=5)
                    with self.sessions() as session:
                        _fail(session, job_id, "the service stopped while this job was running")
                self.processes.clear()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # never let the monitor die
                log.exception("job monitor")
            self._wake.wait(self.settings.monitor_interval)
            self._wake.clear()

    def tick(self) -> None:
        with self._lock, self.sessions() as session:
            self._reap(session)
            self._enforce_deadlines(session)
            self._start_queued(session)

    def _reap(self, session: Session) -> None:
        for job_id, proc in list(self.processes.items()):
            if proc.poll() is None:
                continue
            del self.processes[job_id]
            session.expire_all()
            job = session.get(Job, job_id)
            if job is not None and job.status in ACTIVE:
                _fail(session, job_id, f"the worker process ended without a result (exit code {proc.returncode})")
        # running jobs of this service without a live worker (e.g. the worker was killed)
        for job in session.scalars(select(Job).where(Job.status == "running")).all():
            if job.id in self.processes:
                continue
            if job.pid is None and job.started_at and utcnow() - job.started_at < timedelta(seconds=60):
                continue  # being started
            if _alive(job.pid, job.pid_started) is None:
                _fail(session, job.id, "the worker process died")

    def _enforce_deadlines(self, session: Session) -> None:
        for job_id, proc in list(self.processes.items()):
            job = session.get(Job, job_id)
            if job is None or job.started_at is None:
                continue
            if (utcnow() - job.started_at).total_seconds() > deadline_seconds(self.settings, job.options):
                proc.kill()
                proc.wait(timeout=5)
                del self.processes[job_id]
                _fail(session, job_id, "killed: the solve overran its time limit and grace period")

    def _start_queued(self, session: Session) -> None:
        free = self.settings.max_running_jobs - len(self.processes)
        if free <= 0:
            return
        queued = session.scalars(select(Job).where(Job.status == "queued").order_by(Job.created_at).limit(free)).all()
        for job in queued:
            claimed = session.execute(update(Job).where(Job.id == job.id, Job.status == "queued").values(
                status="running", started_at=utcnow(), heartbeat_at=utcnow(), pid=None))
            session.commit()
            if claimed.rowcount != 1:
                continue
            self._spawn(session, job.id)

    def _spawn(self, session: Session, job_id: str) -> None:
        # a fresh interpreter (`python -m api.services.worker`): never fork a threaded server, and unlike
        # multiprocessing's spawn it does not re-import the service's __main__ module
        env = {**os.environ, WORKER_SETTINGS: self.settings.model_dump_json()}
        try:
            proc = subprocess.Popen([sys.executable, "-m", "api.services.worker", job_id, str(os.getpid())], env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, close_fds=True)
        except OSError as exc:
            _fail(session, job_id, f"cannot start the worker process: {exc}")
            return
        self.processes[job_id] = proc
        try:
            started = psutil.Process(proc.pid).create_time()
        except psutil.Error:
            started = None
        session.execute(update(Job).where(Job.id == job_id).values(pid=proc.pid, pid_started=started))
        session.commit()
