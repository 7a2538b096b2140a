"""The worker process of one solve job: ``python -m api.services.worker JOB_ID PARENT_PID`` (started by
:class:`api.services.jobs.Runner`, settings as JSON in ``$PLANNER_WORKER_SETTINGS``).

It runs :func:`planner.pipeline.solve_and_write` in-process (``planner solve`` runs it with the
backend in a forked child) and talks to the service only through the database: a heartbeat thread
writes the latest progress (stage, best value, bound) four times a second and reads
``stop_requested``; a stop interrupts the solver, which returns its best plan. The plan folder is
written atomically once :func:`planner.checker.check_plan` passes it; its row and the job's final
status are committed together. If the service dies, the worker notices (its parent changed),
marks the job failed and exits.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

HEARTBEAT_SECONDS = 0.25


class _State:
    """The job's progress as the heartbeat writes it: the solve's :class:`planner.pipeline.SolveEvents`
    (not a subclass: the pipeline is imported once the heartbeat runs)."""

    def __init__(self) -> None:
        self.current_stage = "starting"
        self.value: float | None = None
        self.bound: float | None = None
        self.started = time.monotonic()
        self.dirty = True
        self.current_backend: Any = None
        self.stop = threading.Event()

    def update(self, stage: str | None = None, value: float | None = None, bound: float | None = None,
               reset: bool = False) -> None:
        if stage is not None:
            self.current_stage = stage
        if reset:
            self.value = self.bound = None
        if value is not None and math.isfinite(value):
            self.value = float(value)
        if bound is not None and math.isfinite(bound):
            self.bound = float(bound)
        self.dirty = True

    def step(self, name: str) -> None:
        self.update(stage=name)

    def stage(self, stage: str, value: float | None, bound: float | None, elapsed: float) -> None:
        self.update(stage=stage, value=value, bound=bound, reset=value is None)

    def incumbent(self, value: float, bound: float, elapsed: float) -> None:
        self.update(value=value, bound=bound)

    def stop_requested(self) -> bool:
        return self.stop.is_set()

    def backend(self, backend: Any) -> None:
        self.current_backend = backend
        if self.stop.is_set():
            backend.interrupt()


def run_job(settings_json: str, job_id: str, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the service's terminal: the service decides
    from api.core.db import make_engine, session_factory
    from api.core.models import Job
    from api.core.settings import Settings

    settings = Settings.model_validate_json(settings_json)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    state = _State()

    def finish(**values: Any) -> None:
        with sessions() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))
            session.commit()

    def heartbeat() -> None:
        while True:
            if os.getppid() != parent_pid:  # the service died: nobody will read this job's result
                finish(status="failed", error="the service stopped while this job was running",
                       finished_at=_now())
                os._exit(3)
            try:
                with sessions() as session:
                    row = session.execute(select(Job.status, Job.stop_requested).where(Job.id == job_id)).first()
                    if row is None or row.status != "running":
                        os._exit(4)  # cancelled, failed by the service, or finished
                    if row.stop_requested and not state.stop.is_set():
                        state.stop.set()
                        if state.current_backend is not None:
                            state.current_backend.interrupt()
                    values: dict[str, Any] = {"elapsed": time.monotonic() - state.started, "heartbeat_at": _now()}
                    if state.dirty:
                        state.dirty = False
                        values.update(stage=state.current_stage, best_value=state.value, bound=state.bound)
                    session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))
                    session.commit()
            except Exception:  # a locked database now and then: try again next beat
                traceback.print_exc()
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=heartbeat, name="heartbeat", daemon=True).start()
    try:
        _solve_and_store(settings, sessions, job_id, state)
    except BaseException as exc:  # report every failure on the job, never hang
        traceback.print_exc()
        finish(status="failed", error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=_now(),
               elapsed=time.monotonic() - state.started)
    finally:
        engine.dispose()



def _now():
    from api.core.models import utcnow

    return utcnow()


def _solve_and_store(settings: Any, sessions: Any, job_id: str, state: _State) -> None:
    from api.core.models import Job, PlanRecord
    from api.services.scenarios import new_id
    from planner.ingestion import load_scenario
    from planner.pipeline import SolveOptions, solve_and_write
    from planner.plans.writer import plan_document, plan_tables

    with sessions() as session:
        job = session.get(Job, job_id)
        options = dict(job.options)
        run = settings.data_dir.resolve() / job.folder
        scenario_id = job.scenario_id
    scenario = load_scenario(run / "scenario")
    solve_options = SolveOptions(solver=options.get("solver", "highs"), time_limit=float(options.get("time_limit", 60.0)),
                                 workers=int(options.get("workers", 1)), seed=int(options.get("seed", 0)),
                                 explain_time_limit=float(options.get("explain_time_limit", 0.0)))
    outcome = solve_and_write(scenario, solve_options, run / "plan", state)
    plan = outcome.plan
    stopped = state.stop.is_set()
    final = "stopped" if stopped else "succeeded"
    if not outcome.has_plan:
        with sessions() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
                status="stopped" if stopped else "failed", finished_at=_now(), elapsed=time.monotonic() - state.started,
                error=f"no plan: {plan.status.value} {plan.error}".strip()))
            session.commit()
        return
    if outcome.violations:
        text = "; ".join(f"{v.rule}: {v.message}" for v in outcome.violations[:5])
        with sessions() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
                status="failed", finished_at=_now(), error=f"the plan failed the independent check ({text})"[:2000]))
            session.commit()
        return
    document = plan_document(scenario, plan, plan_tables(scenario, plan))
    plan_id = new_id("p")
    with sessions() as session:
        session.add(PlanRecord(id=plan_id, scenario_id=scenario_id, job_id=job_id, folder=str(Path(job.folder)),
                               solver=plan.solver, solver_version=plan.solver_version, status=plan.status.value,
                               solve_seconds=plan.solve_seconds, stages=document["stages"], kpis=document["kpis"],
                               created_at=_now()))
        last = document["stages"][0] if document["stages"] else {}
        done = session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
            status=final, plan_id=plan_id, finished_at=_now(), stage="done", elapsed=time.monotonic() - state.started,
            best_value=last.get("value", state.value), bound=last.get("bound", state.bound)))
        if done.rowcount != 1:  # failed meanwhile (e.g. by the service's deadline): no plan row
            session.rollback()
            return
        session.commit()


def main() -> None:
    from api.services.jobs import WORKER_SETTINGS

    job_id, parent_pid = sys.argv[1], int(sys.argv[2])
    run_job(os.environ[WORKER_SETTINGS], job_id, parent_pid)


if __name__ == "__main__":
    main()
