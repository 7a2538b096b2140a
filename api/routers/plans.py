"""Plans: list, get, sessions, unmet requests, budget split (JSON or CSV), diff of two plans."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import func, select

from api.services import planviews
from api.core import access
from api.core.auth import CurrentPrincipal, NotFunderDep, Principal
from api.core.db import SessionDep
from api.routers.deps import Limit, Offset, PlanId, SettingsDep
from api.core.models import PlanRecord
from api.core.problems import forbidden, invalid, not_found
from api.core.responses import problems
from api.services.scenarios import check_ids, folder_of
from api.schemas import (
    ID_PATTERN,
    BudgetPublic,
    BudgetRow,
    PlanDiff,
    PlanPublic,
    PlansPublic,
    SessionsPublic,
    UnmetsPublic,
)
from planner.domain import Family
from planner.domain.errors import Problem

router = APIRouter(prefix="/v1/plans", tags=["plans"])
# an inline OpenAPI enum of the family names (a Literal, not the enum type: filters stay plain str)
FamilyName = Literal[tuple(f.value for f in Family)]  # type: ignore[valid-type]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Filter = Annotated[str | None, Query(max_length=100)]


def public(plan: PlanRecord, principal: Principal) -> PlanPublic:
    figures = access.sees_plan_figures(principal)
    return PlanPublic(id=plan.id, scenario_id=plan.scenario_id, job_id=plan.job_id, solver=plan.solver,
                      solver_version=plan.solver_version, status=plan.status, solve_seconds=plan.solve_seconds,
                      created_at=plan.created_at, stages=plan.stages if figures else None,
                      kpis=plan.kpis if figures else None)


def get_plan(session, plan_id: str, principal: Principal) -> PlanRecord:
    plan = session.get(PlanRecord, plan_id)
    if plan is None:
        raise not_found("plan", plan_id)
    access.check_plan(session, principal, plan)
    return plan


def data_of(settings, plan: PlanRecord) -> planviews.PlanData:
    return planviews.plan_data(str(folder_of(settings, plan.folder)))


@router.get("", response_model=PlansPublic, responses=problems())
def list_plans(principal: CurrentPrincipal, session: SessionDep,
               scenario_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
               limit: Limit = 50, offset: Offset = 0) -> PlansPublic:
    """Stored plans, newest first (a member: plans of the scenarios it belongs to)."""
    query = select(PlanRecord).order_by(PlanRecord.created_at.desc(), PlanRecord.id)
    if scenario_id:
        query = query.where(PlanRecord.scenario_id == scenario_id)
    query = access.visible_plans(session, principal, query)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.limit(limit).offset(offset)).all()
    return PlansPublic(data=[public(p, principal) for p in rows], count=count, limit=limit, offset=offset)


@router.get("/{plan_id}", response_model=PlanPublic, responses=problems(404))
def get_plan_summary(plan_id: PlanId, principal: CurrentPrincipal, session: SessionDep) -> PlanPublic:
    """Solver, status, stage values and bounds, KPIs (aggregates; members get the plan's identity only)."""
    return public(get_plan(session, plan_id, principal), principal)


@router.get("/{plan_id}/sessions", response_model=SessionsPublic, responses=problems(404))
def plan_sessions(plan_id: PlanId, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep,
                  territory: Filter = None, month: Annotated[str | None, Query(pattern=MONTH)] = None,
                  module: Filter = None, provider: Filter = None,
                  limit: Limit = 50, offset: Offset = 0) -> SessionsPublic:
    """Sessions (filters: the venue's territory, a month the session runs in, module, provider).

    A member sees only the sessions its trainees attend, with its own trainees; a funder sees no trainee.
    """
    data = data_of(settings, get_plan(session, plan_id, principal))
    rows = planviews.sessions(data, territory=territory, month=month, module=module, provider=provider,
                              member_id=access.restricted_member(principal),
                              with_attendees=access.sees_trainees(principal))
    return SessionsPublic.model_validate({"data": rows[offset:offset + limit], "count": len(rows), "limit": limit,
                                          "offset": offset})


@router.get("/{plan_id}/unmet", response_model=UnmetsPublic, responses=problems(404))
def plan_unmet(plan_id: PlanId, principal: NotFunderDep, session: SessionDep, settings: SettingsDep,
               module: Filter = None, reason: Filter = None, member: Filter = None,
               limit: Limit = 50, offset: Offset = 0) -> UnmetsPublic:
    """Requests the plan does not serve, with the reason and what would unlock them (a member: its own)."""
    data = data_of(settings, get_plan(session, plan_id, principal))
    if member is not None and not access.sees_member(principal, member):
        raise forbidden("a member sees its own unmet requests only")
    rows = planviews.unmet(data, member_id=access.restricted_member(principal) or member, module=module,
                           reason=reason)
    return UnmetsPublic.model_validate({"data": rows[offset:offset + limit], "count": len(rows), "limit": limit,
                                        "offset": offset})


def _group_by(text: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in text.split(",") if k.strip())
    bad = [k for k in keys if k not in planviews.GROUPS]
    errors = [Problem("query", "unknown grouping", column="group_by", value=k, expected=", ".join(planviews.GROUPS))
              for k in bad]
    if len(set(keys)) != len(keys):
        errors.append(Problem("query", "a grouping appears twice", column="group_by", value=text))
    if errors:
        raise invalid("invalid group_by", errors)
    return keys


def _wants_csv(accept: str | None) -> bool:
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in ("application/json", "application/*", "*/*", "application/problem+json"):
            return False
        if media in ("text/csv", "text/*"):
            return True
    return False


@router.get("/{plan_id}/budget", response_model=BudgetPublic, response_model_exclude_unset=True,
            responses={**problems(404), 200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                              "description": "Budget rows (JSON, or CSV with Accept: text/csv)"}})
def plan_budget(plan_id: PlanId, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep,
                group_by: Annotated[str, Query(max_length=200, description=(
                    "Comma-separated: " + ", ".join(planviews.GROUPS)))] = "funder",
                funder: Filter = None, territory: Filter = None,
                family: FamilyName | None = None,
                accept: Annotated[str | None, Header(include_in_schema=False)] = None):
    """Who pays what: amount, trainees and trainee-hours per group (funder `own`: the members' own funds).

    A member gets the rows of its own trainees only. `territory` is the member's territory; `month` the
    session's start month.
    """
    keys = _group_by(group_by)
    plan = get_plan(session, plan_id, principal)
    data = data_of(settings, plan)
    check_ids("the filters", {"funder": (funder, data.funders), "territory": (territory, data.territories)})
    filters = {"funder": funder, "territory": territory, "family": family}
    rows, total = planviews.cached_budget(str(folder_of(settings, plan.folder)), keys, tuple(filters.items()),
                                          access.restricted_member(principal))
    if _wants_csv(accept):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*keys, "amount_eur", "trainees", "trainee_hours"])
        for row in rows:
            writer.writerow([*("" if row[k] is None else row[k] for k in keys),
                             f"{row['amount_eur']:.2f}", row["trainees"], f"{row['trainee_hours']:g}"])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
    return BudgetPublic(plan_id=plan_id, group_by=list(keys), filters={k: v for k, v in filters.items() if v},
                        data=[BudgetRow(**row) for row in rows], count=len(rows), total=total)


@router.get("/{plan_id}/diff", response_model=PlanDiff, responses=problems(404))
def plan_diff(plan_id: PlanId, against: Annotated[str, Query(pattern=ID_PATTERN, description="The plan to compare with")],
              principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep) -> PlanDiff:
    """From plan `against` to this plan: sessions opened and closed, trainees moved, EUR per funder.

    A member sees its own trainees, their sessions and its own funding; a funder the counts without trainees.
    """
    new = data_of(settings, get_plan(session, plan_id, principal))
    old = data_of(settings, get_plan(session, against, principal))
    result = planviews.diff(old, new, member_id=access.restricted_member(principal),
                            with_trainees=access.sees_trainees(principal))
    return PlanDiff.model_validate({"plan_id": plan_id, "against": against, **result})
