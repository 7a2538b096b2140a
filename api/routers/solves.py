"""Solve jobs: start (202 and a job id), follow (stage, best value, bound, gap), stop (keeps the best plan)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import func, select

from api.services import jobs
from api.core.auth import CoordinatorDep
from api.core.db import SessionDep
from api.routers.deps import JobId, Limit, Offset, RunnerDep, SettingsDep
from api.core.models import Job
from api.core.problems import invalid, not_found
from api.core.responses import problems
from api.services.scenarios import get_record
from api.schemas import ID_PATTERN, JobPublic, JobsPublic, SolveCreate
from planner.domain.errors import Problem

router = APIRouter(prefix="/v1/solves", tags=["solves"])


def public(job: Job) -> JobPublic:
    return JobPublic(id=job.id, scenario_id=job.scenario_id, status=job.status, stage=job.stage,
                     best_value=job.best_value, bound=job.bound, gap=jobs.gap(job.best_value, job.bound),
                     elapsed=job.elapsed or 0.0, stop_requested=job.stop_requested, error=job.error or "",
                     plan_id=job.plan_id, options=job.options or {}, survey_versions=job.survey_versions or {},
                     created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=JobPublic, responses=problems(400, 404))
def start_solve(body: SolveCreate, principal: CoordinatorDep, session: SessionDep, settings: SettingsDep,
                runner: RunnerDep, response: Response) -> JobPublic:
    """Queue a solve of the scenario with the members' latest surveys; it runs in a worker process."""
    if body.time_limit > settings.max_time_limit:
        raise invalid("time limit too long", [Problem("body", "time limit above the service's maximum",
                                                      column="time_limit", value=str(body.time_limit),
                                                      expected=f"at most {settings.max_time_limit:g} s")])
    record = get_record(session, body.scenario_id, principal)
    job = jobs.create(settings, session, record, body.model_dump(exclude={"scenario_id"}), principal)
    runner.kick()
    response.headers["Location"] = f"/v1/solves/{job.id}"
    return public(job)


@router.get("", response_model=JobsPublic, responses=problems())
def list_solves(principal: CoordinatorDep, session: SessionDep,
                scenario_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                status: Literal["queued", "running", "succeeded", "stopped", "failed"] | None = None,
                limit: Limit = 50, offset: Offset = 0) -> JobsPublic:
    where = [c for c in (Job.scenario_id == scenario_id if scenario_id else None,
                         Job.status == status if status else None) if c is not None]
    count = session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    rows = session.scalars(select(Job).where(*where).order_by(Job.created_at.desc(), Job.id)
                           .limit(limit).offset(offset)).all()
    return JobsPublic(data=[public(j) for j in rows], count=count, limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobPublic, responses=problems(404))
def get_solve(job_id: JobId, principal: CoordinatorDep, session: SessionDep) -> JobPublic:
    job = session.get(Job, job_id)
    if job is None:
        raise not_found("solve job", job_id)
    return public(job)


@router.delete("/{job_id}", status_code=status.HTTP_202_ACCEPTED, response_model=JobPublic,
               responses=problems(404, 409))
def stop_solve(job_id: JobId, principal: CoordinatorDep, session: SessionDep, runner: RunnerDep) -> JobPublic:
    """Stop the solve: the solver is interrupted and its best plan so far is stored (status `stopped`)."""
    job = session.get(Job, job_id)
    if job is None:
        raise not_found("solve job", job_id)
    job = jobs.request_stop(session, job)
    runner.kick()
    return public(job)
